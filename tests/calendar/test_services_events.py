"""Event services: what an editor's data becomes, the checks on it, publishing after the clash check, cancelling."""

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sinergia.calendar import services
from sinergia.calendar.models import Event, Occurrence
from sinergia.calendar.services import (
    EventData,
    StrongClashError,
    event_cancel,
    event_create,
    event_delete,
    event_publish,
    event_update,
)
from sinergia.core.models import AuditEntry, Concept, Notification
from sinergia.networks.models import Membership
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db
ROME_SUMMER = 2  # hours ahead of UTC in July
YEAR = date.today().year + 1


def july(day: int = 15, hour: int = 18) -> datetime:
    """Wall time in Rome next July (naive: the service reads it in the event's zone)."""
    return datetime(YEAR, 7, day, hour)


def utc(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(YEAR, month, day, hour, tzinfo=UTC)


def png(size: tuple[int, int] = (4, 4), name: str = "poster.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def museum(db):
    return factories.OrganisationFactory(name="Museo della città", address="Via Roma 1", locality="",
                                         municipality="Bologna", province="Bologna", region="Emilia-Romagna",
                                         latitude=44.4949, longitude=11.3426)


@pytest.fixture
def editor(museum):
    return person(museum, "editor", "editor@museo.example.org")


@pytest.fixture
def families(db):
    return factories.ConceptFactory(scheme=Concept.Scheme.AUDIENCE, notation="families")


@pytest.fixture
def network(museum):
    network = factories.NetworkFactory(name="Rete dei musei del Po")
    factories.MembershipFactory(network=network, organisation=museum)
    return network


def data(venue=None, **fields) -> EventData:
    values = {"title": "Notte al museo", "start": july(), "end": july(hour=20), "latitude": 44.4949,
              "longitude": 11.3426, "timezone": "Europe/Rome"}
    if venue is not None:
        values.pop("latitude"), values.pop("longitude")
    return EventData(venue=venue, **{**values, **fields})


def errors_of(call) -> dict:
    """The errors by field ("__all__" for those of no field in particular)."""
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict if hasattr(error.value, "error_dict") else {"__all__": error.value.messages}


def create(museum, editor, **fields) -> Event:
    return event_create(organisation=museum, by=editor, data=data(**fields))


# --- create -------------------------------------------------------------------------------------------------------


def test_event_create_stores_a_draft_with_its_times_in_utc(museum, editor):
    event = create(museum, editor)
    assert (event.status, event.start, event.end, event.timezone, event.created_by) == (
        Event.Status.DRAFT, utc(7, 15, 16), utc(7, 15, 18), "Europe/Rome", editor)


def test_event_create_materialises_the_occurrences(museum, editor):
    event = create(museum, editor, rrule="FREQ=WEEKLY;COUNT=3")
    assert list(event.occurrences.values_list("start", flat=True)) == [utc(7, 15, 16), utc(7, 22, 16),
                                                                      utc(7, 29, 16)]


def test_event_create_converts_aware_times(museum, editor):
    event = create(museum, editor, start=utc(7, 15, 9), end=utc(7, 15, 10))
    assert (event.start, event.end) == (utc(7, 15, 9), utc(7, 15, 10))


def test_event_create_stores_an_all_day_event_between_local_midnights(museum, editor):
    event = create(museum, editor, all_day=True, start=date(YEAR, 7, 15), end=date(YEAR, 7, 17))
    assert (event.all_day, event.start, event.end) == (True, utc(7, 14, 22), utc(7, 17, 22))


def test_event_create_makes_a_one_day_event_of_an_all_day_start_alone(museum, editor):
    event = create(museum, editor, all_day=True, start=date(YEAR, 7, 15), end=None)
    assert (event.start, event.end) == (utc(7, 14, 22), utc(7, 15, 22))


def test_event_create_copies_the_venue_s_place(museum, editor):
    event = event_create(organisation=museum, by=editor, data=data(venue=museum))
    assert (event.venue, event.place_name, event.address, event.locality, event.province, event.region,
            event.country, event.latitude, event.longitude) == (
        museum, "Museo della città", "Via Roma 1", "Bologna", "Bologna", "Emilia-Romagna", "IT", 44.4949, 11.3426)


def test_event_create_keeps_what_is_given_over_the_venue(museum, editor):
    event = event_create(organisation=museum, by=editor,
                         data=data(venue=museum, place_name="Cortile", latitude=44.5, longitude=11.3))
    assert (event.place_name, event.address, event.latitude, event.longitude) == (
        "Cortile", "Via Roma 1", 44.5, 11.3)


def test_event_create_stores_extra_and_excluded_dates(museum, editor):
    event = create(museum, editor, rrule="FREQ=WEEKLY;COUNT=3", exdates=[date(YEAR, 7, 22)],
                   rdates=[datetime(YEAR, 8, 1, 10)])
    assert (event.exdates, event.rdates) == ([utc(7, 22, 16).isoformat()], [utc(8, 1, 8).isoformat()])
    assert list(event.occurrences.values_list("start", flat=True)) == [utc(7, 15, 16), utc(7, 29, 16),
                                                                      utc(8, 1, 8)]


def test_event_create_stores_the_related_objects(museum, editor, families, network):
    partner = factories.OrganisationFactory()
    event = create(museum, editor, audiences=[families], co_organisers=[partner, museum], networks=[network])
    assert (list(event.audiences.all()), list(event.co_organisers.all()), list(event.networks.all())) == (
        [families], [partner], [network])


def test_event_create_is_audited(museum, editor):
    event = create(museum, editor)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id, entry.data) == (
        editor, "calendar.event_created", str(event.pk), {"status": "draft"})


def test_event_create_stores_an_image(museum, editor):
    event = event_create(organisation=museum, by=editor, data=data(), image=png())
    assert event.image.name == f"events/{timezone.now().year}/event-{event.pk}.png"


# --- what is refused, by field ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fields", "expected"), [
    ({"title": "  "}, {"title": ["Please give the event a title."]}),
    ({"end": july(hour=17)}, {"end": ["The event ends before it starts."]}),
    ({"start": datetime(9999, 1, 1, 10), "end": None}, {"start": ["The year must be between 1900 and 2100."]}),
    ({"start": datetime(2100, 1, 1, 10), "end": None}, {"start": ["The event starts more than 10 years from now."]}),
    ({"start": datetime(YEAR - 7, 1, 1, 10), "end": None}, {"start": ["The event starts more than 5 years ago."]}),
    ({"end": july() + timedelta(days=367)},
     {"end": ["An event can last at most 366 days; for a longer one, create an event per season."]}),
    ({"start": date(YEAR, 7, 15), "end": None},
     {"start": ["Give a time as well as a date, or mark the event as all-day."]}),
    ({"all_day": True, "start": date(YEAR, 7, 15), "end": date(YEAR, 7, 14)},
     {"end": ["The last day is before the first day."]}),
    ({"timezone": "Europe/Atlantis"}, {"timezone": ["Unknown time zone “Europe/Atlantis”: choose one such as "
                                                    "Europe/Rome."]}),
    ({"rrule": "FREQ=HOURLY"}, {"rrule": ["The event can repeat daily, weekly, monthly or yearly (FREQ=DAILY, "
                                          "WEEKLY, MONTHLY or YEARLY)."]}),
    ({"exdates": ["next tuesday"]}, {"exdates": ["“next tuesday” is not a date."]}),
    ({"latitude": None, "longitude": None},
     {"latitude": ["The event needs a place with coordinates: pick the place on the map."]}),
    ({"longitude": None}, {"longitude": ["Give both latitude and longitude: pick the place on the map."]}),
    ({"latitude": 95.0}, {"latitude": ["Latitude must be between -90 and 90 (got 95.0)."]}),
    ({"country": "Italy"}, {"country": ["Give the country as its two-letter code, such as “IT”."]}),
    ({"category": "party"}, {"category": ["Choose one of the categories."]}),
    ({"visibility": "secret"}, {"visibility": ["Choose who may see the event: everyone or the networks' members."]}),
    ({"booking_url": "javascript:alert(1)"}, {"booking_url": ["Give the booking link as a full web address "
                                                              "(https://…)."]}),
    ({"language": "italiano!"}, {"language": ["Give the language as a code such as “it” or “en-GB”."]}),
    ({"description": "x" * 20_001}, {"description": ["The description is too long: 20001 characters, at most "
                                                     "20000."]}),
])
def test_event_create_refuses_bad_data_on_the_field_to_blame(museum, editor, fields, expected):
    assert errors_of(lambda: create(museum, editor, **fields)) == expected
    assert Event.objects.count() == 0


