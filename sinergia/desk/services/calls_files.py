"""Documents of calls: PDF, ODT or DOCX files, judged by their content (never their name), stored under a new name."""

import os
import secrets
import zipfile
import zlib

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sinergia.core.files import archive_within_limits, file_name_clean
from sinergia.desk.models import CallDocument

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
CONTENT_TYPES = {"pdf": "application/pdf", "odt": "application/vnd.oasis.opendocument.text",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error, NotImplementedError)


def _refused(name: str) -> ValidationError:
    return ValidationError({"file": [_("“%(name)s” is not a PDF, ODT or DOCX document (without macros): upload the "
                                       "call's documents in one of these formats, or give a link.") % {"name": name}]})


def document_file_check(upload: UploadedFile) -> str:
    """The extension of an accepted document (pdf, odt, docx) read from its content; ValidationError otherwise."""
    name = file_name_clean(upload.name, 100)
    size = upload.size if upload.size is not None else upload.seek(0, os.SEEK_END)
    if size > DOCUMENT_MAX_BYTES:
        raise ValidationError({"file": [_("“%(name)s” is %(size)s; a document may be at most %(limit)s.") % {
            "name": name, "size": filesizeformat(size), "limit": filesizeformat(DOCUMENT_MAX_BYTES)}]})
    if not size:
        raise ValidationError({"file": [_("“%(name)s” is empty.") % {"name": name}]})
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _package_extension(upload, name)
    raise _refused(name)


def _package_extension(upload: UploadedFile, name: str) -> str:
    """"odt" or "docx" for a text document package without macros (a bomb or a damaged one is refused)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if not archive_within_limits(entries):
                raise _refused(name)
            mimetype = archive.read("mimetype")[:100].strip() if "mimetype" in names else b""
    except _ZIP_ERRORS as error:
        raise _refused(name) from error
    finally:
        upload.seek(0)
    macros = any(n.startswith(("Basic/", "Scripts/")) or n.lower().endswith("vbaproject.bin") for n in names)
    if macros:
        raise _refused(name)
    if mimetype == CONTENT_TYPES["odt"].encode():
        return "odt"
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    raise _refused(name)


def document_file_store(*, document: CallDocument, upload: UploadedFile, extension: str) -> None:
    """Store a checked upload on the (unsaved) document under a generated name."""
    upload.seek(0)
    document.file.save(f"{secrets.token_hex(16)}.{extension}", upload, save=False)


def document_download_name(document: CallDocument) -> str:
    """The name a downloaded document gets: its title and its type's extension."""
    extension = (document.file.name or "").rsplit(".", 1)[-1] or "pdf"
    base = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in document.title).strip()[:80] or "document"
    return f"{base}.{extension}"
