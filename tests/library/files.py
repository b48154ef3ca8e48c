"""Test files of the library, built at test time: real PDFs, OpenDocument and Office documents, images, and the
files that must be refused (programs and web pages renamed .pdf, zip bombs, oversize files); citation files."""

import functools
import io
import os
import struct
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

# Two valid RIS records (one with an English language name), then the same with a third that has no language.
RIS_TWO = (b"TY  - JOUR\nTI  - Ecomusei e paesaggio\nAU  - Rossi, Maria\nPY  - 2020\nLA  - it\nER  - \n"
           b"TY  - BOOK\nTI  - Musei in rete\nPY  - 2019\nLA  - English\nER  - \n")
RIS_WITH_ERROR = RIS_TWO + b"TY  - JOUR\nTI  - Senza lingua\nER  - \n"

ITALIAN_PAGES = (
    "Il museo civico di Bologna apre le sue sale alle scuole.\n"
    "Le visite guidate durano un'ora e mezza, perché la collezione è ricca.",
    "La rete dei piccoli musei dell'Emilia-Romagna condivide un catalogo comune.\n"
    "Città, borghi e università collaborano: è una novità per il territorio.",
    "Conclusioni: più accessibilità, meno barriere; l'ingresso costa 5 €.",
)


# --- PDF --------------------------------------------------------------------------------------------------------------


