"""Uploaded files of resources: judged by their content (never their name), stored under a generated name, and
their text read in the background for full-text search."""

import codecs
import hashlib
import os
import re
import secrets
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from sinergia.core.files import ARCHIVE_MAX_EXPANDED_BYTES, archive_within_limits, file_name_clean
from sinergia.library.extract import (
    DOCX,
    ODF_TYPES,
    OOXML_TYPES,
    PDF,
    PPTX,
    TEXT_BEARING_TYPES,
    XLSX,
    ExtractedText,
    ExtractionError,
    extract_text,
)
from sinergia.library.models import Resource, ResourceText
from sinergia.library.search import index_resources

HEAD_BYTES = 8192
CHUNK_BYTES = 1024 * 1024
NAME_SHOWN_CHARS = 100
TEXT_ERROR_MAX_CHARS = 500  # Resource.text_error
# Pillow decodes only these formats: fewer parsers facing untrusted bytes.
IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp"),
               "GIF": ("image/gif", "gif"), "TIFF": ("image/tiff", "tif")}
IMAGE_GUESSES = {"image/jpeg", "image/png", "image/apng", "image/gif", "image/webp", "image/tiff"}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .xls and .ppt files
OOXML_MAIN_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
MACHO = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
ACCEPTED_EXTENSIONS = {"pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "txt", "md", "markdown", "jpg", "jpeg",
                       "png", "webp", "gif", "tif", "tiff"}
FILE_FIELDS = ["file", "file_name", "file_type", "file_size", "file_sha256", "text_status", "text_error", "updated_at"]

# What a refused file is, as the message names it.
REFUSED = {
    "program": gettext_lazy("a program (an executable file)"),
    "script": gettext_lazy("a script (a program)"),
    "html": gettext_lazy("a web page (HTML)"),
    "svg": gettext_lazy("an SVG drawing (it can contain scripts)"),
    "xml": gettext_lazy("an XML file"),
    "rtf": gettext_lazy("an RTF document"),
    "old_office": gettext_lazy("a document in an old Microsoft Office format (.doc, .xls or .ppt)"),
    "macros": gettext_lazy("a document with macros"),
    "odf_other": gettext_lazy("an OpenDocument file other than a text, a spreadsheet or a presentation"),
    "epub": gettext_lazy("an e-book (EPUB)"),
    "zip": gettext_lazy("a ZIP archive"),
    "damaged_zip": gettext_lazy("a damaged document or ZIP archive"),
    "archive": gettext_lazy("a compressed archive"),
    "audio": gettext_lazy("an audio file"),
    "font": gettext_lazy("a font"),
    "image": gettext_lazy("an image in a format that is not accepted"),
    "damaged_image": gettext_lazy("a damaged image"),
    "not_utf8": gettext_lazy("a text file that is not in UTF-8 (save it as UTF-8)"),
    "binary": gettext_lazy("a file of a kind that is not accepted"),
}

# Refusals of a file of the kind its name says, but flawed: its name is not called a lie.
FLAWS = {"not_utf8", "damaged_image", "damaged_zip", "macros", "odf_other"}


@dataclass(frozen=True)
class FileInfo:
    """What an upload really is: its MIME type and extension (from its content), its size and SHA-256 checksum."""

    file_type: str
    extension: str
    size: int
    sha256: str


# --- Checking ---------------------------------------------------------------------------------------------------------


def resource_file_check(upload: UploadedFile) -> FileInfo:
    """What the upload is, judged by its content; ValidationError({"file": ...}) naming what a refused file is."""
    name = file_name_clean(upload.name, NAME_SHOWN_CHARS)
    size = _size_checked(upload, name)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    file_type, extension = _detect(upload, head, name)
    sha256 = _digest(upload, name, is_text=file_type.startswith("text/"))
    return FileInfo(file_type=file_type, extension=extension, size=size, sha256=sha256)


def _invalid(message: str, code: str) -> ValidationError:
    return ValidationError({"file": [ValidationError(message, code=code)]})


def _too_large(name: str, size: int) -> ValidationError:
    limit = settings.LIBRARY_FILE_MAX_BYTES
    return _invalid(_("“%(name)s” is %(size)s; the largest file that can be uploaded is %(limit)s.")
                    % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}, "file_too_large")


def _refused(name: str, what: str, detail: str = "") -> ValidationError:
    """The refusal of a file that is `what` (a key of REFUSED); the name is called out when it claims otherwise."""
    described = str(REFUSED[what]) + (f" ({detail})" if detail else "")
    claimed = name.rpartition(".")[2].lower() if "." in name else ""
    if claimed in ACCEPTED_EXTENSIONS and what not in FLAWS:
        message = _("“%(name)s” is not a %(claimed)s file but %(what)s, which cannot be uploaded.") % {
            "name": name, "claimed": claimed.upper(), "what": described}
    else:
        message = _("“%(name)s” is %(what)s, which cannot be uploaded.") % {"name": name, "what": described}
    accepted = _("The library accepts PDF files, OpenDocument and Microsoft Office documents (texts, spreadsheets, "
                 "presentations), plain text or Markdown files, and JPEG, PNG, WebP, GIF or TIFF images.")
    return _invalid(f"{message} {accepted}", "file_type_refused")


