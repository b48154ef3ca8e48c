"""Who sees and changes which events: the permission matrix of calendar/rules.py, `visible_events_q` and its SQL form."""

import pytest
from django.db import connection

from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.rules import (
    forget_cached_calendar_networks,
    viewer_network_ids,
    visible_events_q,
    visible_published_sql,
)
from sinergia.networks.models import Membership
from sinergia.networks.rules import coordinated_network_ids
from tests import factories
from tests.factories import person, persona_world

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "org_member", "org_editor", "org_admin", "network_member", "coordinator",
            "operator"]
STATES = [(status, visibility) for status in Event.Status.values for visibility in Event.Visibility.values]
ON_CALENDAR_PUBLIC = {("published", "public"), ("cancelled", "public")}
ON_CALENDAR = ON_CALENDAR_PUBLIC | {("published", "networks"), ("cancelled", "networks")}
EVERYTHING = set(STATES)
SEES = {
    "anonymous": ON_CALENDAR_PUBLIC,
    "outsider": ON_CALENDAR_PUBLIC,
    "org_member": ON_CALENDAR,
    "org_editor": EVERYTHING,
    "org_admin": EVERYTHING,
    "network_member": ON_CALENDAR,
    "coordinator": ON_CALENDAR,
    "operator": EVERYTHING,
}
EDITORS = {"org_editor", "org_admin", "operator"}


@pytest.fixture
def world(operator, outsider):
    world = persona_world(operator, outsider)
    events = {(status, visibility): factories.EventFactory(organisation=world["museum"], status=status,
                                                           visibility=visibility, shared_with=[world["network"]])
              for status, visibility in STATES}
    return {**world, "events": events}


