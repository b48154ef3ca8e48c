"""Writes of the library (STYLE.md: services are plain functions with keyword-only arguments)."""

from sinergia.library.services._data import CreatorData, ResourceData
from sinergia.library.services.resources import (
    contributor_is_trusted,
    resource_create,
    resource_delete,
    resource_file_replace,
    resource_moderate,
    resource_update,
    resources_notify_moderators,
)

__all__ = [
    "CreatorData",
    "ResourceData",
    "contributor_is_trusted",
    "resource_create",
    "resource_delete",
    "resource_file_replace",
    "resource_moderate",
    "resource_update",
    "resources_notify_moderators",
]
