"""The values passed between the steps of an import, its result and its errors."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

# Where a row is in its file, in words the reader understands.
UNIT_LABELS = {"line": gettext_lazy("line"), "feature": gettext_lazy("feature")}


def unit_label(unit: str) -> str:
    """The translated word for a position in a file ("line" of a CSV, "feature" of GeoJSON)."""
    return str(UNIT_LABELS.get(unit, unit))


@dataclass(frozen=True)
class RowIssue:
    """A problem of one row: `line` is the line of a CSV record, or the number of a GeoJSON feature."""

    line: int
    message: str
    unit: str = "line"

    def __str__(self) -> str:
        return f"{unit_label(self.unit)} {self.line}: {self.message}"


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[RowIssue] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """Whether the rows were valid (and so written, unless this was a dry run)."""
        return not self.errors


class ImportFailed(ValidationError):
    """The input as a whole cannot be imported: unreadable, too large, unknown format or a bad mapping."""


class RowInvalid(ValidationError):
    """One row cannot be imported; `reasons` says why, one message per problem."""

    def __init__(self, reasons: list[str]):
        super().__init__(reasons)
        self.reasons = reasons


@dataclass
class RawRecord:
    """One record as read from the source: its position and its values by source column."""

    line: int
    values: dict[str, str | None]
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class CleanRow:
    """One valid row: model field values, concept labels per relation, and what was noticed."""

    line: int
    fields: dict[str, Any]
    concepts: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    source_id: str = ""
    category_notations: list[str] = field(default_factory=list)
