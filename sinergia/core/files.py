"""Checks every upload path shares: a file's own name, and archives (ODF, OOXML) small enough to open."""

import os
import re
import zipfile

ARCHIVE_MAX_EXPANDED_BYTES = 500 * 1024 * 1024
ARCHIVE_MAX_ENTRIES = 10_000
NAME_MAX_CHARS = 255


def archive_within_limits(entries: list[zipfile.ZipInfo]) -> bool:
    """Whether an archive's declared entries stay within the count and expanded size we agree to open."""
    expanded = sum(entry.file_size for entry in entries)
    return len(entries) <= ARCHIVE_MAX_ENTRIES and expanded <= ARCHIVE_MAX_EXPANDED_BYTES


def file_name_clean(name: str | None, limit: int = NAME_MAX_CHARS) -> str:
    """The file's own name, without folders or control characters, at most `limit` characters (its end kept)."""
    base = re.sub(r"[\x00-\x1f\x7f]", "", os.path.basename((name or "").replace("\\", "/"))).strip()
    return (base if len(base) <= limit else "…" + base[-(limit - 1):]) or "file"
