"""Reads of funding calls shared by pages, feeds, the dashboard and the API: always through the viewer's visibility."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergia.core.models import Concept
from sinergia.desk.models import CallDocument, CallFollow, CallPublisher, FundingCall, Question
from sinergia.desk.rules.calls import visible_calls_q
from sinergia.desk.rules.questions import visible_questions_q
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import organisations_of

MAX_WITHIN_DAYS = 366
DASHBOARD_SIZE = 5
QUESTIONS_SHOWN = 10
Eligibility = tuple[list[str], list[str], list[str]]  # kinds, countries, regions


@dataclass(frozen=True)
class CallFilters:
    """The list's filters; empty values filter nothing."""

    state: str = "open"  # "open", "closed" or "" for both
    q: str = ""
    topic: str = ""
    kind: str = ""
    country: str = ""
    region: str = ""
    within_days: int | None = None
    eligible: bool = False


def _with_related(qs: QuerySet[FundingCall]) -> QuerySet[FundingCall]:
    """What every list of calls shows: the publishing organisation and the topics."""
    return qs.select_related("organisation").prefetch_related(
        Prefetch("topics", queryset=Concept.objects.order_by("notation")))


def call_get_for(*, viewer, pk: int, perm: str | None = None) -> FundingCall:
    """One call the viewer may see (Http404 otherwise: a hidden call is not revealed), checked against `perm`."""
    qs = _with_related(FundingCall.objects.filter(visible_calls_q(viewer))).prefetch_related(
        Prefetch("documents", queryset=CallDocument.objects.order_by("pk")))
    call = qs.filter(pk=pk).first()
    if call is None or (perm and not viewer.has_perm(perm, call)):
        raise Http404
    return call


def _states(qs: QuerySet[FundingCall], state: str, now: Any) -> QuerySet[FundingCall]:
    if state == "open":
        return qs.filter(deadline__gt=now).order_by("deadline", "pk")
    if state == "closed":
        return qs.filter(deadline__lte=now).order_by("-deadline", "-pk")
    return qs.order_by("deadline", "pk")


def call_list(*, viewer, filters: CallFilters | None = None) -> QuerySet[FundingCall]:
    """The calls the viewer may see with the filters, by deadline (closed ones latest first)."""
    filters, now = filters or CallFilters(), timezone.now()
    qs = _states(FundingCall.objects.filter(visible_calls_q(viewer)), filters.state, now)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(funder__icontains=filters.q)
                       | Q(programme__icontains=filters.q))
    if filters.topic:
        qs = qs.filter(topics__notation=filters.topic)
    if filters.within_days:
        qs = qs.filter(deadline__gt=now, deadline__lte=now + timedelta(days=min(filters.within_days,
                                                                                 MAX_WITHIN_DAYS)))
    tests = _eligibility_tests(viewer, filters)
    if tests:
        qs = qs.filter(pk__in=_ids_where(qs, lambda rules: all(test(rules) for test in tests)))
    return _with_related(qs)


def _eligibility_tests(viewer, filters: CallFilters) -> list[Callable[[Eligibility], bool]]:
    """The eligibility filters as tests of (kinds, countries, regions): an empty list admits everyone."""
    tests: list[Callable[[Eligibility], bool]] = []
    if filters.kind:
        tests.append(lambda rules: not rules[0] or filters.kind in rules[0])
    if filters.country:
        tests.append(lambda rules: not rules[1] or filters.country.upper() in rules[1])
    if filters.region:
        region = filters.region.casefold()
        tests.append(lambda rules: not rules[2] or region in {name.casefold() for name in rules[2]})
    if filters.eligible:
        organisations = list(organisations_of(user=viewer))
        tests.append(lambda rules: any(not _unmet(rules, organisation) for organisation in organisations))
    return tests


def _ids_where(qs: QuerySet[FundingCall], test: Callable[[Eligibility], bool]) -> list[int]:
    """The ids of the calls whose eligibility passes the test, read as plain rows in one query.

    The eligibility lists are JSON, which SQLite cannot search inside: the rules are matched here, on the few
    columns of the calls the other filters left (a few thousand at most).
    """
    rows = qs.order_by().values_list("pk", "eligible_kinds", "eligible_countries", "eligible_regions")
    return [pk for pk, kinds, countries, regions in rows if test((kinds or [], countries or [], regions or []))]


def _unmet(rules: Eligibility, organisation: Organisation) -> list[str]:
    """Which of the rules the organisation does not meet ("kind", "country", "region")."""
    kinds, countries, regions = rules
    unmet = []
    if kinds and organisation.kind not in kinds:
        unmet.append("kind")
    if countries and organisation.country not in countries:
        unmet.append("country")
    if regions and (organisation.region or "").casefold() not in {name.casefold() for name in regions}:
        unmet.append("region")
    return unmet