def test_event_create_reports_every_field_to_correct_at_once(museum, editor):
    errors = errors_of(lambda: create(museum, editor, title="", end=july(hour=17), category="party"))
    assert sorted(errors) == ["category", "end", "title"]


def test_event_create_refuses_a_venue_without_coordinates(museum, editor):
    nowhere = factories.OrganisationFactory(name="Archivio senza mappa", latitude=None, longitude=None)
    assert errors_of(lambda: event_create(organisation=museum, by=editor, data=data(venue=nowhere))) == {
        "venue": ["Archivio senza mappa has no coordinates on the map: pick the place on the map."]}


def test_event_create_refuses_a_network_the_organisation_is_not_admitted_to(museum, editor):
    other = factories.NetworkFactory(name="Rete lontana")
    factories.MembershipFactory(network=other, organisation=museum, applied=True)
    assert errors_of(lambda: create(museum, editor, networks=[other])) == {
        "networks": ["Museo della città is not an admitted member of Rete lontana: share the event only with its "
                     "networks."]}


def test_event_create_refuses_a_theme_as_audience(museum, editor):
    theme = factories.ConceptFactory(scheme=Concept.Scheme.THEME, notation="archaeology")
    assert errors_of(lambda: create(museum, editor, audiences=[theme])) == {
        "audiences": ["Choose audiences from the thesaurus's audiences."]}


