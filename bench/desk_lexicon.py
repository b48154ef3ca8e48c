"""Word banks of the bench desk: what members ask per category, and how experts answer, in the five languages.

Each language has question templates with slots ({subject}, {event}, {place}, {org}, {number}), subjects per desk
category, events, and sentences of question bodies and answers. The generator fills them with a seeded random
generator, so that a knowledge-base search for a subject's words finds the questions of its category.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DeskLexicon:
    """The banks of one language."""

    code: str
    titles: tuple[str, ...]
    subjects: dict[str, tuple[str, ...]]
    events: tuple[str, ...]
    body: tuple[str, ...]
    answers: tuple[str, ...]


EN = DeskLexicon(
    code="en",
    titles=(
        "How do we handle {subject} for {event}?", "{Subject}: what applies to a small museum?",
        "Do we need {subject} for {event} in {place}?", "Who pays {subject} when {event} is free?",
        "{Subject} for {event}: where do we start?", "Can a museum network share {subject}?",
        "Deadlines and documents for {subject}", "{Subject} with a team of {number} people",
    ),
    subjects={
        "funding": ("co-financing of a Creative Europe project", "the regional call for museums",
                    "a foundation grant for community archives", "the budget of an EU cooperation project"),
        "copyright": ("SIAE rights", "copyright of photographs in the collection", "music licences",
                      "reproduction rights of works on display"),
        "streaming": ("streaming rights for a concert", "the live stream of a talk",
                      "rights to publish the video online",
                      "a streamed performance with recorded music"),
        "ticketing": ("online ticketing", "a joint ticket with other museums", "reduced tickets and memberships",
                      "booking for guided tours"),
        "digital": ("digitising the collection", "a new website", "open data of the catalogue",
                    "a virtual tour of the galleries"),
        "fundraising": ("the Art Bonus tax credit", "a crowdfunding campaign", "membership schemes",
                        "sponsorship by local companies"),
        "legal": ("the statute of a museum network", "a partnership agreement", "governance of the association",
                  "volunteers' insurance"),
        "marketing": ("a communication plan", "social media for a small museum", "a press campaign",
                      "a brand for the network"),
        "other": ("the reopening after works", "lending an object to an exhibition", "accessibility of the entrance",
                  "opening hours in summer"),
    },
    events=("a summer concert", "the open day", "a guided tour", "a photography exhibition", "the festival",
            "a talk with the author", "a workshop for families"),
    body=(
        "We are a small museum in {place} run by {number} people and volunteers.",
        "Last year we organised {event} without asking anyone and we are not sure it was right.",
        "The municipality asks us for a document we have never prepared.",
        "We would like to share the costs with the other museums of the network.",
        "Is there a model or a checklist we can follow?",
        "The deadline is close and we have no lawyer or consultant on the team.",
        "We found contradictory information online and would like a clear answer.",
        "Our association {org} manages the collection on behalf of the town.",
    ),
    answers=(
        "The short answer is yes: you need {subject}, and it is cheaper when requested in advance.",
        "Start from the official guidelines and keep a copy of every authorisation.",
        "For {event} the rules are the same as for any public event held by an association.",
        "Several museums of the network solved this with a shared agreement; ask the coordinator for the model.",
        "Keep the receipts: they are needed for the final report and for tax purposes.",
        "If the event is free you still have to declare it, but the fees are reduced.",
        "Plan at least {number} days before the event to collect the documents.",
        "A template and the list of documents are attached in the knowledge base of the desk.",
    ),
)

IT = DeskLexicon(
    code="it",
    titles=(
        "Come gestiamo {subject} per {event}?", "{Subject}: cosa vale per un piccolo museo?",
        "Servono {subject} per {event} a {place}?", "Chi paga {subject} se {event} è gratuito?",
        "{Subject} per {event}: da dove partire?", "Una rete di musei può condividere {subject}?",
        "Scadenze e documenti per {subject}", "{Subject} con una squadra di {number} persone",
    ),
    subjects={
        "funding": ("il cofinanziamento di un progetto Europa Creativa", "il bando regionale per i musei",
                    "un contributo di fondazione per gli archivi di comunità", "il budget di un progetto europeo"),
        "copyright": ("i diritti SIAE", "il diritto d'autore delle fotografie della collezione",
                      "le licenze musicali", "i diritti di riproduzione delle opere esposte"),
        "streaming": ("i diritti di streaming di un concerto", "la diretta streaming di una conferenza",
                      "i diritti per pubblicare il video online", "uno spettacolo in streaming con musica registrata"),
        "ticketing": ("la biglietteria online", "un biglietto unico con altri musei", "ridotti e tessere associative",
                      "le prenotazioni delle visite guidate"),
        "digital": ("la digitalizzazione della collezione", "un nuovo sito web", "gli open data del catalogo",
                    "un tour virtuale delle sale"),
        "fundraising": ("il credito d'imposta Art Bonus", "una campagna di crowdfunding",
                        "le tessere degli amici del museo",
                        "le sponsorizzazioni delle imprese locali"),
        "legal": ("lo statuto di una rete museale", "un accordo di partenariato", "la governance dell'associazione",
                  "l'assicurazione dei volontari"),
        "marketing": ("un piano di comunicazione", "i social media per un piccolo museo", "una campagna stampa",
                      "un marchio per la rete"),
        "other": ("la riapertura dopo i lavori", "il prestito di un oggetto per una mostra",
                  "l'accessibilità dell'ingresso", "gli orari di apertura estivi"),
    },
    events=("un concerto estivo", "la giornata a porte aperte", "una visita guidata", "una mostra fotografica",
            "il festival", "un incontro con l'autore", "un laboratorio per famiglie"),
    body=(
        "Siamo un piccolo museo a {place} gestito da {number} persone e da volontari.",
        "L'anno scorso abbiamo organizzato {event} senza chiedere nulla e non siamo sicuri di aver fatto bene.",
        "Il comune ci chiede un documento che non abbiamo mai preparato.",
        "Vorremmo condividere i costi con gli altri musei della rete.",
        "Esiste un modello o una lista di controllo da seguire?",
        "La scadenza è vicina e non abbiamo un avvocato o un consulente.",
        "Online abbiamo trovato informazioni contraddittorie e vorremmo una risposta chiara.",
        "La nostra associazione {org} gestisce la collezione per conto del comune.",
    ),
    answers=(
        "In breve sì: servono {subject}, e costano meno se richiesti per tempo.",
        "Partite dalle linee guida ufficiali e conservate copia di ogni autorizzazione.",
        "Per {event} valgono le stesse regole di ogni evento pubblico organizzato da un'associazione.",
        "Diversi musei della rete hanno risolto con un accordo comune: chiedete il modello al coordinatore.",
        "Conservate le ricevute: servono per la rendicontazione e ai fini fiscali.",
        "Anche se l'evento è gratuito va dichiarato, ma le tariffe sono ridotte.",
        "Prevedete almeno {number} giorni prima dell'evento per raccogliere i documenti.",
        "Un modello e l'elenco dei documenti sono nella base di conoscenza dello sportello.",
    ),
)

FR = DeskLexicon(
    code="fr",
    titles=(
        "Comment gérer {subject} pour {event} ?", "{Subject} : que s'applique-t-il à un petit musée ?",
        "Faut-il {subject} pour {event} à {place} ?", "{Subject} pour {event} : par où commencer ?",
        "Un réseau de musées peut-il partager {subject} ?", "Délais et documents pour {subject}",
    ),
    subjects={
        "funding": ("le cofinancement d'un projet Europe Créative", "l'appel régional pour les musées",
                    "une subvention de fondation", "le budget d'un projet de coopération européenne"),
        "copyright": ("les droits SACEM", "le droit d'auteur des photographies", "les licences musicales",
                      "les droits de reproduction des œuvres exposées"),
        "streaming": ("les droits de diffusion d'un concert", "la retransmission en direct d'une conférence",
                      "les droits pour publier la vidéo en ligne", "un spectacle diffusé avec musique enregistrée"),
        "ticketing": ("la billetterie en ligne", "un billet commun avec d'autres musées", "les tarifs réduits",
                      "la réservation des visites guidées"),
        "digital": ("la numérisation des collections", "un nouveau site web", "les données ouvertes du catalogue",
                    "une visite virtuelle"),
        "fundraising": ("le mécénat d'entreprise", "une campagne de financement participatif", "les adhésions",
                        "le parrainage des entreprises locales"),
        "legal": ("les statuts d'un réseau de musées", "une convention de partenariat",
                  "la gouvernance de l'association",
                  "l'assurance des bénévoles"),
        "marketing": ("un plan de communication", "les réseaux sociaux d'un petit musée", "une campagne de presse",
                      "une marque pour le réseau"),
        "other": ("la réouverture après travaux", "le prêt d'un objet pour une exposition",
                  "l'accessibilité de l'entrée",
                  "les horaires d'été"),
    },
    events=("un concert d'été", "la journée portes ouvertes", "une visite guidée", "une exposition de photographies",
            "le festival", "une rencontre avec l'auteur"),
    body=(
        "Nous sommes un petit musée à {place} géré par {number} personnes et des bénévoles.",
        "L'an dernier nous avons organisé {event} sans rien demander.",
        "La mairie nous demande un document que nous n'avons jamais préparé.",
        "Nous voudrions partager les coûts avec les autres musées du réseau.",
        "Existe-t-il un modèle ou une liste de contrôle ?",
        "Notre association {org} gère la collection pour la commune.",
    ),
    answers=(
        "En bref oui : il faut {subject}, et c'est moins cher si la demande est faite à l'avance.",
        "Partez des lignes directrices officielles et gardez une copie de chaque autorisation.",
        "Pour {event} les règles sont celles de tout événement public d'une association.",
        "Plusieurs musées du réseau ont signé une convention commune ; demandez le modèle au coordinateur.",
        "Comptez au moins {number} jours avant l'événement pour réunir les documents.",
    ),
)

ES = DeskLexicon(
    code="es",
    titles=(
        "¿Cómo gestionamos {subject} para {event}?", "{Subject}: ¿qué se aplica a un museo pequeño?",
        "¿Hacen falta {subject} para {event} en {place}?", "{Subject} para {event}: ¿por dónde empezar?",
        "¿Puede una red de museos compartir {subject}?", "Plazos y documentos para {subject}",
    ),
    subjects={
        "funding": ("la cofinanciación de un proyecto Europa Creativa", "la convocatoria regional para museos",
                    "una subvención de fundación", "el presupuesto de un proyecto europeo"),
        "copyright": ("los derechos de la SGAE", "los derechos de autor de las fotografías", "las licencias de música",
                      "los derechos de reproducción de las obras expuestas"),
        "streaming": ("los derechos de emisión de un concierto", "la retransmisión en directo de una charla",
                      "los derechos para publicar el vídeo", "un espectáculo en streaming con música grabada"),
        "ticketing": ("la venta de entradas en línea", "una entrada conjunta con otros museos",
                      "las entradas reducidas",
                      "las reservas de visitas guiadas"),
        "digital": ("la digitalización de la colección", "una nueva web", "los datos abiertos del catálogo",
                    "una visita virtual"),
        "fundraising": ("el mecenazgo", "una campaña de micromecenazgo", "los socios del museo",
                        "el patrocinio de empresas locales"),
        "legal": ("los estatutos de una red de museos", "un convenio de colaboración", "la gobernanza de la asociación",
                  "el seguro de los voluntarios"),
        "marketing": ("un plan de comunicación", "las redes sociales de un museo pequeño", "una campaña de prensa",
                      "una marca para la red"),
        "other": ("la reapertura tras las obras", "el préstamo de una pieza", "la accesibilidad de la entrada",
                  "el horario de verano"),
    },
    events=("un concierto de verano", "la jornada de puertas abiertas", "una visita guiada",
            "una exposición de fotografía",
            "el festival", "un encuentro con el autor"),
    body=(
        "Somos un museo pequeño en {place} gestionado por {number} personas y voluntarios.",
        "El año pasado organizamos {event} sin pedir nada.",
        "El ayuntamiento nos pide un documento que nunca hemos preparado.",
        "Queremos compartir los gastos con los demás museos de la red.",
        "¿Existe un modelo o una lista de comprobación?",
        "Nuestra asociación {org} gestiona la colección para el municipio.",
    ),
    answers=(
        "En resumen sí: hacen falta {subject}, y cuestan menos si se piden con antelación.",
        "Partan de las directrices oficiales y guarden copia de cada autorización.",
        "Para {event} valen las normas de cualquier acto público de una asociación.",
        "Varios museos de la red firmaron un convenio común; pidan el modelo al coordinador.",
        "Calculen al menos {number} días antes del acto para reunir los documentos.",
    ),
)

PT = DeskLexicon(
    code="pt",
    titles=(
        "Como tratamos {subject} para {event}?", "{Subject}: o que se aplica a um museu pequeno?",
        "São precisos {subject} para {event} em {place}?", "{Subject} para {event}: por onde começar?",
        "Uma rede de museus pode partilhar {subject}?", "Prazos e documentos para {subject}",
    ),
    subjects={
        "funding": ("o cofinanciamento de um projeto Europa Criativa", "o concurso regional para museus",
                    "um apoio de fundação", "o orçamento de um projeto europeu"),
        "copyright": ("os direitos da SPA", "os direitos de autor das fotografias", "as licenças de música",
                      "os direitos de reprodução das obras expostas"),
        "streaming": ("os direitos de transmissão de um concerto", "a transmissão em direto de uma palestra",
                      "os direitos para publicar o vídeo", "um espetáculo transmitido com música gravada"),
        "ticketing": ("a bilheteira online", "um bilhete conjunto com outros museus", "os bilhetes reduzidos",
                      "as reservas de visitas guiadas"),
        "digital": ("a digitalização da coleção", "um novo sítio web", "os dados abertos do catálogo",
                    "uma visita virtual"),
        "fundraising": ("o mecenato", "uma campanha de financiamento colaborativo", "os sócios do museu",
                        "o patrocínio de empresas locais"),
        "legal": ("os estatutos de uma rede de museus", "um protocolo de parceria", "a governação da associação",
                  "o seguro dos voluntários"),
        "marketing": ("um plano de comunicação", "as redes sociais de um museu pequeno", "uma campanha de imprensa",
                      "uma marca para a rede"),
        "other": ("a reabertura depois das obras", "o empréstimo de uma peça", "a acessibilidade da entrada",
                  "o horário de verão"),
    },
    events=("um concerto de verão", "o dia aberto", "uma visita guiada", "uma exposição de fotografia", "o festival",
            "um encontro com o autor"),
    body=(
        "Somos um museu pequeno em {place} gerido por {number} pessoas e voluntários.",
        "No ano passado organizámos {event} sem pedir nada.",
        "A câmara municipal pede-nos um documento que nunca preparámos.",
        "Queremos partilhar os custos com os outros museus da rede.",
        "Existe um modelo ou uma lista de verificação?",
        "A nossa associação {org} gere a coleção para o município.",
    ),
    answers=(
        "Em resumo sim: são precisos {subject}, e custam menos se pedidos com antecedência.",
        "Partam das orientações oficiais e guardem cópia de cada autorização.",
        "Para {event} valem as regras de qualquer evento público de uma associação.",
        "Vários museus da rede assinaram um protocolo comum; peçam o modelo ao coordenador.",
        "Contem pelo menos {number} dias antes do evento para reunir os documentos.",
    ),
)

LEXICONS = {lexicon.code: lexicon for lexicon in (IT, EN, FR, ES, PT)}
# The share of the questions in each language: most members are Italian, many write in English.
LANGUAGE_WEIGHTS = {"it": 50, "en": 26, "fr": 8, "es": 8, "pt": 8}
