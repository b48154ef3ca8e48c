"""The reasons of a match score in words, for pages and the API."""

from django.utils.translation import gettext as _

from sinergia.exchange.scoring import MatchScore


def reason_text(code: str, score: MatchScore) -> str:
    """One reason of the score, in the active language."""
    if code == "distance":
        return _("%(km)s km away") % {"km": f"{score.distance_km or 0:.0f}"}
    texts = {
        "category": _("Same category"),
        "kind": _("Same kind"),
        "region": _("Same region"),
        "country": _("Same country"),
        "languages": _("A language in common"),
        "dates": _("Available at the same time"),
        "networks": _("In a network together"),
    }
    return texts.get(code, code)


def explain(score: MatchScore) -> list[tuple[str, str, int]]:
    """(code, text, points) of each reason, largest first."""
    return [(code, reason_text(code, score), points) for code, points in score.parts]
