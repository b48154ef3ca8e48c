"""Template filters of the exchange."""

from django import template

from sinergia.exchange.reasons import explain
from sinergia.exchange.scoring import MatchScore

register = template.Library()


@register.filter(name="match_reasons")
def match_reasons(score: MatchScore) -> list[tuple[str, str, int]]:
    """(code, text, points) of each reason of a match score."""
    return explain(score)
