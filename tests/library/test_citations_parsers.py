"""RIS, BibTeX and CSL-JSON read into records: fields, names, dates, languages, encodings and broken entries."""

import json

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sinergia.library.citations import parse_bibtex, parse_csljson, parse_ris, read_citations
from sinergia.library.citations.languages import language_from_text
from sinergia.library.services import CreatorData

RIS_FULL = """TY  - JOUR
AU  - Rossi, Maria
AU  - ICOM Italia
A2  - Bianchi, Luca
TI  - Ecomusei e comunità
T2  - Museologia scientifica
PY  - 2020/05/13/
VL  - 14
IS  - 2
SP  - 10
EP  - 20
DO  - https://doi.org/10.1000/ABC.123
UR  - https://example.org/ecomusei
LA  - Italian
AB  - Primo paragrafo,
  sulla stessa riga.

Secondo paragrafo.
ER  -
"""


def ris(body: str) -> str:
    return f"TY  - JOUR\nTI  - Un titolo\n{body}ER  - \n"


# --- RIS -------------------------------------------------------------------------------------------------------


def test_ris_record_maps_every_field():
    [record] = parse_ris(RIS_FULL)
    data = record.data
    assert (record.errors, record.warnings) == ([], [])
    assert (data.kind, data.title, data.language) == ("article", "Ecomusei e comunità", "it")
    assert data.creators == [CreatorData(family="Rossi", given="Maria"),
                             CreatorData(organisation_name="ICOM Italia"),
                             CreatorData(family="Bianchi", given="Luca", role="editor")]
    assert (data.year, data.month, data.day) == (2020, 5, 13)
    assert (data.container_title, data.volume, data.issue, data.pages) == ("Museologia scientifica", "14", "2",
                                                                           "10-20")
    assert (data.doi, data.url) == ("10.1000/abc.123", "https://example.org/ecomusei")
    assert data.abstract == "Primo paragrafo,\nsulla stessa riga.\n\nSecondo paragrafo."


@pytest.mark.parametrize(("type_code", "kind"), [
    ("JOUR", "article"), ("BOOK", "book"), ("CHAP", "chapter"), ("RPRT", "report"), ("THES", "thesis"),
    ("VIDEO", "video"), ("ELEC", "website"), ("WEB", "website"), ("DATA", "dataset"), ("SLIDE", "presentation"),
    ("Journal Article", "article"), ("jour", "article"),
])
def test_ris_type_becomes_its_kind(type_code, kind):
    [record] = parse_ris(f"TY  - {type_code}\nTI  - Titolo\nLA  - it\nER  - \n")
    assert (record.data.kind, record.warnings) == (kind, [])


def test_ris_unknown_type_becomes_a_report_with_a_warning():
    [record] = parse_ris("TY  - ART\nTI  - Titolo\nLA  - it\nER  - \n")
    assert (record.data.kind, record.errors) == ("report", [])
    assert record.warnings == ["The type “ART” has no equivalent here: the record is imported as a report."]


def test_ris_type_of_work_names_our_own_kinds():
    [record] = parse_ris("TY  - RPRT\nM3  - Good practice\nTI  - Titolo\nLA  - it\nER  - \n")
    assert record.data.kind == "good_practice"


def test_ris_record_without_its_end_is_an_error_and_the_others_are_read():
    text = ris("LA  - it\n") + "TY  - BOOK\nTI  - Interrotto\nLA  - it\n" + ris("LA  - en\n")
    records = parse_ris(text)
    assert [(r.index, r.ok) for r in records] == [(1, True), (2, False), (3, True)]
    assert records[1].errors == ["The record that starts on line 5 has no end line (ER  -): the file may be cut "
                                 "short or damaged."]
    assert records[1].title == "Interrotto"


def test_ris_record_without_title_is_an_error():
    [record] = parse_ris("TY  - JOUR\nLA  - it\nER  - \n")
    assert record.errors == ["Title: Give the title of the resource."]