def test_event_create_refuses_a_file_that_is_not_an_image(museum, editor):
    fake = SimpleUploadedFile("poster.png", b"<svg onload=alert(1)>", content_type="image/png")
    assert errors_of(lambda: event_create(organisation=museum, by=editor, data=data(), image=fake)) == {
        "image": ["This file is not an image we can use: upload a PNG, JPEG, GIF or WebP picture."]}


def test_event_create_refuses_a_too_large_image(museum, editor, settings):
    settings.CALENDAR_IMAGE_MAX_BYTES = 10
    image = png()
    assert errors_of(lambda: event_create(organisation=museum, by=editor, data=data(), image=image)) == {
        "image": [f"The image is {image.size}\xa0bytes; an event's image may be at most 10\xa0bytes."]}


# --- publishing and the clash check -------------------------------------------------------------------------------


@pytest.fixture
def neighbour_event(families):
    """A published event of another museum at the same place and time, for the same audience."""
    other = factories.OrganisationFactory(name="Museo vicino", latitude=44.4949, longitude=11.3426)
    event = factories.EventFactory(organisation=other, title="Laboratorio per famiglie", start=utc(7, 15, 16),
                                   end=utc(7, 15, 18))
    event.audiences.set([families])
    return event


def test_event_publish_publishes_a_draft(museum, editor):
    event = event_publish(event=create(museum, editor), by=editor)
    event.refresh_from_db()
    assert (event.status, event.published_at is not None) == (Event.Status.PUBLISHED, True)


def test_event_publish_is_audited(museum, editor):
    event = event_publish(event=create(museum, editor), by=editor)
    assert AuditEntry.objects.filter(action="calendar.event_published", target_id=str(event.pk)).count() == 1


def test_event_publish_refuses_a_strong_clash_without_confirmation(museum, editor, families, neighbour_event):
    draft = create(museum, editor, audiences=[families])
    with pytest.raises(StrongClashError) as error:
        event_publish(event=draft, by=editor)
    assert [clash.candidate.event_id for clash in error.value.clashes] == [neighbour_event.pk]
    assert error.value.messages == ["This event strongly clashes with 1 event already on the calendar: confirm to "
                                    "publish it anyway."]
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT


def test_event_publish_with_confirmation_publishes_despite_a_strong_clash(museum, editor, families,
                                                                          neighbour_event):
    draft = create(museum, editor, audiences=[families])
    assert event_publish(event=draft, by=editor, confirm_clash=True).status == Event.Status.PUBLISHED


