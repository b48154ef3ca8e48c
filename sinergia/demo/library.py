"""The demo library: real works on ecomuseums and heritage communities, in several languages and linked as
translations, and good practices of the demo networks, written through the library services."""

from dataclasses import dataclass, field

from sinergia.accounts.models import User
from sinergia.core.thesaurus import concept_index, normalise_label
from sinergia.directory.selectors import organisations_of
from sinergia.library.models import Creator, Resource
from sinergia.library.services import CreatorData, ResourceData, resource_create, resource_moderate
from sinergia.networks.models import Network


@dataclass(frozen=True)
class Work:
    """One resource of the demo; `translates` names the title of the work it is a language version of."""

    kind: str
    title: str
    language: str
    authors: tuple[str, ...]
    year: int
    topics: tuple[str, ...]
    abstract: str = ""
    publisher: str = ""
    place: str = ""
    url: str = ""
    licence: str = ""
    translates: str = ""
    network_only: bool = False
    extra: dict = field(default_factory=dict)


WORKS = (
    Work(Resource.Kind.BOOK, "Ecomuseums: A Sense of Place", "en", ("Davis, Peter",), 2011,
         ("community engagement", "landscape", "ecomuseums"), publisher="Continuum", place="London",
         abstract="A study of the ecomuseum idea and of ecomuseums around the world: how communities take care of "
                  "their heritage and landscape, and what makes a *sense of place*.", extra={"edition": "2"}),
    Work(Resource.Kind.BOOK, "Les racines du futur : le patrimoine au service du développement local", "fr",
         ("de Varine, Hugues",), 2002, ("local development", "community engagement"), publisher="ASDIC",
         place="Chalon-sur-Saône",
         abstract="Le patrimoine comme ressource du développement local, porté par la communauté qui le vit."),
    Work(Resource.Kind.BOOK, "Le radici del futuro. Il patrimonio culturale al servizio dello sviluppo locale", "it",
         ("de Varine, Hugues",), 2005, ("local development", "community engagement"), publisher="CLUEB",
         place="Bologna", translates="Les racines du futur : le patrimoine au service du développement local",
         abstract="Il patrimonio come risorsa dello sviluppo locale, nelle mani della comunità che lo vive."),
    Work(Resource.Kind.BOOK, "Gli ecomusei. Che cosa sono, che cosa possono diventare", "it",
         ("Maggi, Maurizio", "Falletti, Vittorio"), 2000, ("ecomuseums", "landscape"), publisher="Allemandi",
         place="Torino", abstract="Che cosa sono gli ecomusei, come nascono e come possono crescere in Italia."),
    Work(Resource.Kind.BOOK, "The Participatory Museum", "en", ("Simon, Nina",), 2010,
         ("community engagement", "audience development"), publisher="Museum 2.0", place="Santa Cruz",
         url="https://www.participatorymuseum.org/",
         abstract="How cultural institutions can invite visitors to create, share and connect around content."),
    Work(Resource.Kind.REPORT, "Framework Convention on the Value of Cultural Heritage for Society", "en",
         ("Council of Europe",), 2005, ("heritage communities", "governance"), place="Faro",
         url="https://www.coe.int/en/web/conventions/full-list?module=treaty-detail&treatynum=199",
         abstract="The Faro Convention: the right to take part in cultural heritage, and heritage communities."),
    Work(Resource.Kind.REPORT, "Convention-cadre du Conseil de l'Europe sur la valeur du patrimoine culturel pour "
         "la société", "fr", ("Conseil de l'Europe",), 2005, ("heritage communities", "governance"), place="Faro",
         translates="Framework Convention on the Value of Cultural Heritage for Society"),
    Work(Resource.Kind.REPORT, "Convenzione quadro del Consiglio d'Europa sul valore dell'eredità culturale per la "
         "società", "it", ("Consiglio d'Europa",), 2005, ("heritage communities", "governance"), place="Faro",
         translates="Framework Convention on the Value of Cultural Heritage for Society"),
    Work(Resource.Kind.REPORT, "Convention for the Safeguarding of the Intangible Cultural Heritage", "en",
         ("UNESCO",), 2003, ("intangible heritage",), place="Paris",
         url="https://ich.unesco.org/en/convention"),
    Work(Resource.Kind.REPORT, "Convención para la Salvaguardia del Patrimonio Cultural Inmaterial", "es",
         ("UNESCO",), 2003, ("intangible heritage",), place="París",
         translates="Convention for the Safeguarding of the Intangible Cultural Heritage"),
    Work(Resource.Kind.REPORT, "Convenção para a Salvaguarda do Património Cultural Imaterial", "pt",
         ("UNESCO",), 2003, ("intangible heritage",), place="Paris",
         translates="Convention for the Safeguarding of the Intangible Cultural Heritage"),
    Work(Resource.Kind.GOOD_PRACTICE, "Mappe di comunità: come le abbiamo disegnate con gli abitanti", "it",
         ("Rete italiana degli ecomusei",), 2024, ("parish maps", "community engagement", "volunteering"),
         licence="CC BY 4.0",
         abstract="Dieci incontri serali, una mappa di carta e una digitale: il metodo, i materiali e gli errori da "
                  "evitare per disegnare la **mappa di comunità** di un paese con chi ci vive."),
    Work(Resource.Kind.TOOLKIT, "Raccolta fondi per piccoli musei: una guida pratica", "it",
         ("Rete italiana degli ecomusei",), 2025, ("fundraising", "crowdfunding", "art bonus"),
         licence="CC BY-SA 4.0",
         abstract="Art Bonus, campagne di crowdfunding, sponsorizzazioni locali e bandi delle fondazioni: come "
                  "organizzare la raccolta fondi di un museo con poche persone."),
    Work(Resource.Kind.CASE_STUDY, "Biglietto unico per i musei della città: il primo anno", "it",
         ("Rete dei musei di Bologna",), 2025, ("ticketing", "museum networks"), network_only=True,
         abstract="Numeri, accordi e difficoltà del primo anno di biglietto unico tra i musei della rete."),
)


