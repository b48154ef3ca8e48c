"""The kinds of notification: each one's label, group and default e-mail mode."""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergia.core.models import EmailMode


class Group(models.TextChoices):
    """The groups in which kinds are shown, named by the part of a kind before its dot."""

    DIRECTORY = "directory", _("Organisations")
    NETWORKS = "networks", _("Networks")
    CALENDAR = "calendar", _("Calendar")
    LIBRARY = "library", _("Library")
    EXCHANGE = "exchange", _("Exchange")
    DESK = "desk", _("Consultancy desk")
    OTHER = "other", _("Other")


@dataclass(frozen=True)
class Kind:
    """One kind of notification as users see it on their preferences."""

    key: str
    label: str | Promise
    default: str = EmailMode.IMMEDIATE

    @property
    def group(self) -> Group:
        """The group named by the kind's prefix (Other for an unknown prefix)."""
        return group_of(self.key)


IMMEDIATE, DIGEST, OFF = EmailMode.IMMEDIATE, EmailMode.DIGEST, EmailMode.OFF

# Invitations, decisions and what needs an answer soon are sent at once; what can wait a day goes in the digest.
KINDS: tuple[Kind, ...] = (
    Kind("directory.invitation", _("An invitation to join an organisation")),
    Kind("directory.invitation_accepted", _("Someone accepted your invitation")),
    Kind("directory.member_role_changed", _("Your role in an organisation changed")),
    Kind("directory.member_removed", _("You were removed from an organisation")),
    Kind("directory.claim_submitted", _("Someone claims an organisation (operators)")),
    Kind("directory.claim_approved", _("Your claim of an organisation was approved")),
    Kind("directory.claim_rejected", _("Your claim of an organisation was rejected")),
    Kind("networks.application", _("An organisation applied to join your network")),
    Kind("networks.admitted", _("Your organisation was admitted to a network")),
    Kind("networks.declined", _("Your organisation's application was declined")),
    Kind("networks.left", _("An organisation left your network"), DIGEST),
    Kind("networks.suspended", _("Your organisation was suspended from a network")),
    Kind("networks.reinstated", _("Your organisation was reinstated in a network")),
    Kind("networks.role", _("Your organisation's role in a network changed")),
    Kind("networks.charter_published", _("A new version of a network's charter")),
    Kind("calendar.event_cancelled", _("An event you follow was cancelled")),
    Kind("calendar.feed_failed", _("A calendar feed of your organisation failed"), DIGEST),
    Kind("library.moderation", _("A library resource waits for moderation (operators)"), DIGEST),
    Kind("library.moderated", _("A moderation decision on your library resource")),
    Kind("library.imported", _("Your import of citations has ended"), OFF),
    Kind("exchange.match", _("An offer or need matches yours"), DIGEST),
    Kind("exchange.message", _("A message about an exchange")),
    Kind("exchange.fulfilled", _("An exchange was fulfilled")),
    Kind("exchange.expiring", _("Your offer or need is about to expire")),
    Kind("desk.question", _("A question for the desk's experts")),
    Kind("desk.answer", _("An answer to your question")),
    Kind("desk.accepted", _("Your answer was accepted")),
    Kind("desk.call_reminder", _("A funding call's deadline is near")),
    Kind("desk.call_changed", _("The deadline of a funding call you follow moved")),
    Kind("desk.call_withdrawn", _("A funding call you follow was withdrawn")),
)
REGISTRY: dict[str, Kind] = {kind.key: kind for kind in KINDS}


def group_of(key: str) -> Group:
    """The group of a kind, by the part before its dot."""
    prefix = key.partition(".")[0]
    return Group(prefix) if prefix in Group.values else Group.OTHER


def kind_info(key: str) -> Kind:
    """The registered kind, or one made up for an unknown key: labelled by its group, e-mailed immediately."""
    return REGISTRY.get(key) or Kind(key, group_of(key).label)


def default_mode(key: str) -> str:
    """The e-mail mode of a kind for users who did not choose one."""
    return kind_info(key).default


def kinds_by_group() -> list[tuple[Group, list[Kind]]]:
    """The registered kinds in the order of their groups, each group with its kinds in registry order."""
    return [(group, [kind for kind in KINDS if kind.group == group])
            for group in Group if any(kind.group == group for kind in KINDS)]
