"""Who may see and change which events, as rules predicates and the query they share."""

import rules
from django.db.models import Exists, OuterRef, Q

from sinergia.calendar.models import Event
from sinergia.core.rules import is_operator, operators_manage_models
from sinergia.directory.models import OrganisationMember
from sinergia.directory.rules import can_edit_organisation, is_org_member
from sinergia.networks.rules import forget_cached_networks, member_network_ids

EDITING_ROLES = (OrganisationMember.Role.ADMIN, OrganisationMember.Role.EDITOR)
ON_CALENDAR = (Event.Status.PUBLISHED, Event.Status.CANCELLED)


def viewer_network_ids(user) -> frozenset[int]:
    """Networks whose network-only events the user sees: admitted through an organisation, or coordinated."""
    return member_network_ids(user)


def forget_cached_calendar_networks(user) -> None:
    """Drop the networks cached on this user object, after a membership changed."""
    forget_cached_networks(user)


def _shared_with(network_ids: frozenset[int], prefix: str) -> Exists:
    through = Event.networks.through.objects.filter(event_id=OuterRef(f"{prefix}pk"), network_id__in=network_ids)
    return Exists(through)


def visible_events_q(viewer, *, prefix: str = "", published: bool = False) -> Q:
    """The events the viewer may see, as a filter (on Event, or through `prefix`, e.g. "event__").

    Published and cancelled public events are seen by everyone; network-only ones by members of one of the
    networks they are shared with and by the people of the organisation; drafts by its editors; all by operators.
    With `published`, only the published ones of those: a shorter filter, the rule for drafts having nothing to add.
    """
    if published:
        return Q(**{f"{prefix}status": Event.Status.PUBLISHED}) & _seen_q(viewer, prefix)
    if viewer is not None and viewer.is_authenticated and is_operator(viewer):
        return Q()
    on_calendar = Q(**{f"{prefix}status__in": ON_CALENDAR})
    visible = on_calendar & Q(**{f"{prefix}visibility": Event.Visibility.PUBLIC})
    if not (viewer and viewer.is_authenticated):
        return visible
    networks = viewer_network_ids(viewer)
    own_orgs = OrganisationMember.objects.filter(user=viewer).values("organisation_id")
    edited_orgs = own_orgs.filter(role__in=EDITING_ROLES)
    if networks:
        visible |= on_calendar & Q(_shared_with(networks, prefix))
    visible |= on_calendar & Q(**{f"{prefix}organisation_id__in": own_orgs})
    visible |= Q(**{f"{prefix}organisation_id__in": edited_orgs})
    return visible


def _seen_q(viewer, prefix: str) -> Q:
    """Of the events on the calendar (published or cancelled), those the viewer sees: the filter, less the status."""
    if viewer is not None and viewer.is_authenticated and is_operator(viewer):
        return Q()
    seen = Q(**{f"{prefix}visibility": Event.Visibility.PUBLIC})
    if not (viewer and viewer.is_authenticated):
        return seen
    if networks := viewer_network_ids(viewer):
        seen |= Q(_shared_with(networks, prefix))
    return seen | Q(**{f"{prefix}organisation_id__in": OrganisationMember.objects.filter(user=viewer)
                       .values("organisation_id")})


def visible_published_sql(viewer, *, event: str) -> tuple[str, dict[str, str | int]]:
    """`visible_events_q(viewer, published=True)` as an SQL condition on the events table under the alias `event`,
    with its named parameters (all starting with "seen_"): the same rule, for a statement written by hand."""
    condition = f"{event}.status = %(seen_status)s"
    params: dict[str, str | int] = {"seen_status": str(Event.Status.PUBLISHED)}
    if viewer is not None and viewer.is_authenticated and is_operator(viewer):
        return condition, params
    seen, params["seen_public"] = f"{event}.visibility = %(seen_public)s", str(Event.Visibility.PUBLIC)
    if viewer is not None and viewer.is_authenticated:
        if networks := sorted(viewer_network_ids(viewer)):
            names = [f"seen_network_{index}" for index in range(len(networks))]
            seen += _SEEN_IN_NETWORKS_SQL.format(event=event, shared=Event.networks.through._meta.db_table,
                                                 networks=", ".join(f"%({name})s" for name in names))
            params.update(zip(names, networks, strict=True))
        seen += _SEEN_IN_ORGANISATIONS_SQL.format(event=event, people=OrganisationMember._meta.db_table)
        params["seen_user"] = viewer.pk
    return f"{condition} AND ({seen})", params


_SEEN_IN_NETWORKS_SQL = (" OR EXISTS (SELECT 1 FROM {shared} shared"
                         " WHERE shared.event_id = {event}.id AND shared.network_id IN ({networks}))")
_SEEN_IN_ORGANISATIONS_SQL = (" OR {event}.organisation_id IN"
                              " (SELECT organisation_id FROM {people} WHERE user_id = %(seen_user)s)")


@rules.predicate
def can_view_event(user, event) -> bool:
    """The user may see the event (the same rule as `visible_events_q`, for one object in memory)."""
    if not isinstance(event, Event):
        return False
    if event.status in ON_CALENDAR and event.visibility == Event.Visibility.PUBLIC:
        return True
    if can_edit_organisation(user, event.organisation):
        return True
    if event.status not in ON_CALENDAR:
        return False
    if is_org_member(user, event.organisation):
        return True
    networks = viewer_network_ids(user)
    return bool(networks) and any(network.pk in networks for network in event.networks.all())


@rules.predicate
def can_edit_event(user, event) -> bool:
    """Editors and admins of the event's organisation (and operators) change it."""
    return isinstance(event, Event) and bool(can_edit_organisation(user, event.organisation))


rules.add_perm("calendar.view_event", is_operator | can_view_event)
rules.add_perm("calendar.change_event", can_edit_event)
# On an organisation: create its events, import its calendar, manage its feeds.
rules.add_perm("calendar.add_event", can_edit_organisation)
rules.add_perm("calendar.manage_feeds", can_edit_organisation)
rules.add_perm("calendar.view_all_events", is_operator)

operators_manage_models("calendar", ("event", "occurrence", "calendarfeed", "feedtoken"))
