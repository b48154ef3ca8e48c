"""Which kind of resource each citation type is, and back: RIS TY, BibTeX entry types, CSL types.

Kinds the formats lack (toolkit, case study, good practice, poster, presentation) travel in a free "type of work"
field (RIS M3, BibTeX `type`, CSL `genre`) holding one of GENRES, so that an export imports back as the same kind.
"""

import re

from sinergia.library.models import Resource

K = Resource.Kind
# The kind a citation type we do not know becomes (with a warning): the grey literature a library most often holds.
FALLBACK = K.REPORT

GENRES: dict[str, str] = {
    K.TOOLKIT: "toolkit",
    K.CASE_STUDY: "case study",
    K.GOOD_PRACTICE: "good practice",
    K.POSTER: "poster",
    K.PRESENTATION: "presentation",
}

RIS_TYPES: dict[str, str] = {
    **dict.fromkeys(("JOUR", "EJOUR", "MGZN", "NEWS", "JFULL", "INPR", "ABST", "SER", "CPAPER"), K.ARTICLE),
    **dict.fromkeys(("BOOK", "EBOOK", "EDBOOK", "CLSWK", "ANCIENT", "CTLG", "DICT", "ENCYC", "CONF"), K.BOOK),
    **dict.fromkeys(("CHAP", "ECHAP"), K.CHAPTER),
    **dict.fromkeys(("RPRT", "GOVDOC", "STAND", "PAMP", "UNPB", "MANSCPT", "GEN", "GRANT"), K.REPORT),
    "THES": K.THESIS,
    **dict.fromkeys(("VIDEO", "MPCT", "ADVS", "MULTI"), K.VIDEO),
    **dict.fromkeys(("ELEC", "WEB", "BLOG", "ICOMM"), K.WEBSITE),
    **dict.fromkeys(("DATA", "DBASE", "AGGR"), K.DATASET),
    "SLIDE": K.PRESENTATION,
}
# Names some programs write instead of the codes (EndNote: "Journal Article", "Book Section").
RIS_TYPE_NAMES: dict[str, str] = {
    "journal article": "JOUR", "magazine article": "MGZN", "newspaper article": "NEWS", "book": "BOOK",
    "edited book": "EDBOOK", "book section": "CHAP", "thesis": "THES", "report": "RPRT", "web page": "ELEC",
    "conference paper": "CPAPER", "conference proceedings": "CONF", "dataset": "DATA", "film or broadcast": "VIDEO",
    "generic": "GEN", "electronic article": "EJOUR", "electronic book": "EBOOK",
}
RIS_EXPORT: dict[str, str] = {
    K.ARTICLE: "JOUR", K.BOOK: "BOOK", K.CHAPTER: "CHAP", K.REPORT: "RPRT", K.THESIS: "THES", K.TOOLKIT: "GEN",
    K.CASE_STUDY: "RPRT", K.GOOD_PRACTICE: "RPRT", K.VIDEO: "VIDEO", K.POSTER: "GEN", K.PRESENTATION: "SLIDE",
    K.WEBSITE: "ELEC", K.DATASET: "DATA",
}
# Web of Science's PT: J journal, B book, S series, P patent, C conference.
WOS_TYPES: dict[str, str] = {"J": K.ARTICLE, "B": K.BOOK, "S": K.BOOK, "C": K.ARTICLE, "P": K.REPORT}

BIBTEX_TYPES: dict[str, str] = {
    **dict.fromkeys(("article", "periodical", "suppperiodical", "inproceedings", "conference", "review"), K.ARTICLE),
    **dict.fromkeys(("book", "mvbook", "booklet", "collection", "mvcollection", "proceedings", "mvproceedings",
                     "reference", "mvreference"), K.BOOK),
    **dict.fromkeys(("inbook", "incollection", "bookinbook", "suppbook", "suppcollection", "inreference"), K.CHAPTER),
    **dict.fromkeys(("techreport", "report", "unpublished", "patent", "misc"), K.REPORT),
    **dict.fromkeys(("phdthesis", "mastersthesis", "thesis"), K.THESIS),
    "manual": K.TOOLKIT,
    **dict.fromkeys(("online", "electronic", "www", "webpage"), K.WEBSITE),
    **dict.fromkeys(("dataset", "data"), K.DATASET),
    **dict.fromkeys(("video", "movie"), K.VIDEO),
}
# Entry types that are not works of their own: a set of other entries, a container of shared fields.
BIBTEX_NOT_WORKS = frozenset({"set", "xdata"})
BIBTEX_EXPORT: dict[str, str] = {
    K.ARTICLE: "article", K.BOOK: "book", K.CHAPTER: "incollection", K.REPORT: "techreport", K.THESIS: "thesis",
    K.TOOLKIT: "manual", K.CASE_STUDY: "techreport", K.GOOD_PRACTICE: "techreport", K.VIDEO: "video",
    K.POSTER: "misc", K.PRESENTATION: "misc", K.WEBSITE: "online", K.DATASET: "dataset",
}

CSL_TYPES: dict[str, str] = {
    **dict.fromkeys(("article", "article-journal", "article-magazine", "article-newspaper", "review", "review-book",
                     "paper-conference", "interview"), K.ARTICLE),
    **dict.fromkeys(("book", "classic", "collection", "periodical"), K.BOOK),
    **dict.fromkeys(("chapter", "entry", "entry-dictionary", "entry-encyclopedia"), K.CHAPTER),
    **dict.fromkeys(("report", "document", "pamphlet", "standard", "manuscript", "patent"), K.REPORT),
    "thesis": K.THESIS,
    **dict.fromkeys(("motion_picture", "broadcast"), K.VIDEO),
    **dict.fromkeys(("webpage", "post", "post-weblog"), K.WEBSITE),
    "dataset": K.DATASET,
    "speech": K.PRESENTATION,
    "graphic": K.POSTER,
}
CSL_EXPORT: dict[str, str] = {
    K.ARTICLE: "article-journal", K.BOOK: "book", K.CHAPTER: "chapter", K.REPORT: "report", K.THESIS: "thesis",
    K.TOOLKIT: "report", K.CASE_STUDY: "report", K.GOOD_PRACTICE: "report", K.VIDEO: "motion_picture",
    K.POSTER: "graphic", K.PRESENTATION: "speech", K.WEBSITE: "webpage", K.DATASET: "dataset",
}

_GENRE_KINDS = {genre: kind for kind, genre in GENRES.items()}


def kind_of_genre(text: str) -> str | None:
    """Our kind named by a "type of work" field ("Case study", "good_practice"), if it names one."""
    words = re.sub(r"[\s_-]+", " ", (text or "").strip().lower())
    return _GENRE_KINDS.get(words)


def ris_kind(type_code: str) -> str | None:
    """The kind of a RIS TY value (a code, or the name some programs write), None if unknown."""
    code = (type_code or "").strip()
    code = RIS_TYPE_NAMES.get(code.lower(), code.upper())
    return RIS_TYPES.get(code)