@pytest.mark.parametrize(("line", "error"), [
    ("DO  - 11.1000/x", "DOI: “11.1000/x” is not a DOI (it starts with 10. and a slash follows the prefix)."),
    ("SN  - 978-88-123-4567-1", "ISBN: “978-88-123-4567-1” is not a valid ISBN-10 or ISBN-13."),
])
def test_ris_bad_identifier_is_an_error(line, error):
    text = f"TY  - BOOK\nTI  - Titolo\nLA  - it\n{line}\nER  - \n"
    [record] = parse_ris(text)
    assert record.errors == [error]


def test_ris_issn_of_an_article_is_not_taken_for_an_isbn():
    [record] = parse_ris(ris("LA  - it\nSN  - 1932-6208\n"))
    assert (record.ok, record.data.isbn) == (True, "")


def test_ris_book_isbn_is_kept_as_digits():
    [record] = parse_ris("TY  - BOOK\nTI  - Titolo\nLA  - it\nSN  - 978-0-306-40615-7 (pbk.)\nER  - \n")
    assert record.data.isbn == "9780306406157"


def test_ris_bad_web_address_is_left_out_with_a_warning():
    [record] = parse_ris(ris("LA  - it\nUR  - http://example_url.com\n"))
    assert (record.ok, record.data.url) == (True, "")
    assert record.warnings == ["The web address “http://example_url.com” is not valid: it was left out."]


def test_ris_without_language_is_an_error_unless_a_default_is_given():
    [without] = parse_ris(ris(""))
    [defaulted] = parse_ris(ris(""), default_language="fr")
    assert without.errors == ["The record does not say its language: choose a default language for the import."]
    assert (defaulted.errors, defaulted.warnings, defaulted.data.language) == ([], [], "fr")


def test_ris_unknown_language_is_an_error_unless_a_default_is_given():
    [without] = parse_ris(ris("LA  - Klingon\n"))
    [defaulted] = parse_ris(ris("LA  - Klingon\n"), default_language="it")
    reason = "“Klingon” is neither a language tag (e.g. it, en, pt-BR) nor a language's name."
    assert without.errors == [reason]
    assert (defaulted.data.language, defaulted.warnings) == ("it", [f"{reason} The import's default language was "
                                                                    "used."])


def test_ris_cyrillic_and_bom_are_read():
    content = "\ufeffTY  - JOUR\nAU  - Добрynina, Ю. Е.\nTI  - Состояние эндометрия\nLA  - ru\nER  - \n"
    read = read_citations(content.encode("utf-8"))
    [record] = read.records
    assert (read.format, read.encoding, read.warnings) == ("ris", "utf-8", [])
    assert (record.title, record.data.creators[0].family) == ("Состояние эндометрия", "Добрynina")


def test_windows_1252_file_is_read_with_a_warning():
    content = "TY  - JOUR\r\nTI  - Università e città – “musei”\r\nLA  - it\r\nER  - \r\n".encode("cp1252")
    read = read_citations(content)
    assert read.records[0].title == "Università e città – “musei”"
    assert (read.encoding, read.warnings) == ("cp1252", [
        "The file is not in UTF-8: it was read as Windows-1252 (Western European). Check its accented letters in "
        "the preview."])


def test_utf16_file_with_its_mark_is_read():
    read = read_citations("TY  - JOUR\nTI  - Già\nLA  - it\nER  - \n".encode("utf-16"))
    assert (read.encoding, read.records[0].title) == ("utf-16", "Già")


def test_web_of_science_export_is_read():
    text = ("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Rossi, M\nAF Rossi, Maria\nTI A long title\n"
            "   on two lines\nSO MUSEUM JOURNAL\nLA English\nPY 2004\nVL 43\nBP 5\nEP 9\nDI 10.1021/bi0\nER\nEF\n")
    [record] = read_citations(text.encode()).records
    data = record.data
    assert (record.errors, data.title, data.language, data.year, data.pages) == (
        [], "A long title on two lines", "en", 2004, "5-9")
    assert data.creators == [CreatorData(family="Rossi", given="Maria")]


# --- BibTeX ----------------------------------------------------------------------------------------------------

