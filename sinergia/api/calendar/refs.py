"""What the slugs and notations of a request name: one query per kind, a 422 naming every unknown one."""

from collections.abc import Iterable

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja.errors import HttpError

from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from sinergia.networks.models import Network


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"“{value}”" for value in values)


def _found(queryset: QuerySet, field: str, wanted: list[str]) -> tuple[list[Model], list[str]]:
    """The objects of the queryset with those values of `field`, in the order asked, and the values not found."""
    wanted = list(dict.fromkeys(wanted))
    by_value = {getattr(item, field): item for item in queryset.filter(**{f"{field}__in": wanted})} if wanted else {}
    return [by_value[value] for value in wanted if value in by_value], [v for v in wanted if v not in by_value]


def organisation(slug: str) -> Organisation:
    """The listed organisation with this slug (a 422 when there is none)."""
    return organisations([slug])[0]


def organisations(slugs: list[str]) -> list[Organisation]:
    """The listed organisations with these slugs."""
    found, missing = _found(Organisation.objects.filter(is_active=True), "slug", slugs)
    if missing:
        raise HttpError(422, ngettext("There is no organisation %(slugs)s.", "There are no organisations %(slugs)s.",
                                      len(missing)) % {"slugs": _quoted(missing)})
    return found  # type: ignore[return-value]


def networks(slugs: list[str]) -> list[Network]:
    """The listed networks with these slugs."""
    found, missing = _found(Network.objects.filter(is_active=True), "slug", slugs)
    if missing:
        raise HttpError(422, ngettext("There is no network %(slugs)s.", "There are no networks %(slugs)s.",
                                      len(missing)) % {"slugs": _quoted(missing)})
    return found  # type: ignore[return-value]


def audiences(notations: list[str]) -> list[Concept]:
    """The audiences of the thesaurus with these notations."""
    found, missing = _found(Concept.objects.filter(scheme=Concept.Scheme.AUDIENCE), "notation", notations)
    if missing:
        raise HttpError(422, ngettext("The thesaurus has no audience %(notations)s.",
                                      "The thesaurus has no audiences %(notations)s.", len(missing))
                        % {"notations": _quoted(missing)})
    return found  # type: ignore[return-value]


def themes(notations: list[str]) -> list[Concept]:
    """The themes of the thesaurus with these notations."""
    found, missing = _found(Concept.objects.filter(scheme=Concept.Scheme.THEME), "notation", notations)
    if missing:
        raise HttpError(422, ngettext("The thesaurus has no theme %(notations)s.",
                                      "The thesaurus has no themes %(notations)s.", len(missing))
                        % {"notations": _quoted(missing)})
    return found  # type: ignore[return-value]


def coordinates_of(venue: Organisation) -> tuple[float, float]:
    """The organisation's coordinates (a 422 when it has none)."""
    if venue.latitude is None or venue.longitude is None:
        raise HttpError(422, _("%(venue)s has no coordinates on the map: give latitude and longitude.")
                        % {"venue": venue.name})
    return venue.latitude, venue.longitude
