"""The kind of an imported organisation, when the source does not say it: from its name and categories."""

import re
from collections.abc import Iterable

from sinergia.core.thesaurus import normalise_label
from sinergia.directory.models import Organisation

Kind = Organisation.Kind

ECOMUSEUM_WORD = re.compile(r"eco-?muse")
MUSEUM_WORDS = re.compile(r"\b(muse[oi]|museums?|musee|museu|pinacoteca|gipsoteca|quadreria|antiquarium|raccolt[ae]|"
                          r"collezion[ei]|galleri[ae]|casa[ -]museo|mostra permanente)\b")
ARCHIVE_WORDS = re.compile(r"\b(archivi[oa]?|archives?)\b")
LIBRARY_WORDS = re.compile(r"\b(bibliotec[ah]|library|bibliotheque)\b")
HERITAGE_WORDS = re.compile(
    r"\b(chiesa|basilica|cattedrale|duomo|abbazia|santuario|cappella|oratorio|battistero|convento|monastero|"
    r"castel(lo)?|rocca|torre|fortezza|forte|mura|palazzo|villa|parco|giardino|orto botanico|area|necropoli|"
    r"nuraghe|tomba|scavi|sito|anfiteatro|teatr[oi]|teatrino|mulino|complesso monumentale|monumento)\b")
# Category notations of the thesaurus, most specific kind first.
CATEGORY_KINDS = (
    ({"ecomuseum"}, Kind.ECOMUSEUM),
    ({"community-museum"}, Kind.COMMUNITY_MUSEUM),
    ({"museum-gallery-collection", "art-gallery", "interpretation-centre"}, Kind.MUSEUM),
    ({"library"}, Kind.LIBRARY),
    ({"archive"}, Kind.ARCHIVE),
    ({"archaeological-area", "archaeological-park", "religious-building", "fortified-architecture",
      "historic-villa-palace", "monument", "funerary-monument", "industrial-archaeology-monument",
      "civil-architecture", "historic-park-garden", "historic-theatre"}, Kind.HERITAGE_SITE),
)


def kind_guess(*, name: str, categories: Iterable[str] = ()) -> str:
    """The likely kind: ecomuseum by name, community museum by category, museum by name, other categories, words."""
    folded, notations = normalise_label(name), set(categories)
    if ECOMUSEUM_WORD.search(folded):
        return Kind.ECOMUSEUM
    if kind := _by_categories(notations, CATEGORY_KINDS[:2]):
        return kind
    if MUSEUM_WORDS.search(folded):
        return Kind.MUSEUM
    if kind := _by_categories(notations, CATEGORY_KINDS[2:]):
        return kind
    for words, kind in ((ARCHIVE_WORDS, Kind.ARCHIVE), (LIBRARY_WORDS, Kind.LIBRARY),
                        (HERITAGE_WORDS, Kind.HERITAGE_SITE)):
        if words.search(folded):
            return kind
    return Kind.MUSEUM


def _by_categories(notations: set[str], table) -> str | None:
    return next((kind for category_notations, kind in table if notations & category_notations), None)
