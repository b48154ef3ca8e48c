"""The messages of the clash check's reasons, rendered when shown so they follow the active language.

Each is lazy: a reason built during a request of one language and shown in another (a cached page, a test switching
languages) renders in the language active when it is turned into text.
"""

from collections.abc import Mapping

from django.conf import settings as django_settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

__all__ = [
    "concepts_message", "distance_unknown_message", "far_message", "gap_message", "near_message", "network_message",
    "overlap_message", "same_organisation_message",
]


def _duration_text(seconds: int) -> str:
    """A duration in words: "1 h 30 min", "2 days 3 h", "less than a minute"."""
    minutes = seconds // 60
    if not minutes:
        return _("less than a minute")
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [ngettext("%(count)d day", "%(count)d days", days) % {"count": days}] if days else []
    parts += [_("%(count)d h") % {"count": hours}] if hours else []
    parts += [_("%(count)d min") % {"count": minutes}] if minutes and not days else []
    return " ".join(parts)


def _render_overlap(seconds: int) -> str:
    return _("Overlaps by %(duration)s") % {"duration": _duration_text(seconds)}


def _render_gap(seconds: int, before: bool) -> str:
    if not seconds:
        return _("Ends just as yours starts") if before else _("Starts just as yours ends")
    text = _("Ends %(duration)s before yours starts") if before else _("Starts %(duration)s after yours ends")
    return text % {"duration": _duration_text(seconds)}


def _render_near(distance: float) -> str:
    if distance < 1:
        return _("%(metres)s m away") % {"metres": number_format(round(distance * 1000, -1), decimal_pos=0)}
    return _("%(distance)s km away") % {"distance": number_format(round(distance, 1), decimal_pos=1)}


def _render_far(distance: float, radius: float) -> str:
    values = {"distance": number_format(round(distance), decimal_pos=0),
              "radius": number_format(round(radius), decimal_pos=0)}
    return _("%(distance)s km away, beyond the %(radius)s km radius") % values


def _render_distance_unknown() -> str:
    return _("Distance unknown: a place has no coordinates")


def _render_network(network_ids: list[int], names: Mapping[int, str]) -> str:
    if all(network_id in names for network_id in network_ids):
        shown = ", ".join(sorted(names[network_id] for network_id in network_ids))
        return ngettext("Same network: %(names)s", "Same networks: %(names)s", len(network_ids)) % {"names": shown}
    return ngettext("In %(count)d shared network", "In %(count)d shared networks", len(network_ids)) % {
        "count": len(network_ids)}


def _render_concepts(code: str, concepts: tuple[tuple[str, Mapping[str, str]], ...]) -> str:
    shown = ", ".join(sorted(_concept_label(notation, names) for notation, names in concepts))
    if code == "same_audience":
        return ngettext("Same audience: %(labels)s", "Same audiences: %(labels)s", len(concepts)) % {"labels": shown}
    return ngettext("Same theme: %(labels)s", "Same themes: %(labels)s", len(concepts)) % {"labels": shown}


def _render_same_organisation() -> str:
    return _("Organised by your own organisation")


def _concept_label(notation: str, names: Mapping[str, str]) -> str:
    """The label in the active language, falling back to English, then any, then the notation."""
    language = (translation.get_language() or django_settings.LANGUAGE_CODE)[:2]
    return names.get(language) or names.get("en") or next(iter(names.values()), notation)


overlap_message = lazy(_render_overlap, str)
gap_message = lazy(_render_gap, str)
near_message = lazy(_render_near, str)
far_message = lazy(_render_far, str)
distance_unknown_message = lazy(_render_distance_unknown, str)
network_message = lazy(_render_network, str)
concepts_message = lazy(_render_concepts, str)
same_organisation_message = lazy(_render_same_organisation, str)
