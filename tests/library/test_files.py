"""Uploaded files of resources: judged by their content, stored under a generated name, removed with their text."""

import gzip
import hashlib
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from sinergia.library.models import Resource, ResourceText
from sinergia.library.services.files import (
    FileInfo,
    resource_file_check,
    resource_file_remove,
    resource_file_store,
)
from tests import factories
from tests.library import files

ACCEPTED = ("The library accepts PDF files, OpenDocument and Microsoft Office documents (texts, spreadsheets, "
            "presentations), plain text or Markdown files, and JPEG, PNG, WebP, GIF or TIFF images.")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def refusal(upload) -> tuple[str, str]:
    """The code and message of the one error the check raises on the "file" field."""
    with pytest.raises(ValidationError) as raised:
        resource_file_check(upload)
    [error] = raised.value.error_dict["file"]
    return error.code, error.messages[0]


def lie(name: str, claimed: str, what: str) -> tuple[str, str]:
    return "file_type_refused", f"“{name}” is not a {claimed} file but {what}, which cannot be uploaded. {ACCEPTED}"


def refused(name: str, what: str) -> tuple[str, str]:
    return "file_type_refused", f"“{name}” is {what}, which cannot be uploaded. {ACCEPTED}"


# --- What is accepted ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "name", "file_type", "extension"), [
    (files.pdf_bytes(), "rapporto.pdf", "application/pdf", "pdf"),
    (files.odt_bytes(), "testo.odt", "application/vnd.oasis.opendocument.text", "odt"),
    (files.ods_bytes(), "foglio.ods", "application/vnd.oasis.opendocument.spreadsheet", "ods"),
    (files.odf_bytes("odp", "<office:presentation/>"), "diapositive.odp",
     "application/vnd.oasis.opendocument.presentation", "odp"),
    (files.docx_bytes(), "testo.docx", DOCX, "docx"),
    (files.xlsx_bytes(), "foglio.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    (files.pptx_bytes(), "diapositive.pptx",
     "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    ("Città e musei.\n".encode(), "note.txt", "text/plain", "txt"),
    ("# Titolo\n\nÈ così.\n".encode(), "leggimi.md", "text/markdown", "md"),
    (b'<p align="center"><img src="logo.png"></p>\n\n# Guida\n', "README.markdown", "text/markdown", "md"),
    (files.image_bytes("JPEG"), "foto.jpg", "image/jpeg", "jpg"),
    (files.image_bytes("PNG"), "foto.png", "image/png", "png"),
    (files.image_bytes("WEBP"), "foto.webp", "image/webp", "webp"),
    (files.image_bytes("GIF"), "foto.gif", "image/gif", "gif"),
    (files.image_bytes("TIFF"), "scansione.tiff", "image/tiff", "tif"),
])
def test_check_accepts_each_kind_by_its_content(data, name, file_type, extension):
    info = resource_file_check(files.upload(data, name))
    assert info == FileInfo(file_type=file_type, extension=extension, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest())


def test_check_takes_the_extension_from_the_content_not_the_name():
    info = resource_file_check(files.upload(files.docx_bytes(), "documento.pdf"))
    assert (info.file_type, info.extension) == (DOCX, "docx")


def test_check_accepts_an_encrypted_or_damaged_pdf_whose_text_will_fail_later():
    assert resource_file_check(files.upload(files.encrypted_pdf_bytes(), "segreto.pdf")).extension == "pdf"
    assert resource_file_check(files.upload(files.corrupt_pdf_bytes(), "rotto.pdf")).extension == "pdf"


def test_check_leaves_the_upload_at_its_start():
    upload = files.upload(files.pdf_bytes(), "rapporto.pdf")
    resource_file_check(upload)
    assert upload.tell() == 0


# --- What is refused, and how it is named --------------------------------------------------------------------------------


def test_check_refuses_a_linux_program_named_pdf():
    assert refusal(files.upload(files.elf_bytes(), "rapporto.pdf")) == lie(
        "rapporto.pdf", "PDF", "a program (an executable file)")


def test_check_refuses_a_windows_program_named_pdf():
    assert refusal(files.upload(files.pe_bytes(), "rapporto.pdf")) == lie(
        "rapporto.pdf", "PDF", "a program (an executable file)")


def test_check_refuses_a_mac_program():
    assert refusal(files.upload(b"\xcf\xfa\xed\xfe" + bytes(100), "programma")) == refused(
        "programma", "a program (an executable file)")


def test_check_refuses_a_script_named_pdf():
    assert refusal(files.upload(b"#!/bin/sh\necho ciao\n", "rapporto.pdf")) == lie(
        "rapporto.pdf", "PDF", "a script (a program)")


def test_check_refuses_a_web_page_named_pdf():
    assert refusal(files.upload(files.html_bytes(), "rapporto.pdf")) == lie("rapporto.pdf", "PDF", "a web page (HTML)")


def test_check_refuses_a_web_page_after_a_comment():
    data = b"\xef\xbb\xbf<!-- salvato -->\n<html><body>Ciao</body></html>"
    assert refusal(files.upload(data, "pagina.txt")) == lie("pagina.txt", "TXT", "a web page (HTML)")


