"""Spanish: museología, ecomuseos, patrimonio, captación de fondos, paisaje."""

from bench.library_lexicon import Lexicon

LEXICON = Lexicon(
    code="es",
    titles=(
        "{Topic} en los museos de {region}",
        "{Topic} y {topic2}: experiencias comparadas",
        "El caso de {org}: {topic} y participación",
        "{Np} entre {topic} y {topic2}",
        "Experiencias en materia de {topic} en {region}",
        "Museos y comunidades: {topic} en {place}",
        "{Topic}. Una encuesta sobre {np}",
        "Guía en materia de {topic} para {group}",
        "Ecomuseos y {topic}: el paisaje como bien común",
        "Del museo al territorio: {topic} en {place}",
        "{Topic} para {group}: herramientas y buenas prácticas",
        "Cuaderno {number}: {topic} en los pequeños museos",
        "Redes de museos y {topic} en {region}",
        "{Np}: una propuesta para {group}",
        "Patrimonio, comunidad y {topic}",
        "Informe {year} sobre {topic} y {topic2}",
        "Hacia un museo sostenible: {topic} y {topic2}",
    ),
    subtitles=(
        "un análisis comparado", "el caso de {place}", "prácticas y perspectivas", "miradas desde {region}",
        "datos, métodos y resultados", "un estudio de campo", "diez años de trabajo en red",
        "actas de la jornada de estudio", "hacia una museología participativa", "caja de herramientas",
    ),
    sentences=(
        "El artículo analiza {np} a partir de la experiencia de {org}.",
        "El estudio examina {np} y {np2} en {number} museos de {region}.",
        "A partir de entrevistas con directores, conservadores y voluntarios, la investigación reconstruye {np}.",
        "Se propone un modelo de trabajo en materia de {topic} adaptado a {group}.",
        "El volumen reúne los resultados de un proyecto de tres años dedicado a {topic} y {topic2}.",
        "Los autores discuten {np} a la luz de las directrices nacionales y europeas.",
        "El caso de {place} muestra cómo {group} pueden colaborar en materia de {topic}.",
        "Se presentan herramientas prácticas, fichas de evaluación e indicadores para {group}.",
        "El ensayo compara {np} con {np2}, con especial atención al paisaje.",
        "El ecomuseo se describe como un pacto mediante el cual una comunidad cuida de su propio territorio.",
        "La segunda parte aborda {np}, con ejemplos de museos municipales y diocesanos.",
        "El informe documenta {np} desde {year} hasta hoy.",
        "La falta de personal, los presupuestos reducidos y la fragmentación de las redes aparecen como las "
        "principales dificultades.",
        "Las conclusiones señalan la cooperación entre {group} y {group2} como una condición necesaria.",
        "El proyecto implicó a {number} escuelas, asociaciones y ayuntamientos de {place}.",
        "El mapa comunitario se convierte en el instrumento con el que los vecinos reconocen {np}.",
        "También se analizan las campañas de captación de fondos, el micromecenazgo y el patrocinio.",
        "El texto ofrece orientaciones prácticas en materia de {topic} para museos con equipos pequeños.",
        "Se presta especial atención a la accesibilidad física, cognitiva y sensorial de las salas.",
        "La autora interpreta {np} como una oportunidad de desarrollo local y de cohesión social.",
        "Se discuten los resultados de un cuestionario respondido por {number} museos.",
        "El museo disperso de {place} pone en valor {np} a lo largo de un sendero por el paisaje agrario.",
        "Se describen las fases del proyecto, desde el diseño participativo hasta la evaluación de impacto.",
        "El capítulo recorre la historia de {org} y su papel en la red regional.",
        "La digitalización de las colecciones abre nuevas posibilidades en materia de {topic}.",
        "Los testimonios orales recogidos en {place} recuperan la memoria del trabajo en fábricas y campos.",
        "El documento propone un plan estratégico de tres años con objetivos medibles y seguimiento.",
        "La formación del personal aparece como una palanca decisiva en materia de {topic2}.",
        "El análisis de los presupuestos muestra la dependencia de las subvenciones públicas y el aumento de los "
        "ingresos propios.",
        "Las alianzas público-privadas se examinan a través de {number} estudios de caso.",
        "Por último, se reflexiona sobre {np} y sobre el futuro de los museos en el medio rural.",
        "El catálogo de la exposición presenta {np} junto a fotografías y documentos de archivo.",
    ),
    objects=(
        "el papel de los museos municipales", "la participación de las comunidades locales",
        "el patrimonio cultural inmaterial", "la gestión de las colecciones", "la relación entre museo y "
        "territorio", "las estrategias de captación de fondos", "la interpretación del paisaje",
        "el trabajo de los voluntarios", "los programas educativos", "las redes de museos",
        "la gobernanza de los ecomuseos", "los públicos de los pequeños museos", "la sostenibilidad económica",
        "las prácticas de mediación cultural", "la conservación preventiva", "la implicación de los jóvenes",
        "la memoria colectiva", "los mapas comunitarios", "el patrimonio industrial", "las colecciones "
        "etnográficas", "los oficios artesanos", "la comunicación digital", "el turismo lento",
        "las políticas culturales autonómicas", "la protección del paisaje rural", "los modelos de gestión",
        "la accesibilidad de las salas", "la medición del impacto social", "los derechos de autor",
        "los fondos europeos", "la colaboración con las escuelas", "los museos comunitarios",
        "el archivo fotográfico", "las fiestas tradicionales", "la venta de entradas en línea",
        "los itinerarios de visita", "el patrimonio del vino", "los molinos hidráulicos",
    ),
    groups=(
        "museos municipales", "ecomuseos", "pequeños museos", "comunidades locales", "voluntarios", "escuelas",
        "archivos históricos", "bibliotecas", "ayuntamientos", "asociaciones culturales", "fundaciones",
        "profesionales de museos", "familias", "jóvenes", "empresas locales", "museos diocesanos",
        "parques naturales", "universidades", "cooperativas", "visitantes extranjeros", "comunidades "
        "patrimoniales", "museos etnográficos", "instituciones culturales",
    ),
    headings=(
        "Introducción", "El contexto territorial", "Metodología", "Las fuentes", "El estudio de caso",
        "Resultados", "Discusión", "Recomendaciones", "Conclusiones", "Bibliografía", "Anexo",
        "Agradecimientos", "Marco normativo", "Las acciones del proyecto", "Evaluación",
    ),
    journals=(
        "Revista de Museología", "Museos.es", "Her&Mus. Heritage & Museography", "Boletín del Museo Arqueológico "
        "Nacional", "Revista PH", "Complutum", "Museo. Revista de la Asociación Profesional de Museólogos",
    ),
    books=(
        "Museos y territorio", "Ecomuseos y paisajes culturales", "La museología participativa",
        "Manual de gestión de museos", "Patrimonio y comunidades",
    ),
    publishers=(
        "Trea", "Ministerio de Cultura", "Síntesis", "Ediciones Cátedra", "Universidad de Zaragoza",
        "Instituto Andaluz del Patrimonio Histórico", "Ariel", "Ediciones Akal",
    ),
    cities=("Madrid", "Barcelona", "Gijón", "Sevilla", "Zaragoza", "Valencia", "Bilbao"),
    topic_join="{topic} y {topic2}",
)