def test_event_publish_ignores_a_clash_on_another_day(museum, editor, families, neighbour_event):
    draft = create(museum, editor, audiences=[families], start=july(day=16), end=july(day=16, hour=20))
    assert event_publish(event=draft, by=editor).status == Event.Status.PUBLISHED


def test_event_publish_refuses_what_is_not_a_draft(museum, editor):
    event = event_publish(event=create(museum, editor), by=editor)
    assert errors_of(lambda: event_publish(event=event, by=editor)) == {
        "__all__": ["Only drafts can be published; this event is published."]}


def test_event_create_published_at_once_checks_the_clash(museum, editor, families, neighbour_event):
    with pytest.raises(StrongClashError):
        event_create(organisation=museum, by=editor, data=data(audiences=[families]), publish=True)
    assert list(Event.objects.all()) == [neighbour_event]


def test_event_create_published_at_once_with_confirmation(museum, editor, families, neighbour_event):
    event = event_create(organisation=museum, by=editor, data=data(audiences=[families]), publish=True,
                         confirm_clash=True)
    assert (event.status, event.published_at is not None) == (Event.Status.PUBLISHED, True)


# --- update -------------------------------------------------------------------------------------------------------


def test_event_update_changes_the_event_and_its_revision(museum, editor):
    event = create(museum, editor)
    event_update(event=event, by=editor, data=data(title="Notte bianca", rrule="FREQ=WEEKLY;COUNT=2"))
    event.refresh_from_db()
    assert (event.title, event.rrule, event.sequence, event.occurrences.count()) == (
        "Notte bianca", "FREQ=WEEKLY;COUNT=2", 1, 2)


def test_event_update_keeps_the_several_rules_of_an_imported_event(museum, editor):
    rules = "FREQ=WEEKLY;COUNT=2\nFREQ=MONTHLY;COUNT=2"
    event = factories.EventFactory(organisation=museum, uid="notte@museo", rrule=rules, start=utc(7, 15, 16),
                                   end=utc(7, 15, 18), timezone="Europe/Rome")
    event_update(event=event, by=editor, data=data(rrule=rules, title="Notte bianca"))
    event.refresh_from_db()
    assert (event.title, event.rrule) == ("Notte bianca", rules)
    assert list(event.occurrences.values_list("start", flat=True)) == [utc(7, 15, 16), utc(7, 22, 16),
                                                                      utc(8, 15, 16)]


def test_event_update_checks_every_rule_line(museum, editor):
    event = create(museum, editor)
    assert errors_of(lambda: event_update(event=event, by=editor, data=data(rrule="FREQ=WEEKLY\nFREQ=HOURLY"))) == {
        "rrule": ["The event can repeat daily, weekly, monthly or yearly (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)."]}


def test_event_update_refuses_rule_lines_too_long_together(museum, editor):
    event = create(museum, editor)
    line = "FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=" + ",".join(map(str, range(1, 29)))
    assert errors_of(lambda: event_update(event=event, by=editor, data=data(rrule="\n".join([line] * 4)))) == {
        "rrule": ["The repetition rules are too long (at most 500 characters in all)."]}


def test_event_update_without_changes_keeps_the_revision(museum, editor):
    event = create(museum, editor)
    event_update(event=event, by=editor, data=data())
    event.refresh_from_db()
    assert event.sequence == 0


def test_event_update_of_the_audiences_is_a_new_revision(museum, editor, families):
    event = create(museum, editor)
    event_update(event=event, by=editor, data=data(audiences=[families]))
    assert (event.sequence, list(event.audiences.all())) == (1, [families])


def test_event_update_is_audited_with_the_changed_fields(museum, editor):
    event = create(museum, editor)
    event_update(event=event, by=editor, data=data(title="Notte bianca", price="€5"))
    entry = AuditEntry.objects.get(action="calendar.event_updated")
    assert entry.data == {"fields": ["title", "price"]}


def test_event_update_refused_leaves_the_event_as_stored(museum, editor):
    event = create(museum, editor)
    errors_of(lambda: event_update(event=event, by=editor, data=data(title="Nuovo", end=july(hour=1))))
    assert (event.title, event.end) == ("Notte al museo", utc(7, 15, 18))


