"""Realistic names for generated organisations, networks and people, by kind and country."""

import random

# {town} is the municipality, {surname} a family name, {subject} a collection's subject.
ORGANISATION_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "IT": {
        "museum": ("Museo Civico di {town}", "Museo Diocesano di {town}", "Museo Archeologico di {town}",
                   "Pinacoteca Comunale di {town}", "Museo della {subject} di {town}", "Casa Museo {surname}",
                   "Museo del Risorgimento di {town}", "Galleria d'Arte Moderna di {town}"),
        "ecomuseum": ("Ecomuseo della {subject} di {town}", "Ecomuseo del Paesaggio di {town}",
                      "Ecomuseo delle Valli di {town}"),
        "community_museum": ("Museo di Comunità di {town}", "Museo della Civiltà Contadina di {town}"),
        "archive": ("Archivio Storico Comunale di {town}", "Archivio di Stato di {town}",
                    "Archivio Fotografico {surname}"),
        "library": ("Biblioteca Comunale di {town}", "Biblioteca Civica {surname}", "Biblioteca Popolare di {town}"),
        "heritage_site": ("Rocca di {town}", "Villa {surname}", "Parco Archeologico di {town}",
                          "Castello di {town}", "Abbazia di {town}"),
        "association": ("Associazione Amici dei Musei di {town}", "Pro Loco di {town}",
                        "Associazione Culturale {surname}"),
        "public_body": ("Comune di {town}", "Unione dei Comuni di {town}"),
        "foundation": ("Fondazione {surname}", "Fondazione Cassa di Risparmio di {town}"),
        "university": ("Liceo Classico {surname} di {town}", "Istituto Comprensivo di {town}"),
        "company": ("{surname} Comunicazione Srl", "Studio {surname} Allestimenti", "{surname} & Partners Eventi"),
        "freelance": ("{first} {surname}, restauratrice", "{first} {surname}, fotografo",
                      "{first} {surname}, grafica"),
    },
    "FR": {
        "museum": ("Musée municipal de {town}", "Musée des Beaux-Arts de {town}", "Musée d'histoire de {town}"),
        "ecomuseum": ("Écomusée de {town}", "Écomusée du pays de {town}"),
        "archive": ("Archives municipales de {town}",),
        "library": ("Bibliothèque municipale de {town}",),
        "association": ("Association des Amis du musée de {town}",),
    },
    "ES": {
        "museum": ("Museo Municipal de {town}", "Museo de Bellas Artes de {town}", "Museo Arqueológico de {town}"),
        "ecomuseum": ("Ecomuseo de {town}",),
        "archive": ("Archivo Histórico Municipal de {town}",),
        "library": ("Biblioteca Pública de {town}",),
        "foundation": ("Fundación {surname}",),
    },
    "PT": {
        "museum": ("Museu Municipal de {town}", "Museu de Arte Sacra de {town}", "Casa-Museu {surname}"),
        "ecomuseum": ("Ecomuseu de {town}",),
        "archive": ("Arquivo Municipal de {town}",),
        "library": ("Biblioteca Municipal de {town}",),
    },
}

SUBJECTS = ("Carta", "Ceramica", "Seta", "Pietra", "Canapa", "Vite e del Vino", "Castagna", "Marineria",
            "Tessitura", "Miniera", "Resistenza", "Musica", "Stampa", "Emigrazione")
SURNAMES = ("Rossi", "Bianchi", "Ferrari", "Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno",
            "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
            "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini",
            "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Serra", "Coppola", "De Santis", "Farina",
            "Dubois", "Moreau", "García", "Fernández", "Silva", "Santos", "Pereira")
FIRST_NAMES = ("Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Sara", "Andrea", "Elena",
               "Matteo", "Valentina", "Davide", "Martina", "Paolo", "Anna", "Giovanni", "Laura", "Stefano",
               "Camille", "Lucas", "Lucía", "Pablo", "Inês", "João")

NETWORK_NAMES = (
    "Rete dei Musei {subject} {place}", "Sistema Museale {place}", "Rete degli Ecomusei {place}",
    "Circuito dei Castelli {place}", "Rete delle Case Museo {place}", "Musei in Rete {place}",
    "Rete degli Archivi Storici {place}", "Sistema Bibliotecario {place}", "Itinerari dei Musei {subject} {place}",
)
NETWORK_SUBJECTS = ("Civici", "Archeologici", "Diocesani", "del Territorio", "d'Impresa", "Scientifici",
                    "Etnografici", "del Novecento")


def organisation_name(rng: random.Random, country: str, kind: str, town: str) -> str:
    """A plausible name for an organisation of this kind in this town."""
    templates = ORGANISATION_NAMES.get(country, {}).get(kind) or ORGANISATION_NAMES["IT"][kind]
    return rng.choice(templates).format(town=town, surname=rng.choice(SURNAMES), first=rng.choice(FIRST_NAMES),
                                        subject=rng.choice(SUBJECTS))


def person_name(rng: random.Random) -> str:
    """A first name and a surname."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def network_name(rng: random.Random, place: str) -> str:
    """A plausible name for a network of a place (region, province or town)."""
    return rng.choice(NETWORK_NAMES).format(place=place, subject=rng.choice(NETWORK_SUBJECTS))
