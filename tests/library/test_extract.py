"""Text extraction from PDF, OpenDocument, Office Open XML and text files: exact text, bounds and clear failures."""

import logging

import pytest

from sinergia.library.extract import (
    DOCX,
    ODF_TYPES,
    PDF,
    PPTX,
    XLSX,
    ExtractedText,
    ExtractionError,
    extract_text,
    text_normalise,
)
from tests.library import files

ODT, ODS = list(ODF_TYPES)[:2]
ITALIAN_TEXT = (
    "Il museo civico di Bologna apre le sue sale alle scuole.\n"
    "Le visite guidate durano un'ora e mezza, perché la collezione è ricca.\n\n"
    "La rete dei piccoli musei dell'Emilia-Romagna condivide un catalogo comune.\n"
    "Città, borghi e università collaborano: è una novità per il territorio.\n\n"
    "Conclusioni: più accessibilità, meno barriere; l'ingresso costa 5 €."
)


@pytest.fixture
def write(tmp_path):
    def write(data: bytes, name: str = "file") -> str:
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)
    return write


def failure(path: str, file_type: str) -> str:
    with pytest.raises(ExtractionError) as raised:
        extract_text(path, file_type)
    return str(raised.value)


# --- PDF -----------------------------------------------------------------------------------------------------------------


def test_pdf_gives_the_text_of_every_page_and_their_number(write):
    assert extract_text(write(files.pdf_bytes()), PDF) == ExtractedText(body=ITALIAN_TEXT, pages=3)


def test_pdf_with_only_an_owner_password_is_read(write):
    data = files.encrypted_pdf_bytes(user_password="", owner_password="proprietario")
    assert extract_text(write(data), PDF) == ExtractedText(body=ITALIAN_TEXT, pages=3)


def test_pdf_with_a_password_fails_clearly(write):
    assert failure(write(files.encrypted_pdf_bytes()), PDF) == (
        "The PDF is encrypted: it opens only with a password, so its text cannot be read.")


def test_pdf_cut_short_fails_clearly(write):
    assert failure(write(files.corrupt_pdf_bytes()), PDF) == (
        "The PDF is damaged and its text could not be read (Stream has ended unexpectedly).")


def test_pdf_that_is_not_a_pdf_fails_clearly(write):
    assert failure(write(b"%PDF-1.4\nnient'altro"), PDF).startswith("The PDF is damaged and its text could not be read (")


def test_pdf_damage_makes_no_noise(write, caplog, recwarn):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ExtractionError):
        extract_text(write(files.corrupt_pdf_bytes()), PDF)
    assert ([r.getMessage() for r in caplog.records if r.name.startswith("pypdf")], list(recwarn)) == ([], [])


def test_pdf_stops_at_the_page_limit_and_says_so(write, settings):
    settings.LIBRARY_TEXT_MAX_PAGES = 2
    extracted = extract_text(write(files.pdf_bytes()), PDF)
    assert extracted == ExtractedText(body=ITALIAN_TEXT.rsplit("\n\n", 1)[0], pages=3, truncated=True)


def test_pdf_stops_at_the_character_limit_and_says_so(write, settings):
    settings.LIBRARY_TEXT_MAX_CHARS = 30
    extracted = extract_text(write(files.pdf_bytes()), PDF)
    assert extracted == ExtractedText(body="Il museo civico di Bologna apr", pages=3, truncated=True)


def test_pdf_out_of_time_before_any_page_fails_clearly(write, settings):
    settings.LIBRARY_TEXT_TIMEOUT_SECONDS = 0
    assert failure(write(files.pdf_bytes()), PDF) == "Reading the file took longer than the 0 seconds allowed."


def test_pdf_without_text_gives_an_empty_body(write):
    assert extract_text(write(files.pdf_bytes(("", ""))), PDF) == ExtractedText(body="", pages=2)


# --- OpenDocument and Office Open XML -------------------------------------------------------------------------------------


def test_odt_gives_headings_and_paragraphs_with_spaces_and_tabs(write):
    extracted = extract_text(write(files.odt_bytes()), ODT)
    assert extracted == ExtractedText(body="Titolo del rapporto\n\n" + ITALIAN_TEXT)


def test_ods_gives_the_cells(write):
    assert extract_text(write(files.ods_bytes()), ODS).body == "Museo\n\nVisitatori"


def test_odt_footnote_is_read_once(write):
    body = ('<office:text><text:p>Testo<text:note><text:note-citation>1</text:note-citation><text:note-body>'
            "<text:p>Nota a piè di pagina</text:p></text:note-body></text:note> finale</text:p></office:text>")
    assert extract_text(write(files.odf_bytes("odt", body)), ODT).body == "Nota a piè di pagina\n\nTesto1 finale"