def test_check_refuses_an_svg_drawing():
    data = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert refusal(files.upload(data, "logo.svg")) == refused("logo.svg", "an SVG drawing (it can contain scripts)")


def test_check_refuses_an_xml_file():
    assert refusal(files.upload(b'<?xml version="1.0"?><record/>', "dati.xml")) == refused("dati.xml", "an XML file")


def test_check_refuses_a_video_and_says_to_link_it():
    assert refusal(files.upload(files.mp4_bytes(), "visita.mp4")) == (
        "file_video", "“visita.mp4” is a video. Videos are not uploaded to the library: describe the video and give "
        "the web address where it is published (for example on a video platform).")


def test_check_refuses_an_audio_file():
    assert refusal(files.upload(files.mp3_bytes(), "intervista.mp3")) == refused("intervista.mp3", "an audio file")


def test_check_refuses_an_image_of_another_format_named_png():
    assert refusal(files.upload(files.image_bytes("BMP"), "foto.png")) == lie(
        "foto.png", "PNG", "an image in a format that is not accepted (BMP)")


def test_check_refuses_a_damaged_image():
    assert refusal(files.upload(files.image_bytes("PNG")[:60], "foto.png")) == refused("foto.png", "a damaged image")


def test_check_refuses_an_old_office_document():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    assert refusal(files.upload(data, "vecchio.doc")) == refused(
        "vecchio.doc", "a document in an old Microsoft Office format (.doc, .xls or .ppt)")


def test_check_refuses_an_rtf_document():
    assert refusal(files.upload(b"{\\rtf1\\ansi Ciao}", "testo.rtf")) == refused("testo.rtf", "an RTF document")


def test_check_refuses_a_compressed_archive():
    assert refusal(files.upload(gzip.compress(b"ciao"), "archivio.gz")) == refused(
        "archivio.gz", "a compressed archive (GZ)")


def test_check_refuses_a_zip_archive_named_docx():
    data = files._zip({"leggimi.txt": "ciao"})
    assert refusal(files.upload(data, "testo.docx")) == lie("testo.docx", "DOCX", "a ZIP archive")


def test_check_refuses_an_epub():
    data = files._zip({"mimetype": "application/epub+zip", "content.opf": "<package/>"})
    assert refusal(files.upload(data, "libro.epub")) == refused("libro.epub", "an e-book (EPUB)")


def test_check_refuses_an_opendocument_drawing():
    data = files._zip({"mimetype": "application/vnd.oasis.opendocument.graphics", "content.xml": "<x/>"})
    assert refusal(files.upload(data, "disegno.odt")) == refused(
        "disegno.odt", "an OpenDocument file other than a text, a spreadsheet or a presentation")


def test_check_refuses_a_word_document_with_macros():
    data = files.docx_bytes(extra={"word/vbaProject.bin": b"\0" * 10})
    assert refusal(files.upload(data, "macro.docx")) == refused("macro.docx", "a document with macros")


def test_check_refuses_an_opendocument_text_with_macros():
    data = files.odf_bytes("odt", "<office:text/>", extra={"Basic/Standard/Module1.xml": "<x/>"})
    assert refusal(files.upload(data, "macro.odt")) == refused("macro.odt", "a document with macros")