def _topics(index: dict, names: tuple[str, ...]) -> list:
    return list(dict.fromkeys(c for name in names if (c := index.get(normalise_label(name))) is not None))


def _creators(names: tuple[str, ...]) -> list[CreatorData]:
    creators = []
    for name in names:
        family, comma, given = name.partition(",")
        creators.append(CreatorData(family=family.strip(), given=given.strip()) if comma
                        else CreatorData(organisation_name=name, role=Creator.Role.AUTHOR))
    return creators


def build_demo_library(*, contributors: dict[str, User], networks: dict[str, Network], operator: User,
                       say=print) -> int:
    """Add the demo works: network texts by the networks' coordinators, the others by the world platform.

    The demo accounts are new, so their contributions wait for moderation: the operator publishes all but the
    last one, which stays in the moderation queue to show it.
    """
    index = concept_index(scheme="topic")
    by_title: dict[str, Resource] = {}
    for work in WORKS:
        author = contributors["bologna" if "Bologna" in work.authors[0] else
                              "italy" if work.language == "it" else "world"]
        shared = [networks["bologna"]] if work.network_only else []
        data = ResourceData(
            kind=work.kind, title=work.title, language=work.language, abstract=work.abstract,
            creators=_creators(work.authors), year=work.year, publisher=work.publisher, place_published=work.place,
            url=work.url, licence=work.licence, topics=_topics(index, work.topics), networks=shared,
            original=by_title.get(work.translates), visibility="networks" if work.network_only else "public",
            **work.extra)
        organisation = organisations_of(user=author).get()
        by_title[work.title] = resource_create(organisation=organisation, by=author, data=data)
    for resource in list(by_title.values())[:-1]:
        if resource.moderation == Resource.Moderation.PENDING:
            resource_moderate(resource=resource, by=operator, approve=True)
    say(f"Library: {len(by_title)} resources, {sum(1 for w in WORKS if w.translates)} of them translations.")
    return len(by_title)