BIB_FULL = r"""
@Article{rossi2020,
  author = {Rossi, Maria and {ICOM Italia} and van der Berg, Anna and Jean C{\'e}sar and M{\"u}ller, J{\"o}rg},
  editor = {Bianchi, Luca},
  title = {Ecomus{\'e}es et {UNESCO}: l'{\`e}re du 10\% \& plus},
  journal = {Museologia},
  year = 2020, month = may,
  volume = {14}, number = {2}, pages = {10--20},
  doi = {10.1000/xyz_1%2F},
  langid = {french},
}
"""


def test_bibtex_entry_maps_every_field_and_decodes_latex():
    [record] = parse_bibtex(BIB_FULL)
    data = record.data
    assert (record.source_key, record.errors, record.warnings) == ("rossi2020", [], [])
    assert (data.kind, data.title, data.language) == ("article", "Ecomusées et UNESCO: l'ère du 10% & plus", "fr")
    assert data.creators == [
        CreatorData(family="Rossi", given="Maria"), CreatorData(organisation_name="ICOM Italia"),
        CreatorData(family="van der Berg", given="Anna"), CreatorData(family="César", given="Jean"),
        CreatorData(family="Müller", given="Jörg"), CreatorData(family="Bianchi", given="Luca", role="editor")]
    assert (data.year, data.month, data.container_title, data.volume, data.issue, data.pages, data.doi) == (
        2020, 5, "Museologia", "14", "2", "10-20", "10.1000/xyz_1%2f")


@pytest.mark.parametrize("month", ["may", "{May}", '"may"', "5", "{5}", "{mayo}"])
def test_bibtex_month_in_any_spelling(month):
    [record] = parse_bibtex(f"@book{{k, title={{T}}, year={{2001}}, month={month}, langid={{english}}}}")
    assert (record.data.year, record.data.month) == (2001, None if month == "{mayo}" else 5)


def test_bibtex_biblatex_date_gives_year_month_and_day():
    [record] = parse_bibtex("@online{k, title={T}, date={2019-11-04}, langid={italian}}")
    assert (record.data.kind, record.data.year, record.data.month, record.data.day) == ("website", 2019, 11, 4)


def test_bibtex_string_macros_and_concatenation_are_resolved():
    text = ('@string{conf = "International"}\n@string{where = "My " # conf # " Conference"}\n'
            '@inproceedings{k, author = "John " # doe, title = {A} # " " # {title}, booktitle = where, '
            'year = 2014, langid = {english}}\n@string{doe = "Doe"}')
    [record] = parse_bibtex(text)
    assert (record.data.title, record.data.container_title) == ("A title", "My International Conference")


def test_bibtex_crossref_gives_the_book_to_its_chapter():
    text = ("@incollection{ch, author={Rossi, Maria}, title={Il capitolo}, crossref={bk}, pages={3--9}}\n"
            "@collection{bk, editor={Bianchi, Luca}, title={Il libro}, publisher={Pendragon}, year={2011}, "
            "langid={italian}, isbn={978-0-306-40615-7}}")
    chapter, book = parse_bibtex(text)
    assert (chapter.data.kind, chapter.data.title, chapter.data.container_title, chapter.data.publisher,
            chapter.data.year, chapter.data.language) == ("chapter", "Il capitolo", "Il libro", "Pendragon", 2011,
                                                          "it")
    assert chapter.data.creators == [CreatorData(family="Rossi", given="Maria"),
                                     CreatorData(family="Bianchi", given="Luca", role="editor")]
    assert (book.data.kind, book.data.title) == ("book", "Il libro")


def test_bibtex_missing_crossref_is_a_warning():
    [record] = parse_bibtex("@inbook{k, title={T}, crossref={nowhere}, langid={english}}")
    assert (record.ok, record.warnings) == (True, ["The entry it cross-references (“nowhere”) is not in the file."])