def _pdf_string(line: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (which covers Italian letters), with its delimiters escaped."""
    raw = line.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _page_stream(text: str) -> bytes:
    lines = [_pdf_string(line) + b" Tj T*" for line in text.split("\n")]
    return b"BT /F1 12 Tf 14 TL 72 720 Td\n" + b"\n".join(lines) + b"\nET"


def pdf_bytes(pages: tuple[str, ...] | list[str] = ITALIAN_PAGES) -> bytes:
    """A real PDF (Helvetica, WinAnsiEncoding), one page per text, lines split at newlines."""
    count = len(pages)
    kids = b" ".join(f"{4 + 2 * i} 0 R".encode() for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(count).encode() + b" >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, text in enumerate(pages):
        stream = _page_stream(text)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents " + str(5 + 2 * i).encode() + b" 0 R >>")
        objects.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
    return _pdf_document(objects)


def _pdf_document(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def encrypted_pdf_bytes(user_password: str = "segreto", owner_password: str = "proprietario",
                        pages: tuple[str, ...] = ITALIAN_PAGES) -> bytes:
    """The PDF encrypted by pypdf (RC4-128, which pypdf reads without optional dependencies)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(pages))))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def corrupt_pdf_bytes() -> bytes:
    """A PDF cut in half, as an interrupted download leaves it: no cross-reference table, no trailer."""
    whole = pdf_bytes()
    return whole[:len(whole) // 2]


# --- Files that pretend to be documents --------------------------------------------------------------------------------


def elf_bytes() -> bytes:
    """A real Linux program (or, where there is none to copy, a minimal ELF header)."""
    for candidate in ("/usr/bin/true", "/bin/true"):
        if os.path.exists(candidate):
            return Path(candidate).read_bytes()
    return b"\x7fELF\x02\x01\x01" + bytes(57)


def pe_bytes() -> bytes:
    """A Windows program's headers: the DOS stub pointing to a PE signature."""
    return b"MZ" + bytes(58) + struct.pack("<I", 0x80) + bytes(0x80 - 64) + b"PE\0\0" + bytes(200)


def html_bytes() -> bytes:
    return ("<!DOCTYPE html>\n<html lang=\"it\"><head><title>Rapporto</title>"
            "<script>document.location='https://example.org/'</script></head>"
            "<body><p>Non è un PDF.</p></body></html>\n").encode()


# --- OpenDocument and Office Open XML ---------------------------------------------------------------------------------

ODF_MIMES = {"odt": "application/vnd.oasis.opendocument.text",
             "ods": "application/vnd.oasis.opendocument.spreadsheet",
             "odp": "application/vnd.oasis.opendocument.presentation"}
ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')


def _zip(entries: dict[str, bytes | str], *, stored_first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            kind = zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def odf_bytes(kind: str, body_xml: str, extra: dict[str, bytes | str] | None = None) -> bytes:
    """An OpenDocument package of the kind ("odt", "ods", "odp") whose office:body holds `body_xml`."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODF_NS} office:version="1.3">'
               f"<office:body>{body_xml}</office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    entries = {"mimetype": ODF_MIMES[kind], "content.xml": content, "META-INF/manifest.xml": manifest}
    return _zip({**entries, **(extra or {})}, stored_first="mimetype")


def odt_bytes(paragraphs: tuple[str, ...] = ITALIAN_PAGES) -> bytes:
    """A text document: a heading, then one paragraph per text, with a tab and repeated spaces (text:s)."""
    body = "".join(f"<text:p>{_escape(p)}</text:p>" for p in paragraphs)
    heading = '<text:h text:outline-level="1">Titolo<text:tab/>del<text:s text:c="2"/>rapporto</text:h>'
    return odf_bytes("odt", f"<office:text>{heading}{body}</office:text>")


def ods_bytes(cells: tuple[str, ...] = ("Museo", "Visitatori")) -> bytes:
    row = "".join(f"<table:table-cell><text:p>{_escape(c)}</text:p></table:table-cell>" for c in cells)
    return odf_bytes("ods", f'<office:spreadsheet><table:table table:name="Foglio1"><table:table-row>{row}'
                            "</table:table-row></table:table></office:spreadsheet>")


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types '
                 'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="xml" ContentType="application/xml"/></Types>')


def docx_bytes(paragraphs: tuple[str, ...] = ITALIAN_PAGES, extra: dict[str, bytes | str] | None = None) -> bytes:
    """A Word document: one paragraph per text (lines as w:br), plus a deleted revision that is not text."""
    def paragraph(text: str) -> str:
        runs = "<w:br/>".join(f"<w:t xml:space=\"preserve\">{_escape(line)}</w:t>" for line in text.split("\n"))
        return f"<w:p><w:r>{runs}</w:r></w:p>"
    deleted = "<w:p><w:del><w:r><w:delText>testo cancellato</w:delText></w:r></w:del></w:p>"
    document = (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'
                f"{''.join(paragraph(p) for p in paragraphs)}{deleted}</w:body></w:document>")
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document, **(extra or {})})


def pptx_bytes(slides: tuple[str, ...] = ("Prima diapositiva", "Seconda diapositiva")) -> bytes:
    a_ns = "http://schemas.openxmlformats.org/drawingml/2006/main"
    entries: dict[str, bytes | str] = {"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": "<p/>"}
    for number, text in enumerate(slides, 1):
        entries[f"ppt/slides/slide{number}.xml"] = (f'<p:sld xmlns:p="urn:p" xmlns:a="{a_ns}"><a:p><a:r>'
                                                    f"<a:t>{_escape(text)}</a:t></a:r></a:p></p:sld>")
    return _zip(entries)


def xlsx_bytes(strings: tuple[str, ...] = ("Museo", "Visitatori")) -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    shared = "".join(f"<si><t>{_escape(s)}</t></si>" for s in strings)
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": f'<workbook xmlns="{ns}"/>',
                 "xl/sharedStrings.xml": f'<sst xmlns="{ns}">{shared}</sst>'})


@functools.cache
def zip_bomb_docx_bytes(expanded_mb: int = 600) -> bytes:
    """A Word document whose document.xml expands from under a megabyte to `expanded_mb` megabytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            zeros = bytes(1024 * 1024)
            for _ in range(expanded_mb):
                member.write(zeros)
    return out.getvalue()


def lying_docx_bytes() -> bytes:
    """A Word document whose document.xml claims to expand to 100 bytes but holds a megabyte of text."""
    text = "a" * 1024 * 1024
    document = f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'
    data = bytearray(_zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 100)  # the local header's uncompressed size
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + name_length] == b"word/document.xml":
            struct.pack_into("<I", data, central + 24, 100)  # the central directory's uncompressed size
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


# --- Images -------------------------------------------------------------------------------------------------------------


def image_bytes(image_format: str, size: tuple[int, int] = (40, 30)) -> bytes:
    """A small picture in the Pillow format given (JPEG, PNG, WEBP, GIF, TIFF, BMP...)."""
    out = io.BytesIO()
    mode = "P" if image_format == "GIF" else "RGB"
    Image.new(mode, size, color=(200, 30, 30) if mode == "RGB" else 1).save(out, format=image_format)
    return out.getvalue()


# --- Uploads ------------------------------------------------------------------------------------------------------------


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    """An uploaded file as a form would receive it (the content type the browser claims is irrelevant)."""
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def italian_pdf_upload(name: str = "rapporto.pdf", pages: tuple[str, ...] = ITALIAN_PAGES) -> SimpleUploadedFile:
    """A real multi-page Italian PDF, ready to pass to resource_create(upload=...)."""
    return upload(pdf_bytes(pages), name)


def sparse_upload(folder: Path, name: str, size: int, head: bytes = b"%PDF-1.4\n") -> UploadedFile:
    """An upload of `size` bytes that starts with `head`: a sparse file on disk, never held in memory."""
    path = folder / name
    with path.open("wb") as out:
        out.write(head)
        out.truncate(size)
    return UploadedFile(path.open("rb"), name=name, content_type="application/pdf", size=size)



def mp4_bytes() -> bytes:
    """The start of an MP4 video (its ftyp box)."""
    return b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(200)


def mp3_bytes() -> bytes:
    """The start of an MP3 file (its ID3 tag)."""
    return b"ID3\x03\x00\x00\x00\x00\x00\x0a" + bytes(200)
