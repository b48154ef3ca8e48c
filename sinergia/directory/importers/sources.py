"""Getting the bytes of an import: a local file, or a URL fetched with a timeout and a size limit."""

import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sinergia.directory.importers.types import ImportFailed

MAX_BYTES = 50 * 1024 * 1024
FETCH_TIMEOUT = 30.0
CHUNK = 64 * 1024
ALLOWED_SCHEMES = ("http", "https")


def is_url(location: str) -> bool:
    """Whether the location names a URL rather than a local path."""
    return "://" in str(location)


def read_bytes(location: str, *, limit: int | None = None, timeout: float = FETCH_TIMEOUT) -> bytes:
    """The content of a local file or of an http(s) URL, at most `limit` bytes (default MAX_BYTES)."""
    limit = limit or MAX_BYTES
    return fetch_url(location, limit=limit, timeout=timeout) if is_url(location) else read_file(Path(location), limit)


def _too_large(name: object, limit: int) -> ImportFailed:
    return ImportFailed(_("%(name)s is larger than the limit of %(limit)s.")
                        % {"name": name, "limit": filesizeformat(limit)})


def read_file(path: Path, limit: int | None = None) -> bytes:
    """A local file's bytes, refusing files larger than the limit."""
    limit = limit or MAX_BYTES
    try:
        if not path.is_file():
            raise ImportFailed(_("%(path)s is not a file.") % {"path": path})
        if path.stat().st_size > limit:
            raise _too_large(path, limit)
        return path.read_bytes()
    except OSError as error:
        raise ImportFailed(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}) from error


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to http and https URLs."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ALLOWED_SCHEMES:
            raise ImportFailed(_("The server redirected to %(url)s, which is not an http or https URL.")
                               % {"url": newurl})
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_url(url: str, *, limit: int, timeout: float = FETCH_TIMEOUT) -> bytes:
    """Download an http(s) URL within the time and size limits."""
    if urlsplit(url).scheme not in ALLOWED_SCHEMES:
        raise ImportFailed(_("Only http and https URLs can be imported, not %(url)s.") % {"url": url})
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": "Sinergia-importer/1"})  # noqa: S310 - scheme checked
    try:
        with opener.open(request, timeout=timeout) as response:
            return _read_limited(response, url, limit=limit, deadline=time.monotonic() + timeout)
    except urllib.error.HTTPError as error:
        raise ImportFailed(_("%(url)s answered %(code)s %(reason)s.")
                           % {"url": url, "code": error.code, "reason": error.reason}) from error
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ImportFailed(_("Cannot download %(url)s: %(reason)s") % {"url": url, "reason": reason}) from error


def _read_limited(response, url: str, *, limit: int, deadline: float) -> bytes:
    """Read the body in chunks, stopping at the size limit or the deadline."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(url, limit)
    chunks, size = [], 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise _too_large(url, limit)
        if time.monotonic() > deadline:
            raise ImportFailed(_("Downloading %(url)s took too long.") % {"url": url})
        chunks.append(chunk)
    return b"".join(chunks)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text, with or without a byte-order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(_("%(name)s is not UTF-8 text (invalid byte at position %(position)s); "
                             "save it as UTF-8 and try again.") % {"name": name, "position": error.start}) from error