def test_event_update_moving_a_published_event_onto_a_strong_clash_is_refused(museum, editor, families,
                                                                              neighbour_event):
    event = create(museum, editor, audiences=[families], start=july(day=16), end=july(day=16, hour=20))
    event_publish(event=event, by=editor)
    with pytest.raises(StrongClashError):
        event_update(event=event, by=editor, data=data(audiences=[families]))
    stored = Event.objects.get(pk=event.pk)
    assert (event.start, stored.start, stored.sequence) == (utc(7, 16, 16), utc(7, 16, 16), 0)
    assert list(Occurrence.objects.filter(event=event).values_list("start", flat=True)) == [utc(7, 16, 16)]


def test_event_update_moving_a_published_event_with_confirmation(museum, editor, families, neighbour_event):
    event = create(museum, editor, audiences=[families], start=july(day=16), end=july(day=16, hour=20))
    event_publish(event=event, by=editor)
    event_update(event=event, by=editor, data=data(audiences=[families]), confirm_clash=True)
    assert (event.start, event.sequence) == (utc(7, 15, 16), 1)


def test_event_update_of_the_text_of_a_clashing_event_needs_no_confirmation(museum, editor, families,
                                                                            neighbour_event):
    event = event_create(organisation=museum, by=editor, data=data(audiences=[families]), publish=True,
                         confirm_clash=True)
    event_update(event=event, by=editor, data=data(audiences=[families], description="Con merenda"))
    assert event.description == "Con merenda"


def test_event_update_of_a_cancelled_event_is_refused(museum, editor):
    event = event_publish(event=create(museum, editor), by=editor)
    event_cancel(event=event, by=editor)
    assert errors_of(lambda: event_update(event=event, by=editor, data=data())) == {
        "__all__": ["A cancelled event cannot be changed; create a new event instead."]}


def test_event_update_removes_the_image(museum, editor):
    event = event_create(organisation=museum, by=editor, data=data(), image=png())
    event_update(event=event, by=editor, data=data(), remove_image=True)
    event.refresh_from_db()
    assert event.image.name == ""


def test_event_update_replaces_the_image(museum, editor):
    event = event_create(organisation=museum, by=editor, data=data(), image=png())
    event_update(event=event, by=editor, data=data(), image=png(name="other.png", size=(8, 8)))
    event.refresh_from_db()
    assert event.image.width == 8


# --- cancel and delete --------------------------------------------------------------------------------------------


@pytest.fixture
def shared_event(museum, editor, network):
    """A published weekly event co-organised with another museum and shared with a network."""
    partner = factories.OrganisationFactory(name="Museo partner")
    event = create(museum, editor, rrule="FREQ=WEEKLY;COUNT=3", co_organisers=[partner], networks=[network])
    return event_publish(event=event, by=editor, confirm_clash=True)


def titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_event_cancel_marks_the_event_and_every_occurrence(shared_event, editor):
    event_cancel(event=shared_event, by=editor, reason="Maltempo")
    shared_event.refresh_from_db()
    assert (shared_event.status, shared_event.sequence) == (Event.Status.CANCELLED, 1)
    assert list(shared_event.occurrences.values_list("cancelled", flat=True)) == [True, True, True]


def test_event_cancel_tells_co_organisers_and_coordinators(shared_event, editor, network):
    partner = shared_event.co_organisers.get()
    partner_editor = person(partner, "editor", "editor@partner.example.org")
    partner_member = person(partner, "member", "member@partner.example.org")
    coordinating = factories.OrganisationFactory(name="Capofila")
    factories.MembershipFactory(network=network, organisation=coordinating, role=Membership.Role.COORDINATOR)
    coordinator = person(coordinating, "admin", "coordinator@capofila.example.org")
    event_cancel(event=shared_event, by=editor, reason="Maltempo")
    expected = ["“Notte al museo” of Museo della città has been cancelled"]
    assert (titles(partner_editor), titles(coordinator), titles(partner_member), titles(editor)) == (
        expected, expected, [], [])
    notification = Notification.objects.get(recipient=coordinator)
    assert (notification.body, notification.url) == ("Reason: Maltempo", f"/en/calendar/events/{shared_event.pk}/")


