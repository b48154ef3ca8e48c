"""What the benchmark measures of the library (issue 4): search with facets, OAI-PMH pages and a BibTeX export.

Under load, as an anonymous reader: the search page (`/en/library/?q=…`, a page of results with every facet) and
the API's search, for one-word and three-word queries in the five languages sent in turn, and again for thousands of
queries of the generator's words each asked once (no answer cached for an earlier query helps); the first page of an
OAI-PMH ListRecords harvest and the pages after it (their resumption tokens taken from the server's own answers
once, before measuring); the BibTeX export of the results of a search narrowed to about 1,000 results. Once: the
generator's wall times (resources written, search index built), when the run generated the library.
"""

import random
import re
from collections import Counter
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from bench.load import Request
from bench.report import Job
from sinergia.library.models import Resource

LANGUAGE = "en"
# Words of the generated texts (bench.library_lexicon) and of thesaurus labels, common and rarer, in each language.
ONE_WORD = ("museo", "fundraising", "paesaggio", "patrimoine", "voluntarios", "acessibilidade")
THREE_WORDS = ("raccolta fondi musei", "community museum volunteers", "écomusée paysage patrimoine",
               "patrimonio inmaterial comunidades", "museus comunitários património")
# Queries asked once each (see unseen_queries): more than a run asks, so that no cache of a previous answer helps.
UNSEEN_QUERIES = 2_000
UNSEEN_SEED = 7
UNSEEN_WORD_RE = re.compile(r"[^\W\d_]{5,}")
SLOT_RE = re.compile(r"\{[^}]*\}")
# The export: the results of this query, in these languages and kinds, over the latest years that hold EXPORT_RESULTS.
EXPORT_QUERY, EXPORT_LANGUAGES, EXPORT_KINDS = "museum", ("en",), ("article", "report")
EXPORT_RESULTS = 1_000
OAI_PATH = "/oai"
OAI_FIRST = f"{OAI_PATH}?{urlencode({'verb': 'ListRecords', 'metadataPrefix': 'oai_dc'})}"
RESUMPTION_PAGES = 5
TOKEN_RE = re.compile(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>")
RECORD_MARKER = b"<record>"
ENTRY_RE = re.compile(rb"^@\w+\{", re.MULTILINE)


def has_library() -> bool:
    """Whether the measured database holds library resources."""
    return Resource.objects.filter(deleted_at__isnull=True).exists()


def search_target_ms() -> float:
    """50 ms on PostgreSQL, 150 ms on SQLite."""
    return 50 if connection.vendor == "postgresql" else 150


def _page(name: str) -> str | None:
    try:
        with translation.override(LANGUAGE):
            return reverse(name)
    except NoReverseMatch:
        return None


def lexicon_words() -> dict[str, list[str]]:
    """Each language's words of five letters or more in the generator's texts (bench.library_lexicon), sorted."""
    from bench.library_lexicon import LEXICONS

    found = {}
    for code, lexicon in LEXICONS.items():
        text = SLOT_RE.sub(" ", " ".join([*lexicon.titles, *lexicon.subtitles, *lexicon.sentences, *lexicon.objects,
                                          *lexicon.groups, *lexicon.headings]))
        found[code] = sorted({word.lower() for word in UNSEEN_WORD_RE.findall(text)})
    return found


def unseen_queries(words: int, count: int = UNSEEN_QUERIES, seed: int = UNSEEN_SEED) -> tuple[str, ...]:
    """Distinct queries of `words` words of one language each (at most `count`; every word of the texts for one-word
    queries), in a seeded random order: the searches a cache of answers to earlier queries cannot serve. The
    queries asked in turn (ONE_WORD, THREE_WORDS) are left out: they are asked before, and warm the server up."""
    rng, vocabulary, known = random.Random(seed), lexicon_words(), {*ONE_WORD, *THREE_WORDS}
    if words == 1:
        queries = sorted({word for language in vocabulary.values() for word in language} - known)[:count]
    else:
        found: set[str] = set()
        languages = sorted(vocabulary)
        while len(found) < count:
            query = " ".join(rng.sample(vocabulary[rng.choice(languages)], words))
            if query not in known:
                found.add(query)
        queries = sorted(found)
    rng.shuffle(queries)
    return tuple(queries)


def search_requests(queries: tuple[str, ...]) -> tuple[Request, ...]:
    """The search page of each query (anonymous; a page of 20 results with the facets of all of them)."""
    page = _page("library:search")
    return tuple(Request(f"{page}?{urlencode({'q': query})}") for query in queries) if page else ()


def api_requests(queries: tuple[str, ...]) -> tuple[Request, ...]:
    """The API's search of each query (anonymous; 20 results and the facets)."""
    return tuple(Request(f"/api/library/resources?{urlencode({'q': query})}") for query in queries)


def oai_resumptions(pages: int = RESUMPTION_PAGES) -> tuple[Request, ...]:
    """The ListRecords pages after the first, by the tokens the endpoint hands out (in-process, same secret key)."""
    client, requests, path = Client(), [], OAI_FIRST
    for _ in range(pages):
        found = TOKEN_RE.search(client.get(path).content.decode())
        if found is None:
            break
        path = f"{OAI_PATH}?{urlencode({'verb': 'ListRecords', 'resumptionToken': found.group(1)})}"
        requests.append(Request(path))
    return tuple(requests)


def oai_topic_set() -> str:
    """The first ListRecords page of the set of the topic most resources are tagged with."""
    tagged = Resource.topics.through.objects.values_list("concept__notation", flat=True)
    notation = Counter(tagged).most_common(1)[0][0]
    return f"{OAI_PATH}?{urlencode({'verb': 'ListRecords', 'metadataPrefix': 'oai_dc', 'set': f'topic:{notation}'})}"


def export_query(results: int = EXPORT_RESULTS) -> tuple[list[tuple[str, str]], int]:
    """The search parameters of about `results` results, and how many: the export query in its languages and kinds,
    over the latest years that together hold at least `results` (the year facet's counts of one search)."""
    from sinergia.library.search import SearchFilters, resource_search

    filters = SearchFilters(languages=EXPORT_LANGUAGES, kinds=EXPORT_KINDS)
    found = resource_search(viewer=None, query=EXPORT_QUERY, filters=filters, page_size=1)
    years, total = [], 0
    for value in sorted(found.facets.get("year", []), key=lambda value: -int(value.value)):
        if total >= results:
            break
        years.append(value.value)
        total += value.count
    params = [("q", EXPORT_QUERY), *(("language", code) for code in EXPORT_LANGUAGES),
              *(("kind", kind) for kind in EXPORT_KINDS), *(("year", year) for year in years)]
    return params, total


def export_path(results: int = EXPORT_RESULTS) -> tuple[str | None, int]:
    """The BibTeX export of a search of about `results` results, and how many."""
    page = _page("library:export_search")
    params, total = export_query(results)
    return (f"{page}?{urlencode([*params, ('format', 'bibtex')])}" if page else None), total


def entries(body: bytes, kind: str) -> int:
    """How many records (OAI-PMH) or entries (BibTeX) a body holds."""
    return body.count(RECORD_MARKER) if kind == "oai" else len(ENTRY_RE.findall(body))


def generation_jobs(generated: dict) -> list[Job]:
    """The generator's wall times for the library, when this run generated it."""
    library = generated.get("library") or {}
    created, index = library.get("created"), library.get("index")
    if not created or not index:
        return []
    return [
        Job("library resources written (bulk_create, one transaction)", f"{created['seconds']:.1f} s", "", None,
            f"{created['resources']:,} resources, {created['translations']:,} translations, {created['creators']:,} "
            f"creators, {created['texts']:,} extracted texts of {created['text characters'] / 1e6:,.0f} M "
            "characters"),
        Job("library search index built (index_all_resources)", f"{index['seconds']:.1f} s", "", None,
            f"{index['resources']:,} resources, batches of 1,000"),
    ]