def states_of(world, events) -> set[tuple[str, str]]:
    by_pk = {event.pk: state for state, event in world["events"].items()}
    return {by_pk[event.pk] for event in events}


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_events_q_shows_each_persona_its_events(world, persona):
    visible = Event.objects.filter(visible_events_q(world[persona]))
    assert states_of(world, visible) == SEES[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_events_q_through_occurrences_shows_the_same_events(world, persona):
    occurrences = Occurrence.objects.filter(visible_events_q(world[persona], prefix="event__")).select_related("event")
    assert states_of(world, [occurrence.event for occurrence in occurrences]) == SEES[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_events_q_of_published_events_shows_each_persona_its_published_events(world, persona):
    visible = Event.objects.filter(visible_events_q(world[persona], published=True))
    assert states_of(world, visible) == {state for state in SEES[persona] if state[0] == "published"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_events_q_of_published_events_through_occurrences_shows_the_same_events(world, persona):
    occurrences = Occurrence.objects.filter(visible_events_q(world[persona], prefix="event__", published=True))
    assert states_of(world, [occurrence.event for occurrence in occurrences.select_related("event")]) == {
        state for state in SEES[persona] if state[0] == "published"}


def published_seen_by_sql(viewer) -> list[Event]:
    condition, params = visible_published_sql(viewer, event="e")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT e.id FROM {Event._meta.db_table} e WHERE {condition}", params)
        return list(Event.objects.filter(pk__in=[pk for (pk,) in cursor.fetchall()]))


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_published_sql_shows_each_persona_its_published_events(world, persona):
    """The SQL condition of the clash check's statement is the rule of `visible_events_q(published=True)`."""
    assert states_of(world, published_seen_by_sql(world[persona])) == {
        state for state in SEES[persona] if state[0] == "published"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_view_event_permission_agrees_with_visible_events_q(world, persona):
    user = world[persona]
    allowed = [event for event in world["events"].values() if user.has_perm("calendar.view_event", event)]
    assert states_of(world, allowed) == SEES[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_change_event_permission_is_for_the_organisation_s_editors(world, persona):
    user = world[persona]
    allowed = [event for event in world["events"].values() if user.has_perm("calendar.change_event", event)]
    assert states_of(world, allowed) == (EVERYTHING if persona in EDITORS else set())


@pytest.mark.parametrize("perm", ["calendar.add_event", "calendar.manage_feeds"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_organisation_permission_is_for_its_editors(world, persona, perm):
    assert world[persona].has_perm(perm, world["museum"]) == (persona in EDITORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_view_all_events_is_for_operators(world, persona):
    assert world[persona].has_perm("calendar.view_all_events") == (persona == "operator")


def test_networks_only_event_not_shared_with_the_network_is_hidden_from_its_members(world):
    hidden = factories.EventFactory(organisation=world["museum"], networks_only=True)
    member = world["network_member"]
    assert (Event.objects.filter(visible_events_q(member), pk=hidden.pk).exists(),
            member.has_perm("calendar.view_event", hidden)) == (False, False)


def test_networks_only_event_is_hidden_from_a_suspended_member(world):
    member = world["network_member"]
    Membership.objects.filter(organisation__name="Museo membro").update(status=Membership.Status.SUSPENDED)
    forget_cached_calendar_networks(member)
    event = world["events"][("published", "networks")]
    assert (Event.objects.filter(visible_events_q(member), pk=event.pk).exists(),
            member.has_perm("calendar.view_event", event)) == (False, False)


def test_viewer_network_ids_are_the_admitted_and_coordinated_networks(world):
    assert (viewer_network_ids(world["network_member"]), viewer_network_ids(world["coordinator"]),
            viewer_network_ids(world["outsider"]), viewer_network_ids(world["anonymous"])) == (
        frozenset({world["network"].pk}), frozenset({world["network"].pk}), frozenset(), frozenset())


def test_visible_events_q_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    member = factories.UserFactory(email="fresh@membro.example.org")
    factories.OrganisationMemberFactory(organisation=factories.OrganisationFactory(), user=member)
    # The viewer's networks (admitted and coordinated, in one query), then the events themselves.
    with django_assert_max_num_queries(2):
        assert len(list(Event.objects.filter(visible_events_q(member)))) == 2


@pytest.fixture
def coordination():
    """A museum coordinating "Rete" directly, and through it "Sistema" (one level down), in a few other networks."""
    museum = factories.OrganisationFactory(name="Museo capofila")
    rete, sistema, altra, candidata, sotto = (factories.NetworkFactory(name=name) for name in (
        "Rete", "Sistema", "Altra", "Candidata", "Sotto"))
    factories.MembershipFactory(network=rete, organisation=museum, coordinator=True)
    factories.MembershipFactory(network=sistema, organisation=None, member_network=rete, coordinator=True)
    factories.MembershipFactory(network=altra, organisation=museum)
    factories.MembershipFactory(network=candidata, organisation=museum, applied=True)
    # Rete is a plain member of Sotto: coordinating Rete does not make one see Sotto's network-only events.
    factories.MembershipFactory(network=sotto, organisation=None, member_network=rete)
    return {"museum": museum, "rete": rete, "sistema": sistema, "altra": altra}


@pytest.mark.parametrize(("role", "expected"), [
    ("editor", {"rete", "sistema", "altra"}), ("admin", {"rete", "sistema", "altra"}), ("member", {"rete", "altra"}),
])
def test_viewer_network_ids_add_the_networks_coordinated_one_level_down(coordination, role, expected):
    user = person(coordination["museum"], role, f"{role}@capofila.example.org")
    assert viewer_network_ids(user) == frozenset(coordination[name].pk for name in expected)


@pytest.mark.parametrize("role", ["editor", "member"])
def test_viewer_network_ids_are_the_admitted_ones_and_those_the_networks_rules_call_coordinated(coordination, role):
    user = person(coordination["museum"], role, f"{role}@capofila.example.org")
    admitted = Membership.objects.filter(status=Membership.Status.ADMITTED, organisation__people__user=user)
    expected = frozenset(admitted.values_list("network_id", flat=True)) | coordinated_network_ids(user)
    assert viewer_network_ids(user) == expected