def test_check_refuses_a_truncated_document():
    data = files.docx_bytes()
    assert refusal(files.upload(data[:len(data) // 2], "testo.docx")) == refused(
        "testo.docx", "a damaged document or ZIP archive")


def test_check_refuses_a_zip_bomb_disguised_as_a_word_document():
    assert refusal(files.upload(files.zip_bomb_docx_bytes(), "bomba.docx")) == (
        "file_zip_bomb", "“bomba.docx” would expand to more than 500.0\xa0MB when opened (a “zip bomb”), so it "
        "cannot be uploaded.")


def test_check_refuses_text_in_another_encoding():
    data = "Città".encode("latin-1")
    assert refusal(files.upload(data, "note.txt")) == refused(
        "note.txt", "a text file that is not in UTF-8 (save it as UTF-8)")


def test_check_refuses_utf16_text():
    assert refusal(files.upload("Città".encode("utf-16"), "note.txt")) == refused(
        "note.txt", "a text file that is not in UTF-8 (save it as UTF-8)")


def test_check_refuses_text_with_invalid_utf8_past_the_first_chunk():
    data = b"a" * (3 * 1024 * 1024) + b"\xe8 fine"
    assert refusal(files.upload(data, "lungo.txt"))[1] == refused(
        "lungo.txt", "a text file that is not in UTF-8 (save it as UTF-8)")[1]


def test_check_refuses_text_with_a_nul_past_the_first_chunk():
    data = b"a" * (2 * 1024 * 1024) + b"\0"
    assert refusal(files.upload(data, "dati.txt")) == lie("dati.txt", "TXT", "a file of a kind that is not accepted")


def test_check_refuses_an_empty_file():
    assert refusal(files.upload(b"", "vuoto.pdf")) == ("file_empty", "“vuoto.pdf” is empty.")


def test_check_refuses_a_file_one_byte_too_large_without_reading_it(tmp_path):
    upload = files.sparse_upload(tmp_path, "grande.pdf", 50 * 1024 * 1024 + 1)
    assert refusal(upload) == ("file_too_large", "“grande.pdf” is 50.0\xa0MB; the largest file that can be uploaded "
                                                 "is 50.0\xa0MB.")
    assert upload.file.tell() == 0


def test_check_accepts_a_file_of_exactly_the_largest_size(tmp_path, settings):
    settings.LIBRARY_FILE_MAX_BYTES = 3 * 1024 * 1024
    upload = files.sparse_upload(tmp_path, "grande.pdf", 3 * 1024 * 1024)
    assert resource_file_check(upload).size == 3 * 1024 * 1024


def test_check_counts_the_bytes_when_the_announced_size_is_wrong(settings):
    settings.LIBRARY_FILE_MAX_BYTES = 2 * 1024 * 1024
    upload = files.upload(b"%PDF-1.4\n" + bytes(3 * 1024 * 1024), "rapporto.pdf")
    upload.size = 1000
    assert refusal(upload) == ("file_too_large", "“rapporto.pdf” is 3.0\xa0MB; the largest file that can be uploaded "
                                                 "is 2.0\xa0MB.")


def test_check_names_the_file_without_its_folders():
    assert refusal(files.upload(files.elf_bytes(), "C:\\Users\\maria\\rapporto.pdf")) == lie(
        "rapporto.pdf", "PDF", "a program (an executable file)")


# --- Storing and removing -----------------------------------------------------------------------------------------------


@pytest.fixture
def resource(db):
    return factories.ResourceFactory(index=False)


def stored(resource, data: bytes, name: str) -> Resource:
    upload = files.upload(data, name)
    resource_file_store(resource=resource, upload=upload, info=resource_file_check(upload))
    resource.refresh_from_db()
    return resource


def test_store_keeps_the_name_and_stores_under_a_generated_one(resource, django_capture_on_commit_callbacks):
    data = files.pdf_bytes()
    with django_capture_on_commit_callbacks() as callbacks:
        stored(resource, data, "../../Rapporto finale 2024.pdf")
    assert re.fullmatch(r"\d{4}/[0-9a-f]{32}\.pdf", resource.file.name)
    assert (resource.file_name, resource.file_type, resource.file_size, resource.file_sha256) == (
        "Rapporto finale 2024.pdf", "application/pdf", len(data), hashlib.sha256(data).hexdigest())
    assert (resource.text_status, resource.text_error, len(callbacks)) == (Resource.TextStatus.PENDING, "", 1)
    assert Path(resource.file.path).read_bytes() == data


def test_store_names_a_file_by_what_it_is(resource):
    stored(resource, files.odt_bytes(), "rapporto.pdf")
    assert (resource.file.name.rsplit(".", 1)[1], resource.file_name) == ("odt", "rapporto.pdf")


def test_store_reads_the_text_once_committed(resource, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stored(resource, files.pdf_bytes(), "rapporto.pdf")
    resource.refresh_from_db()
    assert (resource.text_status, resource.text.pages) == (Resource.TextStatus.DONE, 3)
    assert resource.text.body.startswith("Il museo civico di Bologna apre le sue sale alle scuole.")


def test_store_of_an_image_reads_no_text(resource, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        stored(resource, files.image_bytes("PNG"), "foto.png")
    assert (resource.file_type, resource.text_status, callbacks) == ("image/png", Resource.TextStatus.NONE, [])


def test_store_replaces_the_previous_file_and_its_text(resource, django_capture_on_commit_callbacks):
    stored(resource, files.pdf_bytes(), "primo.pdf")
    old_path = Path(resource.file.path)
    factories.ResourceTextFactory(resource=resource)
    with django_capture_on_commit_callbacks(execute=True):
        stored(resource, files.image_bytes("JPEG"), "secondo.jpg")
    assert (resource.file_name, resource.file_type, old_path.exists()) == ("secondo.jpg", "image/jpeg", False)
    assert not ResourceText.objects.filter(resource=resource).exists()


def test_remove_deletes_the_file_and_its_text_once_committed(resource, django_capture_on_commit_callbacks):
    stored(resource, files.pdf_bytes(), "rapporto.pdf")
    path = Path(resource.file.path)
    factories.ResourceTextFactory(resource=resource)
    with django_capture_on_commit_callbacks(execute=True):
        resource_file_remove(resource=resource)
    resource.refresh_from_db()
    assert (resource.file.name, resource.file_name, resource.file_type, resource.file_size, resource.file_sha256,
            resource.text_status) == ("", "", "", None, "", Resource.TextStatus.NONE)
    assert (path.exists(), ResourceText.objects.filter(resource=resource).exists()) == (False, False)


def test_remove_keeps_the_file_if_the_transaction_is_rolled_back(resource, django_capture_on_commit_callbacks):
    stored(resource, files.pdf_bytes(), "rapporto.pdf")
    path = Path(resource.file.path)
    with django_capture_on_commit_callbacks(execute=False):
        resource_file_remove(resource=resource)
    assert path.exists()