def test_event_cancel_is_audited_with_the_reason(shared_event, editor):
    event_cancel(event=shared_event, by=editor, reason="Maltempo")
    entry = AuditEntry.objects.get(action="calendar.event_cancelled")
    assert (entry.actor, entry.data) == (editor, {"reason": "Maltempo"})


def test_event_cancel_of_a_draft_is_refused(museum, editor):
    assert errors_of(lambda: event_cancel(event=create(museum, editor), by=editor)) == {
        "__all__": ["A draft is not on the calendar: delete it instead of cancelling it."]}


def test_event_cancel_twice_is_refused(shared_event, editor):
    event_cancel(event=shared_event, by=editor)
    assert errors_of(lambda: event_cancel(event=shared_event, by=editor)) == {
        "__all__": ["This event is already cancelled."]}


def test_event_cancel_refuses_a_too_long_reason(shared_event, editor):
    assert errors_of(lambda: event_cancel(event=shared_event, by=editor, reason="x" * 2001)) == {
        "reason": ["The reason is too long (at most 2000 characters)."]}


def test_event_delete_removes_a_draft_and_its_occurrences(museum, editor):
    event = create(museum, editor, rrule="FREQ=WEEKLY;COUNT=3")
    event_delete(event=event, by=editor)
    assert (Event.objects.count(), Occurrence.objects.count()) == (0, 0)
    assert AuditEntry.objects.get(action="calendar.event_deleted").data == {"title": "Notte al museo"}


def test_event_delete_of_a_published_event_is_refused(shared_event, editor):
    assert errors_of(lambda: event_delete(event=shared_event, by=editor)) == {
        "__all__": ["Only drafts can be deleted; cancel a published event instead, so that calendars showing it "
                    "learn of the cancellation."]}


# --- who may write ------------------------------------------------------------------------------------------------

PERSONAS = ["anonymous", "outsider", "org_member", "org_editor", "org_admin", "network_member", "coordinator",
            "operator"]
EDITORS = {"org_editor", "org_admin", "operator"}


@pytest.fixture
def world(museum, network, operator, outsider):
    member_org = factories.OrganisationFactory(name="Museo membro")
    factories.MembershipFactory(network=network, organisation=member_org)
    coordinating = factories.OrganisationFactory(name="Capofila")
    factories.MembershipFactory(network=network, organisation=coordinating, role=Membership.Role.COORDINATOR)
    return {
        "museum": museum, "network": network, "anonymous": AnonymousUser(), "outsider": outsider,
        "operator": operator,
        "org_member": person(museum, "member", "m@museo.example.org"),
        "org_editor": person(museum, "editor", "e@museo.example.org"),
        "org_admin": person(museum, "admin", "a@museo.example.org"),
        "network_member": person(member_org, "admin", "a@membro.example.org"),
        "coordinator": person(coordinating, "admin", "a@capofila.example.org"),
    }


def _draft(w) -> Event:
    return factories.EventFactory(organisation=w["museum"], draft=True, shared_with=[w["network"]])


def _published(w) -> Event:
    return factories.EventFactory(organisation=w["museum"], shared_with=[w["network"]])


WRITES = {
    "event_create": lambda w, by: event_create(organisation=w["museum"], by=by, data=data()),
    "event_update": lambda w, by: event_update(event=_draft(w), by=by, data=data()),
    "event_publish": lambda w, by: event_publish(event=_draft(w), by=by, confirm_clash=True),
    "event_cancel": lambda w, by: event_cancel(event=_published(w), by=by),
    "event_delete": lambda w, by: event_delete(event=_draft(w), by=by),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("write", sorted(WRITES))
def test_event_write_is_allowed_exactly_to_the_organisation_s_editors(world, write, persona):
    if persona in EDITORS:
        WRITES[write](world, world[persona])
    else:
        with pytest.raises(PermissionDenied):
            WRITES[write](world, world[persona])


def test_every_event_write_is_in_the_matrix():
    writes = {name for name in services.__all__ if name.startswith("event_")}
    assert writes == set(WRITES)