def test_docx_gives_paragraphs_and_line_breaks_without_deleted_text(write):
    assert extract_text(write(files.docx_bytes()), DOCX) == ExtractedText(body=ITALIAN_TEXT)


def test_pptx_gives_the_slides_in_order(write):
    slides = tuple(f"Diapositiva {n}" for n in range(1, 12))
    assert extract_text(write(files.pptx_bytes(slides)), PPTX).body == "\n\n".join(slides)


def test_xlsx_gives_the_shared_strings(write):
    assert extract_text(write(files.xlsx_bytes(("Museo", "Città"))), XLSX).body == "Museo\n\nCittà"


def test_docx_zip_bomb_is_not_opened(write):
    assert failure(write(files.zip_bomb_docx_bytes()), DOCX) == (
        "The document would expand to more than 500.0\xa0MB when opened, so it was not read.")


def test_docx_whose_part_lies_about_its_size_fails_clearly(write):
    assert failure(write(files.lying_docx_bytes()), DOCX) == (
        "The document is damaged and its text could not be read (Bad CRC-32 for file 'word/document.xml').")


def test_docx_with_broken_xml_fails_clearly(write):
    data = files._zip({"[Content_Types].xml": files.CONTENT_TYPES, "word/document.xml": "<w:document><w:body>"})
    assert failure(write(data), DOCX).startswith(
        "The document is damaged and its text could not be read (Namespace prefix w on document is not defined")


def test_odt_without_content_fails_clearly(write):
    data = files._zip({"mimetype": files.ODF_MIMES["odt"]})
    assert failure(write(data), ODT) == (
        "The document is damaged and its text could not be read (\"There is no item named 'content.xml' in the "
        "archive\").")


def test_docx_entities_are_not_expanded(write):
    document = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY segreto SYSTEM "file:///etc/passwd">'
                '<!ENTITY eco "ripetuto">]>'
                f'<w:document xmlns:w="{files.W_NS}"><w:body><w:p><w:r><w:t>prima &segreto; &eco; dopo</w:t></w:r>'
                "</w:p></w:body></w:document>")
    data = files._zip({"[Content_Types].xml": files.CONTENT_TYPES, "word/document.xml": document})
    assert extract_text(write(data), DOCX).body == "prima dopo"


def test_docx_stops_reading_at_the_character_limit(write, settings):
    settings.LIBRARY_TEXT_MAX_CHARS = 100
    paragraphs = "".join(f"<w:p><w:r><w:t>Paragrafo numero {n}</w:t></w:r></w:p>" for n in range(50_000))
    # Broken XML far past the limit: reading it all would fail.
    document = f'<w:document xmlns:w="{files.W_NS}"><w:body>{paragraphs}<w:p></w:body>'
    data = files._zip({"[Content_Types].xml": files.CONTENT_TYPES, "word/document.xml": document})
    extracted = extract_text(write(data), DOCX)
    expected = "\n\n".join(f"Paragrafo numero {n}" for n in range(6))[:100].rstrip()
    assert (extracted.body, extracted.truncated) == (expected, True)


# --- Plain text and normalisation ------------------------------------------------------------------------------------------


def test_text_file_is_read_without_its_byte_order_mark(write):
    data = "\ufeffTitolo\r\n\r\n\r\n\r\nCittà  e\tmusei\r\n".encode()
    assert extract_text(write(data), "text/markdown") == ExtractedText(body="Titolo\n\nCittà e musei")


def test_text_file_is_cut_at_the_character_limit(write, settings):
    settings.LIBRARY_TEXT_MAX_CHARS = 5
    assert extract_text(write("àèìòùàèìòù".encode()), "text/plain") == ExtractedText(body="àèìòù", truncated=True)


def test_image_has_no_text_to_read(write):
    assert failure(write(files.image_bytes("PNG")), "image/png") == "This kind of file holds no text to read."


def test_normalise_drops_nuls_controls_and_invisible_characters():
    assert text_normalise("a\x00b\x07c\u00add\u200be\ufeff") == "ab cde"


def test_normalise_collapses_spaces_and_blank_lines():
    assert text_normalise("  uno \u00a0 due\t\ttre  \n \n\n\n\fquattro\r\ncinque\u2028sei ") == (
        "uno due tre\n\nquattro\ncinque\nsei")


def test_normalise_composes_accents():
    assert text_normalise("citta\u0300") == "città"