def calls_open_eligible_for(*, user) -> QuerySet[FundingCall]:
    """Published calls whose deadline has not passed and that some organisation of the user may apply to."""
    return call_list(viewer=user, filters=CallFilters(state="open", eligible=True)).filter(
        status=FundingCall.Status.PUBLISHED)


@dataclass(frozen=True)
class OrganisationEligibility:
    """Whether one of the viewer's organisations may apply to a call, and why not."""

    organisation: Organisation
    reasons: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _kind_labels(kinds: Iterable[str]) -> str:
    return ", ".join(str(Organisation.Kind(kind).label).lower() for kind in kinds if kind in Organisation.Kind)


def _reason(call: FundingCall, organisation: Organisation, rule: str) -> str:
    values = {"name": organisation.name, "kinds": _kind_labels(call.eligible_kinds),
              "kind": organisation.get_kind_display().lower(), "countries": ", ".join(call.eligible_countries),
              "country": organisation.country, "regions": ", ".join(call.eligible_regions),
              "region": organisation.region}
    if rule == "kind":
        return _("Open to: %(kinds)s; %(name)s is a %(kind)s.") % values
    if rule == "country":
        return _("Open to organisations in %(countries)s; %(name)s is in %(country)s.") % values
    if not organisation.region:
        return _("Open to organisations in %(regions)s; the directory gives no region for %(name)s.") % values
    return _("Open to organisations in %(regions)s; %(name)s is in %(region)s.") % values


def call_eligibility(*, call: FundingCall, organisations: Iterable[Organisation]) -> list[OrganisationEligibility]:
    """For each organisation: may it apply to the call, and if not, why (one sentence per unmet rule)."""
    rules = (call.eligible_kinds or [], call.eligible_countries or [], call.eligible_regions or [])
    return [OrganisationEligibility(organisation, [_reason(call, organisation, rule)
                                                  for rule in _unmet(rules, organisation)])
            for organisation in organisations]


def viewer_organisations(*, viewer) -> list[Organisation]:
    """The organisations the viewer belongs to (none when signed out), by name."""
    return list(organisations_of(user=viewer)) if viewer is not None else []


def followed_calls(*, user, upcoming: bool = False) -> QuerySet[FundingCall]:
    """The calls the user follows and may still see, by deadline (only those not yet closed if `upcoming`)."""
    if user is None or not user.is_authenticated:
        return FundingCall.objects.none()
    qs = FundingCall.objects.filter(visible_calls_q(user), follows__user=user)
    if upcoming:
        qs = qs.filter(deadline__gt=timezone.now(), status=FundingCall.Status.PUBLISHED)
    return _with_related(qs.order_by("deadline", "pk"))


def followed_call_ids(*, user, calls: Iterable[FundingCall]) -> set[int]:
    """Which of these calls the user follows, in one query."""
    if user is None or not user.is_authenticated:
        return set()
    ids = [call.pk for call in calls]
    return set(CallFollow.objects.filter(user=user, call_id__in=ids).values_list("call_id", flat=True))


@dataclass(frozen=True)
class DashboardCalls:
    """The dashboard's box: open calls the user may apply to, and the next deadlines of the calls they follow."""

    eligible: list[FundingCall]
    followed: list[FundingCall]


def dashboard_calls(*, user) -> DashboardCalls:
    """The first five open calls the user is eligible for and the five next deadlines they follow."""
    return DashboardCalls(eligible=list(calls_open_eligible_for(user=user)[:DASHBOARD_SIZE]),
                          followed=list(followed_calls(user=user, upcoming=True)[:DASHBOARD_SIZE]))


def call_questions(*, call: FundingCall, viewer) -> list[Question]:
    """The desk's questions about the call that the viewer may see, newest first."""
    qs = Question.objects.filter(visible_questions_q(viewer), call=call).order_by("-created_at", "-pk")
    return list(qs.only("pk", "title", "status", "created_at", "language")[:QUESTIONS_SHOWN])


def call_region_options() -> list[tuple[str, str]]:
    """(country, region) of the listed organisations, for the eligibility form's suggestions."""
    qs = Organisation.objects.filter(is_active=True).exclude(region="").order_by("country", "region")
    return list(qs.values_list("country", "region").distinct())


def publisher_list() -> QuerySet[CallPublisher]:
    """The trusted publishers, by organisation name (operators only: the caller checks)."""
    return CallPublisher.objects.select_related("organisation", "granted_by").order_by("organisation__name")


def call_page(qs: QuerySet[FundingCall], page: Any, size: int) -> Any:
    """A page of calls."""
    return Paginator(qs, size).get_page(page)
