"""An uploaded citations file kept between its preview and the import, so that it is never uploaded twice.

The file waits in private storage (not the public media folder) under a random name that only the uploader's
session knows, with its SHA-256; one file per session, removed on import, replaced by the next upload, and any left
behind for longer than MAX_AGE removed when another is stored. At scale, define a "library_imports" storage (e.g.
object storage shared by the web workers) in STORAGES.
"""

import contextlib
import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import HttpRequest

SESSION_KEY = "library.pending_citations"
MAX_AGE = 60 * 60
FOLDER = "citations"


@dataclass
class PendingImport:
    """The uploaded file and the choices made with it."""

    organisation_id: int
    content: bytes
    filename: str
    options: dict[str, Any]
    errors: int | None = None


def _storage() -> Storage:
    if "library_imports" in settings.STORAGES:
        return storages["library_imports"]
    location = (getattr(settings, "LIBRARY_IMPORT_PENDING_DIR", None)
                or Path(settings.MEDIA_ROOT).parent / "library-imports")
    return FileSystemStorage(location=location)


def pending_store(request: HttpRequest, *, organisation_id: int, content: bytes, filename: str,
                  options: dict[str, Any]) -> None:
    """Keep the file for this session's import (replacing the one it kept before)."""
    pending_discard(request)
    storage = _storage()
    _purge_stale(storage)
    name = storage.save(f"{FOLDER}/{secrets.token_urlsafe(24)}.bin", ContentFile(content))
    request.session[SESSION_KEY] = {"name": name, "sha256": hashlib.sha256(content).hexdigest(),
                                    "organisation": organisation_id, "filename": filename[:200],
                                    "options": options, "stored": time.time()}


def pending_load(request: HttpRequest) -> PendingImport | None:
    """The file this session uploaded, if it is still there, unchanged and recent."""
    note = request.session.get(SESSION_KEY)
    if not isinstance(note, dict) or time.time() - note.get("stored", 0) > MAX_AGE:
        return None
    storage = _storage()
    try:
        with storage.open(note["name"], "rb") as file:
            content = file.read(settings.LIBRARY_IMPORT_MAX_BYTES + 1)
    except (OSError, KeyError, ValueError):
        return None
    if hashlib.sha256(content).hexdigest() != note.get("sha256"):
        return None
    return PendingImport(organisation_id=note["organisation"], content=content, filename=note["filename"],
                         options=note["options"], errors=note.get("errors"))


def pending_note_errors(request: HttpRequest, count: int) -> None:
    """Remember how many records of the waiting file its preview found in error (the file cannot change after)."""
    note = request.session.get(SESSION_KEY)
    if isinstance(note, dict) and note.get("errors") != count:
        request.session[SESSION_KEY] = note | {"errors": count}


def pending_discard(request: HttpRequest) -> None:
    """Forget this session's file and remove it."""
    note = request.session.pop(SESSION_KEY, None)
    if isinstance(note, dict) and note.get("name"):
        with contextlib.suppress(OSError, ValueError):
            _storage().delete(note["name"])


def _purge_stale(storage: Storage) -> None:
    """Remove the files older than MAX_AGE that their sessions never imported."""
    try:
        names = storage.listdir(FOLDER)[1]
    except (OSError, NotImplementedError):
        return
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if time.time() - storage.get_modified_time(path).timestamp() > MAX_AGE:
                storage.delete(path)
        except (OSError, NotImplementedError):
            continue