def _size_checked(upload: UploadedFile, name: str) -> int:
    """The upload's size, from what the server received: nothing is read to learn it."""
    size = upload.size if upload.size is not None else upload.seek(0, os.SEEK_END)
    if size > settings.LIBRARY_FILE_MAX_BYTES:
        raise _too_large(name, size)
    if size == 0:
        raise _invalid(_("“%(name)s” is empty.") % {"name": name}, "file_empty")
    return size


def _digest(upload: UploadedFile, name: str, *, is_text: bool) -> str:
    """The SHA-256 of the content, read in chunks; a text must be UTF-8 without NULs throughout."""
    digest, read = hashlib.sha256(), 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in upload.chunks(CHUNK_BYTES):
            read += len(chunk)
            if read > settings.LIBRARY_FILE_MAX_BYTES:  # the size announced was wrong
                raise _too_large(name, read)
            digest.update(chunk)
            if is_text and b"\0" in chunk:
                raise _refused(name, "binary")
            if is_text:
                decoder.decode(chunk)
        if is_text:
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise _refused(name, "not_utf8") from error
    finally:
        upload.seek(0)
    return digest.hexdigest()


def _detect(upload: UploadedFile, head: bytes, name: str) -> tuple[str, str]:
    """The MIME type and extension of an accepted file, or the refusal of any other."""
    program = _program(head)
    if program:
        raise _refused(name, program)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-"):
        return PDF, "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _package_type(upload, name)
    if head.startswith(OLE):
        raise _refused(name, "old_office")
    guess = filetype.guess(head)
    if guess is not None:
        return _guessed_type(upload, guess, name)
    return _text_type(head, name)


def _program(head: bytes) -> str:
    """"program" or "script" if the bytes are something a computer runs, else ""."""
    if head.startswith((b"\x7fELF", b"\0asm", *MACHO)) or (head.startswith(b"MZ") and b"\0" in head[:64]):
        return "program"
    return "script" if head.startswith(b"#!") else ""


def _package_type(upload: UploadedFile, name: str) -> tuple[str, str]:
    """An OpenDocument (a "mimetype" entry) or Office Open XML ([Content_Types].xml) package, checked unopened."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if not archive_within_limits(entries):
                raise _invalid(_("“%(name)s” would expand to more than %(limit)s when opened (a “zip bomb”), so it "
                                 "cannot be uploaded.") % {"name": name,
                                                           "limit": filesizeformat(ARCHIVE_MAX_EXPANDED_BYTES)},
                               "file_zip_bomb")
            names = {entry.filename for entry in entries}
            mimetype = _small_entry(archive, "mimetype") if "mimetype" in names else ""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error, NotImplementedError) as error:
        raise _refused(name, "damaged_zip") from error
    finally:
        upload.seek(0)
    return _package_kind(names, mimetype, name)


def _small_entry(archive: zipfile.ZipFile, entry: str) -> str:
    """A short entry's text ("" if it is not short): an ODF mimetype is a few dozen bytes."""
    if archive.getinfo(entry).file_size > 200:
        return ""
    return archive.read(entry).decode("ascii", errors="replace").strip()


def _package_kind(names: set[str], mimetype: str, name: str) -> tuple[str, str]:
    if mimetype in ODF_TYPES:
        if any(n.startswith(("Basic/", "Scripts/")) for n in names):
            raise _refused(name, "macros")
        return mimetype, ODF_TYPES[mimetype]
    if mimetype == "application/epub+zip":
        raise _refused(name, "epub")
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        raise _refused(name, "odf_other")
    main = next((part for part in OOXML_MAIN_PARTS if part in names), None)
    if "[Content_Types].xml" not in names or main is None:
        raise _refused(name, "zip")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _refused(name, "macros")
    file_type = OOXML_MAIN_PARTS[main]
    return file_type, OOXML_TYPES[file_type]


def _guessed_type(upload: UploadedFile, guess: Any, name: str) -> tuple[str, str]:
    """A file that `filetype` recognised by its signature: an image we verify, or a refusal naming the kind."""
    mime, detail = guess.mime, guess.extension.upper()
    if mime.startswith("video/"):
        raise _invalid(_("“%(name)s” is a video. Videos are not uploaded to the library: describe the video and give "
                         "the web address where it is published (for example on a video platform).")
                       % {"name": name}, "file_video")
    if mime in IMAGE_GUESSES:
        return _image_type(upload, name)
    if mime in ("application/rtf", "application/x-msdownload"):
        raise _refused(name, "rtf" if mime == "application/rtf" else "program")
    kind = ("image" if mime.startswith("image/") else "audio" if mime.startswith("audio/")
            else "archive" if guess in filetype.archive_matchers else "font" if guess in filetype.font_matchers
            else "binary")
    raise _refused(name, kind, "" if kind in ("audio", "font") else detail)