def test_bibtex_broken_entries_are_errors_and_the_next_are_read():
    text = ("@article{good1, title={First}, langid={english}}\n"
            "@article{broken, title={Unclosed, langid={english}\n\n"
            "@book{good2, author={Rossi, {Maria}, title={Bad name}, langid={english}}\n"
            "@book{good3, title={Fine}, langid={english}}\n")
    records = parse_bibtex(text)
    assert [(r.index, r.source_key, r.title, r.errors) for r in records] == [
        (1, "good1", "First", []),
        (2, "broken", "", ["The entry that starts on line 2 cannot be read: check its braces, commas and quotes."]),
        (3, "good2", "", ["The entry that starts on line 4 cannot be read: check its braces, commas and quotes."]),
        (4, "good3", "Fine", [])]


def test_bibtex_duplicate_key_is_an_error_record():
    records = parse_bibtex("@book{a, title={One}, langid={en}}\n@book{a, title={Two}, langid={en}}\n")
    assert [(r.source_key, r.ok, r.errors) for r in records] == [
        ("a", True, []), ("a", False, ["Another entry of the file already uses the key “a”."])]


def test_bibtex_name_that_cannot_be_split_is_an_error_record():
    [record] = parse_bibtex("@book{k, author={Rossi, Maria,}, title={T}, langid={en}}")
    assert (record.data, record.errors) == (None, [
        "A name of this entry cannot be read: “Rossi, Maria,” (check its braces and commas)."])


def test_bibtex_set_is_not_a_resource():
    [record] = parse_bibtex("@set{s, entryset={a,b}}")
    assert record.errors == ["A @set entry holds or groups other entries; it is not a resource of its own."]


def test_bibtex_bare_percent_is_a_percent_sign():
    [record] = parse_bibtex("@misc{k, title={50% of museums}, langid={italian}}")
    assert record.data.title == "50% of museums"


def test_bibtex_and_others_is_left_out_with_a_warning():
    [record] = parse_bibtex("@book{k, author={Rossi, Maria and others}, title={T}, langid={italian}}")
    assert (record.data.creators, record.warnings) == ([CreatorData(family="Rossi", given="Maria")],
                                                        ["“and others” in the creators was left out."])


# --- CSL-JSON --------------------------------------------------------------------------------------------------


def test_csljson_item_maps_every_field():
    item = {"id": "x1", "type": "report", "genre": "Good practice", "title": "Buone pratiche",
            "author": [{"family": "Berg", "non-dropping-particle": "van den", "given": "Anna"},
                       {"literal": "Ecomuseo del Casentino"}],
            "translator": [{"family": "Rossi", "given": "Maria", "suffix": "Jr."}],
            "issued": {"date-parts": [["2018", 3]]}, "publisher": "Regione", "publisher-place": "Firenze",
            "page": "3–7", "ISBN": "978-0-306-40615-7 0-306-40615-2", "URL": "https://example.org/bp",
            "language": "it-IT", "license": "CC BY 4.0", "abstract": "Uno.\n\nDue."}
    [record] = parse_csljson(json.dumps([item]))
    data = record.data
    assert (record.source_key, record.errors, record.warnings) == ("x1", [], [])
    assert (data.kind, data.title, data.language, data.year, data.month, data.day) == (
        "good_practice", "Buone pratiche", "it-IT", 2018, 3, None)
    assert data.creators == [CreatorData(family="van den Berg", given="Anna"),
                             CreatorData(organisation_name="Ecomuseo del Casentino"),
                             CreatorData(family="Rossi", given="Maria, Jr.", role="translator")]
    assert (data.publisher, data.place_published, data.pages, data.isbn, data.url, data.licence, data.abstract) == (
        "Regione", "Firenze", "3-7", "9780306406157", "https://example.org/bp", "CC BY 4.0", "Uno.\n\nDue.")


@pytest.mark.parametrize(("issued", "year"), [({"raw": "2020-05"}, 2020), ({"literal": "Spring 1999"}, 1999),
                                              ({"date-parts": [[]]}, None), ("1987", 1987)])
def test_csljson_dates_in_their_other_forms(issued, year):
    [record] = parse_csljson(json.dumps({"type": "book", "title": "T", "language": "en", "issued": issued}))
    assert record.data.year == year


