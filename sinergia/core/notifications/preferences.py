"""Reads of users' e-mail preferences: one query whatever the number of users."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sinergia.core.models import EmailMode, NotificationPreference
from sinergia.core.notifications.registry import KINDS, default_mode

ALL = NotificationPreference.ALL


@dataclass(frozen=True)
class Preferences:
    """One user's e-mail mode for every registered kind, and whether every e-mail is off."""

    all_off: bool
    modes: dict[str, str]


# Like Django's permission cache on the user object: a user's choices, read once per instance, so that a task
# notifying the same people of many things reads them once. The preference services clear it.
CACHE_ATTRIBUTE = "_notification_preferences_cache"


def modes_for(*, users: Collection[Any], kind: str) -> dict[int, str]:
    """Each user's e-mail mode for a kind: their choice, else the default, and off if they turned all e-mail off.

    At most one query, none for users whose choices this instance already read.
    """
    _read_choices([user for user in users if not hasattr(user, CACHE_ATTRIBUTE)])
    return {user.pk: _mode(getattr(user, CACHE_ATTRIBUTE), kind) for user in users}


def _read_choices(users: Collection[Any]) -> None:
    if not users:
        return
    chosen: dict[int, dict[str, str]] = {user.pk: {} for user in users}
    rows = NotificationPreference.objects.filter(user_id__in=list(chosen)).values_list("user_id", "kind", "mode")
    for user_id, kind, mode in rows:
        chosen[user_id][kind] = mode
    for user in users:
        setattr(user, CACHE_ATTRIBUTE, chosen[user.pk])


def _mode(chosen: dict[str, str], kind: str) -> str:
    return EmailMode.OFF if chosen.get(ALL) == EmailMode.OFF else chosen.get(kind, default_mode(kind))


def forget_choices(user: Any) -> None:
    """Drop the choices cached on this user instance (after changing them)."""
    user.__dict__.pop(CACHE_ATTRIBUTE, None)


def kinds_off_for(*, user_ids: Collection[int]) -> dict[int, set[str]]:
    """For each of the users, the kinds they switched off (ALL among them if every e-mail is off)."""
    off: dict[int, set[str]] = defaultdict(set)
    rows = NotificationPreference.objects.filter(user_id__in=list(user_ids), mode=EmailMode.OFF)
    for user_id, kind in rows.values_list("user_id", "kind"):
        off[user_id].add(kind)
    return off


def preferences_of(*, user: Any) -> Preferences:
    """The user's mode for each registered kind (their choice or the default)."""
    chosen = dict(NotificationPreference.objects.filter(user_id=user.pk).values_list("kind", "mode"))
    return Preferences(all_off=chosen.get(ALL) == EmailMode.OFF,
                       modes={kind.key: chosen.get(kind.key, kind.default) for kind in KINDS})