def _image_type(upload: UploadedFile, name: str) -> tuple[str, str]:
    """The image's type, once Pillow has verified it (as sinergia.core.images does for logos)."""
    try:
        upload.seek(0)
        with Image.open(upload, formats=list(IMAGE_TYPES)) as picture:
            image_format = picture.format
            picture.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise _refused(name, "damaged_image") from error
    finally:
        upload.seek(0)
    return IMAGE_TYPES[str(image_format)]


_LEADING_COMMENTS = re.compile(r"^(\s*<!--.*?-->)+", re.DOTALL)
_HTML_START = re.compile(r"<(!doctype\s+html|html|head|body|script|iframe|frameset)[\s>/]")


def _text_type(head: bytes, name: str) -> tuple[str, str]:
    """Plain text or Markdown (by the name's extension: the content cannot tell them apart), if it is text."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refused(name, "not_utf8")
    if b"\0" in head:
        raise _refused(name, "binary")
    sample = _LEADING_COMMENTS.sub("", head.decode("utf-8", errors="ignore").lstrip("\ufeff")).lstrip().lower()
    if _HTML_START.match(sample):
        raise _refused(name, "html")
    if sample.startswith(("<?xml", "<!doctype", "<svg")):
        raise _refused(name, "svg" if "<svg" in sample else "html" if "<html" in sample else "xml")
    if name.lower().endswith((".md", ".markdown")):
        return "text/markdown", "md"
    return "text/plain", "txt"


# --- Storing and removing ---------------------------------------------------------------------------------------------


@transaction.atomic
def resource_file_store(*, resource: Resource, upload: UploadedFile, info: FileInfo) -> None:
    """Store a checked upload under a generated name; its text is read once the transaction commits."""
    if resource.file:
        resource_file_remove(resource=resource)
    upload.seek(0)
    resource.file.save(f"{secrets.token_hex(16)}.{info.extension}", upload, save=False)
    resource.file_name = file_name_clean(upload.name)
    resource.file_type, resource.file_size, resource.file_sha256 = info.file_type, info.size, info.sha256
    has_text = info.file_type in TEXT_BEARING_TYPES
    resource.text_status = Resource.TextStatus.PENDING if has_text else Resource.TextStatus.NONE
    resource.text_error = ""
    resource.save(update_fields=FILE_FIELDS)
    if has_text:
        _extract_after_commit(resource.pk, info.sha256)


def _extract_after_commit(resource_id: int, sha256: str) -> None:
    from sinergia.library.tasks import resource_extract_text  # the task module imports these services

    transaction.on_commit(lambda: resource_extract_text.enqueue(resource_id, sha256))


@transaction.atomic
def resource_file_remove(*, resource: Resource) -> None:
    """Forget the resource's file and its text; the stored file is deleted once the transaction commits."""
    name, storage = resource.file.name, resource.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    ResourceText.objects.filter(resource=resource).delete()
    resource.file = ""
    resource.file_name = resource.file_type = resource.file_sha256 = resource.text_error = ""
    resource.file_size = None
    resource.text_status = Resource.TextStatus.NONE
    resource.save(update_fields=FILE_FIELDS)


# --- Reading the text -------------------------------------------------------------------------------------------------


def resource_text_extract(*, resource: Resource, sha256: str | None = None) -> str:
    """Read the text of the resource's file (the version with `sha256`, by default the current one), store and index
    it; returns the text status, or "" when the resource was deleted or its file changed meanwhile."""
    expected = resource.file_sha256 if sha256 is None else sha256
    if resource.is_deleted or not resource.file or resource.file_sha256 != expected:
        return ""
    extracted: ExtractedText | None = None
    error = ""
    try:
        if not resource.file.storage.exists(resource.file.name or ""):
            raise ExtractionError(_("The file is missing from the server's storage."))
        extracted = extract_text(resource.file.path, resource.file_type)
    except ExtractionError as failure:
        error = str(failure)
    status = _text_save(resource, expected, extracted, error)
    if status:
        index_resources(ids=[resource.pk])
    return status


@transaction.atomic
def _text_save(resource: Resource, sha256: str, extracted: ExtractedText | None, error: str) -> str:
    """Store the outcome, under the resource's lock, if the file read is still the resource's file."""
    current = Resource.objects.select_for_update().filter(pk=resource.pk, deleted_at__isnull=True,
                                                          file_sha256=sha256).exclude(file="")
    if not current.exists():
        return ""
    Status = Resource.TextStatus
    if extracted is not None and extracted.body:
        ResourceText.objects.update_or_create(resource=resource,
                                              defaults={"body": extracted.body, "pages": extracted.pages})
        status = Status.DONE
    else:
        ResourceText.objects.filter(resource=resource).delete()
        status = Status.EMPTY if extracted is not None else Status.FAILED
    text_error = error[:TEXT_ERROR_MAX_CHARS]
    # Only the text fields: reading a file does not change the record that harvesters date by updated_at.
    current.update(text_status=status, text_error=text_error)
    resource.text_status, resource.text_error = status, text_error
    return status