def test_csljson_item_of_the_wrong_shape_is_an_error():
    items = [["not", "an", "object"], {"type": "book", "title": {"text": "T"}, "language": "en"},
             {"type": "book", "title": "T", "language": "en", "author": "Rossi"}]
    records = parse_csljson(json.dumps(items))
    assert [r.errors for r in records] == [
        ["This item is not a JSON object with fields."],
        ["The field “title” should be a text.", "Title: Give the title of the resource."],
        ["The field “author” should be a list of names."]]


def test_csljson_that_is_not_json_is_refused():
    with pytest.raises(ValidationError) as caught:
        parse_csljson('[{"title": "T",}')
    assert caught.value.code == "invalid_json"


# --- The whole file --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "name", "expected"), [
    (b"\n\nTY  - JOUR\nER  - \n", "", "ris"), (b"FN Clarivate\nPT J\nER\n", "", "ris"),
    (b'  [{"title": "T"}]', "", "csljson"), (b"% comment\n@book{k, title={T}}", "", "bibtex"),
    (b"% only a comment", "refs.bib", "bibtex"),
])
def test_format_is_recognised_from_the_content(content, name, expected):
    from sinergia.library.citations import detect_format

    assert detect_format(content.decode(), name) == expected


def test_unrecognised_format_is_refused():
    with pytest.raises(ValidationError) as caught:
        read_citations(b"Just some text", filename="notes.txt.odt")
    assert caught.value.messages == ["The format of the file cannot be recognised: upload a RIS (.ris), BibTeX "
                                     "(.bib) or CSL-JSON (.json) file."]


def test_file_over_the_size_limit_is_refused(settings):
    settings.LIBRARY_IMPORT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        read_citations(ris("LA  - it\n").encode() * 5)
    assert caught.value.messages == ["The file is larger than 100\xa0bytes: split it into smaller files."]


@pytest.mark.parametrize("kind", ["ris", "bibtex", "csljson"])
def test_file_over_the_record_limit_is_refused(settings, kind):
    settings.LIBRARY_IMPORT_MAX_RECORDS = 2
    content = {"ris": ris("LA  - it\n") * 3, "bibtex": "@book{a, title={A}}@book{b, title={B}}@book{c, title={C}}",
               "csljson": json.dumps([{"title": "A"}] * 3)}[kind]
    with pytest.raises(ValidationError) as caught:
        read_citations(content.encode())
    assert caught.value.messages == ["The file holds 3 citations; at most 2 can be imported at once: split it."]


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as caught:
        read_citations(b"\xef\xbb\xbf  \n")
    assert caught.value.messages == ["The file is empty."]


@pytest.mark.parametrize(("text", "tag"), [
    ("English", "en"), ("italian", "it"), ("Italiano", "it"), ("inglese", "en"), ("Português", "pt"),
    ("ngerman", "de"), ("brazilian", "pt-BR"), ("langlatin and langgerman", "la"), ("eng", "en"), ("pt_br", "pt-BR"),
    ("English; French", "en"), ("Русский", "ru"), ("français", "fr"),
])
def test_language_names_and_tags_become_tags(text, tag):
    assert language_from_text(text) == tag


# --- Never a crash ---------------------------------------------------------------------------------------------


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_a_message(content):
    try:
        read = read_citations(content, filename="x.bib")
    except ValidationError as error:
        assert error.messages
    else:
        assert all(record.ok or record.errors for record in read.records)


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["TY  - JOUR", "TY  - BOOK", "ER  - ", "AU  - Rossi, M", "AU  - ", "TI  - T",
                                 "PY  - 20x", "SP  - 1--", "LA  - it", "DO  - 10.", "  continued", "", "UR  - ;"]),
                max_size=30),
       st.sampled_from(["@book{", "@article{k,", "}", "title={", "author={A and {B", "month=13,", "@string{x=",
                        "x # {y}", "%", "\\'{", "crossref={k}", "langid={}"]))
def test_broken_ris_and_bibtex_never_crash(lines, fragment):
    for parse, text in ((parse_ris, "\n".join(lines)), (parse_bibtex, fragment * 3 + "\n".join(lines))):
        try:
            records = parse(text)
        except ValidationError as error:
            assert error.messages
        else:
            assert all(record.ok or record.errors for record in records)
