"""Notifications: the registry of kinds, users' e-mail preferences, unsubscribe tokens and the e-mails."""

from sinergia.core.notifications.preferences import Preferences, kinds_off_for, modes_for, preferences_of
from sinergia.core.notifications.registry import KINDS, REGISTRY, Group, Kind, default_mode, kind_info, kinds_by_group
from sinergia.core.notifications.tokens import ALL, BadToken, unsubscribe_read, unsubscribe_token

__all__ = ["ALL", "KINDS", "REGISTRY", "BadToken", "Group", "Kind", "Preferences", "default_mode", "kind_info",
           "kinds_by_group", "kinds_off_for", "modes_for", "preferences_of", "unsubscribe_read",
           "unsubscribe_token"]
