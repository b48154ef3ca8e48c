"""The editor's pages: an organisation's events, the form with its live clash check, publish, cancel, delete."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sinergia.calendar.models import Event
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db
PERSONAS = ["anonymous", "outsider", "org_member", "org_editor", "org_admin", "network_member", "operator"]
EDITORS = {"org_editor", "org_admin", "operator"}
HTMX = {"HTTP_HX_REQUEST": "true"}


def next_month_at(hour: int) -> datetime:
    return (datetime.now(UTC) + timedelta(days=30)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def museum():
    return factories.OrganisationFactory(name="Museo della Musica", slug="museo-musica", latitude=44.4949,
                                         longitude=11.3426)


@pytest.fixture
def editor(museum):
    return person(museum, "editor", "editor@musica.example.org")


@pytest.fixture
def neighbour():
    """A museum at the same spot, with an event already scheduled next month at 14:00–16:00 UTC."""
    return factories.OrganisationFactory(name="Museo vicino", slug="museo-vicino", latitude=44.4949, longitude=11.3426)


@pytest.fixture
def scheduled(neighbour):
    start = next_month_at(14)
    return factories.EventFactory(organisation=neighbour, title="Concerto del vicino", start=start,
                                  end=start + timedelta(hours=2))


def posted(start: datetime | None = None, **overrides) -> dict:
    """The form as posted: a two-hour timed event at the museum's place, in UTC."""
    start = start or next_month_at(14)
    values = {"title": "Concerto d'organo", "category": "performance", "place_kind": "own",
              "start_date": start.date().isoformat(), "start_time": start.strftime("%H:%M"),
              "end_time": (start + timedelta(hours=2)).strftime("%H:%M"), "timezone": "UTC", "repeat": "",
              "ends": "never", "visibility": "public", "action": "draft"}
    values.update(overrides)
    return values


def clash_post(museum, **overrides) -> dict:
    return {"organisation": museum.slug, **posted(**overrides)}


# --- Permission matrix --------------------------------------------------------------------------------------------


@pytest.fixture
def world(museum, editor, operator, outsider):
    network = factories.NetworkFactory()
    factories.MembershipFactory(network=network, organisation=museum)
    partner = factories.OrganisationFactory(name="Partner")
    factories.MembershipFactory(network=network, organisation=partner)
    return {
        "museum": museum, "network": network, "anonymous": AnonymousUser(), "outsider": outsider,
        "operator": operator, "org_editor": editor,
        "org_member": person(museum, "member", "member@musica.example.org"),
        "org_admin": person(museum, "admin", "admin@musica.example.org"),
        "network_member": person(partner, "admin", "admin@partner.example.org"),
    }


def _event(w, **traits) -> Event:
    return factories.EventFactory(organisation=w["museum"], shared_with=[w["network"]], **traits)


def _create(w):
    return (reverse("calendar:event_create", args=[w["museum"].slug]), posted(title="Nuovo"),
            lambda: Event.objects.filter(title="Nuovo").exists())


def _edit(w):
    event = _event(w, draft=True)
    return (reverse("calendar:event_edit", args=[event.pk]), posted(title="Cambiato"),
            lambda: Event.objects.get(pk=event.pk).title == "Cambiato")


def _publish(w):
    event = _event(w, draft=True)
    return (reverse("calendar:event_publish", args=[event.pk]), {"confirm_clash": "1"},
            lambda: Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED)


def _cancel(w):
    event = _event(w)
    return (reverse("calendar:event_cancel", args=[event.pk]), {"reason": "Maltempo"},
            lambda: Event.objects.get(pk=event.pk).status == Event.Status.CANCELLED)


def _delete(w):
    event = _event(w, draft=True)
    return reverse("calendar:event_delete", args=[event.pk]), {}, lambda: not Event.objects.filter(pk=event.pk).exists()


WRITES = {"event_create": _create, "event_edit": _edit, "event_publish": _publish, "event_cancel": _cancel,
          "event_delete": _delete}


def _login(client, w, persona):
    if persona != "anonymous":
        client.force_login(w[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("write", sorted(WRITES))
def test_write_changes_data_exactly_for_the_organisation_editors(client, world, write, persona):
    url, data, changed = WRITES[write](world)
    _login(client, world, persona)
    response = client.post(url, data)
    if persona == "anonymous":
        assert (response.status_code, response.url.split("?")[0]) == (302, reverse("account_login"))
    elif persona in EDITORS:
        assert response.status_code == 302
    else:
        assert response.status_code in (403, 404)
    assert changed() is (persona in EDITORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_events_page_is_for_the_organisation_editors(client, world, persona):
    _login(client, world, persona)
    response = client.get(reverse("calendar:org_events", args=[world["museum"].slug]))
    expected = 302 if persona == "anonymous" else 200 if persona in EDITORS else 403
    assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_clash_check_is_for_the_organisation_editors(client, world, persona):
    _login(client, world, persona)
    response = client.post(reverse("calendar:clash_check"), clash_post(world["museum"]), **HTMX)
    expected = 302 if persona == "anonymous" else 200 if persona in EDITORS else 403
    assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_form_is_for_the_event_editors(client, world, persona):
    event = _event(world)
    _login(client, world, persona)
    response = client.get(reverse("calendar:event_edit", args=[event.pk]))
    expected = 302 if persona == "anonymous" else 200 if persona in EDITORS else 403
    assert response.status_code == expected


def test_draft_of_another_organisation_is_not_found(client, world):
    event = _event(world, draft=True)
    client.force_login(world["network_member"])
    assert client.get(reverse("calendar:event_edit", args=[event.pk])).status_code == 404


def test_every_editor_url_is_in_the_matrix():
    from sinergia.calendar.urls import urlpatterns

    editor_views = {p.name for p in urlpatterns if p.callback.__module__ == "sinergia.calendar.views.editor"}
    assert editor_views == {*WRITES, "org_events", "clash_check"}


# --- Creating and publishing ----------------------------------------------------------------------------------------


def test_save_draft_creates_a_draft_and_shows_it(client, museum, editor):
    client.force_login(editor)
    response = client.post(reverse("calendar:event_create", args=[museum.slug]), posted())
    event = Event.objects.get(title="Concerto d'organo")
    assert (response.status_code, response.url, event.status, event.venue, event.created_by) == (
        302, reverse("calendar:event", args=[event.pk]), Event.Status.DRAFT, museum, editor)


def test_publish_without_clash_publishes_at_once(client, museum, editor):
    client.force_login(editor)
    client.post(reverse("calendar:event_create", args=[museum.slug]), posted(action="publish"))
    assert Event.objects.get(title="Concerto d'organo").status == Event.Status.PUBLISHED


def test_publish_with_a_strong_clash_saves_a_draft_and_asks_to_confirm(client, museum, editor, scheduled):
    client.force_login(editor)
    response = client.post(reverse("calendar:event_create", args=[museum.slug]), posted(action="publish"),
                           follow=True)
    event = Event.objects.get(title="Concerto d'organo")
    page = response.content.decode()
    assert (response.redirect_chain, event.status, "Concerto del vicino" in page, "Publish anyway" in page,
            "Change the date" in page, "saved as a draft" in page) == (
        [(reverse("calendar:event_publish", args=[event.pk]), 302)], Event.Status.DRAFT, True, True, True, True)


def test_confirming_the_strong_clash_publishes(client, museum, editor, scheduled):
    client.force_login(editor)
    client.post(reverse("calendar:event_create", args=[museum.slug]), posted(action="publish"))
    event = Event.objects.get(title="Concerto d'organo")
    response = client.post(reverse("calendar:event_publish", args=[event.pk]), {"confirm_clash": "1"})
    event.refresh_from_db()
    assert (response.status_code, event.status) == (302, Event.Status.PUBLISHED)


def test_publishing_a_draft_without_confirmation_shows_the_strong_clash_again(client, museum, editor, scheduled):
    client.force_login(editor)
    draft = factories.EventFactory(organisation=museum, draft=True, start=scheduled.start, end=scheduled.end)
    response = client.post(reverse("calendar:event_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert (response.status_code, draft.status, "Concerto del vicino" in response.content.decode()) == (
        200, Event.Status.DRAFT, True)


def test_publish_page_lists_the_strong_clashes_before_asking(client, museum, editor, scheduled):
    client.force_login(editor)
    draft = factories.EventFactory(organisation=museum, draft=True, start=scheduled.start, end=scheduled.end)
    response = client.get(reverse("calendar:event_publish", args=[draft.pk]))
    assert [row.clash.candidate.title for row in response.context["rows"]] == ["Concerto del vicino"]


def test_publish_page_of_a_published_event_goes_back_to_the_event(client, museum, editor):
    event = factories.EventFactory(organisation=museum)
    client.force_login(editor)
    response = client.get(reverse("calendar:event_publish", args=[event.pk]))
    assert response.url == reverse("calendar:event", args=[event.pk])


def test_save_draft_never_asks_even_with_a_strong_clash(client, museum, editor, scheduled):
    client.force_login(editor)
    response = client.post(reverse("calendar:event_create", args=[museum.slug]), posted())
    assert (response.status_code, Event.objects.get(title="Concerto d'organo").status) == (302, Event.Status.DRAFT)


def test_form_errors_show_on_the_fields_and_nothing_is_written(client, museum, editor):
    client.force_login(editor)
    response = client.post(reverse("calendar:event_create", args=[museum.slug]), posted(title="", end_time="13:00"))
    form = response.context["form"]
    assert (response.status_code, form.errors["title"], form.errors["end_time"], Event.objects.count()) == (
        200, ["This field is required."], ["The end cannot be before the start."], 0)


def test_service_error_shows_on_its_field(client, museum, editor):
    client.force_login(editor)
    response = client.post(reverse("calendar:event_create", args=[museum.slug]), posted(start_date="2040-01-01"))
    assert (response.context["form"].errors["start_date"], Event.objects.count()) == (
        ["The event starts more than 10 years from now."], 0)


def test_create_with_an_image_stores_it(client, museum, editor):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    client.force_login(editor)
    image = SimpleUploadedFile("poster.png", buffer.getvalue(), content_type="image/png")
    client.post(reverse("calendar:event_create", args=[museum.slug]), {**posted(), "image": image})
    assert Event.objects.get(title="Concerto d'organo").image.name.endswith(".png")


def test_new_event_form_takes_the_day_suggested_by_the_finder(client, museum, editor):
    client.force_login(editor)
    response = client.get(reverse("calendar:event_create", args=[museum.slug]), {"date": "2026-09-12"})
    assert str(response.context["form"]["start_date"].value()) == "2026-09-12"


def test_new_event_form_renders_every_part(client, museum, editor):
    client.force_login(editor)
    page = client.get(reverse("calendar:event_create", args=[museum.slug])).content.decode()
    parts = ['id="event-form"', 'id="clashes"', 'aria-live="polite"', "js-place-map", 'list="venue-options"',
             'name="clash-radius"', 'name="clash-buffer"', 'value="draft"', 'value="publish"', "calendar/event-form.js"]
    assert [part for part in parts if part not in page] == []


# --- Editing ------------------------------------------------------------------------------------------------------


def test_edit_form_shows_the_stored_event(client, museum, editor):
    event = factories.EventFactory(organisation=museum, title="Mostra", timezone="UTC", start=next_month_at(10),
                                   end=next_month_at(12), rrule="FREQ=WEEKLY;BYDAY=SA,SU")
    client.force_login(editor)
    form = client.get(reverse("calendar:event_edit", args=[event.pk])).context["form"]
    assert (form["title"].value(), form["start_time"].value().hour, form["repeat"].value(),
            form["weekdays"].value()) == ("Mostra", 10, "WEEKLY", ["SA", "SU"])


def test_edit_saves_the_changes(client, museum, editor):
    event = factories.EventFactory(organisation=museum, draft=True)
    client.force_login(editor)
    response = client.post(reverse("calendar:event_edit", args=[event.pk]), posted(title="Cambiato", action="draft"))
    event.refresh_from_db()
    assert (response.status_code, event.title, event.status) == (302, "Cambiato", Event.Status.DRAFT)


def test_edit_with_publish_saves_then_publishes_a_draft(client, museum, editor):
    event = factories.EventFactory(organisation=museum, draft=True)
    client.force_login(editor)
    client.post(reverse("calendar:event_edit", args=[event.pk]), posted(title="Pronto", action="publish"))
    event.refresh_from_db()
    assert (event.title, event.status) == ("Pronto", Event.Status.PUBLISHED)


def test_moving_a_published_event_onto_a_strong_clash_asks_before_saving(client, museum, editor, scheduled):
    event = factories.EventFactory(organisation=museum, title="Prima", start=next_month_at(8),
                                   end=next_month_at(9))
    client.force_login(editor)
    response = client.post(reverse("calendar:event_edit", args=[event.pk]), posted(title="Spostato", action="save"))
    event.refresh_from_db()
    page = response.content.decode()
    assert (response.status_code, event.title, event.start, "Concerto del vicino" in page,
            'name="title" value="Spostato"' in page, 'name="confirm_clash" value="1"' in page) == (
        200, "Prima", next_month_at(8), True, True, True)


def test_confirming_the_move_onto_a_strong_clash_saves_it(client, museum, editor, scheduled):
    event = factories.EventFactory(organisation=museum, start=next_month_at(8), end=next_month_at(9))
    client.force_login(editor)
    client.post(reverse("calendar:event_edit", args=[event.pk]),
                {**posted(title="Spostato", action="save"), "confirm_clash": "1"})
    event.refresh_from_db()
    assert (event.title, event.start) == ("Spostato", next_month_at(14))


def test_change_the_date_from_the_confirmation_shows_the_form_unsaved(client, museum, editor, scheduled):
    event = factories.EventFactory(organisation=museum, title="Prima", start=next_month_at(8), end=next_month_at(9))
    client.force_login(editor)
    response = client.post(reverse("calendar:event_edit", args=[event.pk]), {**posted(title="Spostato"), "review": "1"})
    event.refresh_from_db()
    assert (response.status_code, response.context["form"]["title"].value(), event.title) == (200, "Spostato", "Prima")


# --- Cancel and delete ----------------------------------------------------------------------------------------------


def test_cancel_page_asks_for_a_reason(client, museum, editor):
    event = factories.EventFactory(organisation=museum)
    client.force_login(editor)
    response = client.get(reverse("calendar:event_cancel", args=[event.pk]))
    assert (response.status_code, "reason" in response.context["form"].fields) == (200, True)


def test_cancel_marks_the_event_and_its_occurrences_cancelled(client, museum, editor):
    event = factories.EventFactory(organisation=museum, weekly=True)
    client.force_login(editor)
    response = client.post(reverse("calendar:event_cancel", args=[event.pk]), {"reason": "Restauri"})
    event.refresh_from_db()
    assert (response.url, event.status, event.occurrences.filter(cancelled=False).count()) == (
        reverse("calendar:org_events", args=[museum.slug]), Event.Status.CANCELLED, 0)


def test_cancel_of_a_draft_is_refused_with_the_reason(client, museum, editor):
    event = factories.EventFactory(organisation=museum, draft=True)
    client.force_login(editor)
    response = client.post(reverse("calendar:event_cancel", args=[event.pk]), {"reason": ""})
    assert (response.status_code, response.context["form"].non_field_errors()) == (
        200, ["A draft is not on the calendar: delete it instead of cancelling it."])


def test_delete_removes_a_draft(client, museum, editor):
    event = factories.EventFactory(organisation=museum, draft=True)
    client.force_login(editor)
    response = client.post(reverse("calendar:event_delete", args=[event.pk]))
    assert (response.url, Event.objects.filter(pk=event.pk).exists()) == (
        reverse("calendar:org_events", args=[museum.slug]), False)


def test_delete_of_a_published_event_is_refused_and_keeps_it(client, museum, editor):
    event = factories.EventFactory(organisation=museum)
    client.force_login(editor)
    response = client.post(reverse("calendar:event_delete", args=[event.pk]), follow=True)
    assert ("Only drafts can be deleted" in response.content.decode(), Event.objects.filter(pk=event.pk).exists()) == (
        True, True)


# --- The live clash check -----------------------------------------------------------------------------------------


def test_clash_check_says_what_is_missing_instead_of_failing(client, museum, editor):
    client.force_login(editor)
    response = client.post(reverse("calendar:clash_check"), {"organisation": museum.slug, "timezone": "UTC",
                                                              "place_kind": "own"}, **HTMX)
    assert (response.status_code, response.context["missing"]) == (200, ["the start date"])


def test_clash_check_lists_the_nearby_event_at_the_same_time_with_score_and_reasons(client, museum, editor,
                                                                                    scheduled):
    client.force_login(editor)
    response = client.post(reverse("calendar:clash_check"), clash_post(museum), **HTMX)
    row = response.context["rows"][0]
    page = response.content.decode()
    assert (row.clash.candidate.title, row.organisation, row.level, "Strong clash" in page, "score 60 out of 100" in page,
            "Overlaps by 2 h" in page, reverse("calendar:event", args=[scheduled.pk]) in page) == (
        "Concerto del vicino", "Museo vicino", "strong", True, True, True, True)


def test_clash_check_finds_the_clash_of_a_later_week_of_a_weekly_plan(client, museum, editor, neighbour):
    later = next_month_at(14) + timedelta(weeks=3)
    factories.EventFactory(organisation=neighbour, title="Tre settimane dopo", start=later,
                           end=later + timedelta(hours=2))
    client.force_login(editor)
    response = client.post(reverse("calendar:clash_check"), clash_post(museum, repeat="WEEKLY"), **HTMX)
    assert [row.clash.candidate.title for row in response.context["rows"]] == ["Tre settimane dopo"]


def test_clash_check_radius_leaves_out_events_farther_away(client, museum, editor):
    far = factories.OrganisationFactory(latitude=44.58, longitude=11.34)  # about 9.5 km north
    start = next_month_at(14)
    factories.EventFactory(organisation=far, start=start, end=start + timedelta(hours=2))
    client.force_login(editor)
    wide = client.post(reverse("calendar:clash_check"), clash_post(museum), **HTMX).context["rows"]
    narrow = client.post(reverse("calendar:clash_check"), {**clash_post(museum), "clash-radius": "5"},
                         **HTMX).context["rows"]
    assert (len(wide), len(narrow)) == (1, 0)


def test_clash_check_buffer_takes_in_events_just_after(client, museum, editor, neighbour):
    after = next_month_at(17) + timedelta(minutes=30)  # 90 minutes after the planned 14:00–16:00
    factories.EventFactory(organisation=neighbour, start=after, end=after + timedelta(hours=1))
    client.force_login(editor)
    default = client.post(reverse("calendar:clash_check"), clash_post(museum), **HTMX).context["rows"]
    wider = client.post(reverse("calendar:clash_check"), {**clash_post(museum), "clash-buffer": "120"},
                        **HTMX).context["rows"]
    assert (len(default), len(wider)) == (0, 1)


def test_clash_check_of_an_edited_event_leaves_out_the_event_itself(client, museum, editor):
    event = factories.EventFactory(organisation=museum, start=next_month_at(14), end=next_month_at(16))
    client.force_login(editor)
    response = client.post(reverse("calendar:clash_check"), {**clash_post(museum), "event": str(event.pk)}, **HTMX)
    assert (response.context["rows"], "No clash" in response.content.decode()) == ([], True)


def test_clash_check_of_a_past_date_has_nothing_to_check(client, museum, editor):
    client.force_login(editor)
    response = client.post(reverse("calendar:clash_check"), clash_post(museum, start_date="2025-01-04"), **HTMX)
    assert (response.context["upcoming"], "nothing to check" in response.content.decode()) == (0, True)


# --- The organisation chooser --------------------------------------------------------------------------------------


def test_venue_suggestions_list_located_organisations_by_name_with_their_slug(client, museum, editor):
    factories.OrganisationFactory(name="Teatro Comunale", slug="teatro-comunale", municipality="Ferrara")
    factories.OrganisationFactory(name="Teatro senza mappa", latitude=None, longitude=None)
    client.force_login(editor)
    response = client.get(reverse("calendar:event_create", args=[museum.slug]), {"venue": "teatro"},
                          HTTP_HX_TARGET="venue-options", **HTMX)
    assert response.content.decode().split("\n")[0] == '<option value="Teatro Comunale (teatro-comunale)">Ferrara</option>'
    assert [o.slug for o in response.context["organisations"]] == ["teatro-comunale"]


def test_co_organiser_suggestions_are_at_most_twenty(client, museum, editor):
    for number in range(25):
        factories.OrganisationFactory(name=f"Archivio {number:02d}")
    client.force_login(editor)
    response = client.get(reverse("calendar:event_create", args=[museum.slug]), {"co_organiser_search": "archivio"},
                          HTTP_HX_TARGET="co-organiser-options", **HTMX)
    assert len(response.context["organisations"]) == 20


# --- The organisation's events --------------------------------------------------------------------------------------


def test_events_page_lists_drafts_published_and_cancelled_with_their_badges(client, museum, editor):
    for title, traits in (("Bozza", {"draft": True}), ("Pubblicato", {}), ("Annullato", {"cancelled": True})):
        factories.EventFactory(organisation=museum, title=title, **traits)
    client.force_login(editor)
    response = client.get(reverse("calendar:org_events", args=[museum.slug]))
    shown = sorted((event.title, event.get_status_display()) for event, _repeats in response.context["rows"])
    assert shown == [("Annullato", "Cancelled"), ("Bozza", "Draft"), ("Pubblicato", "Published")]


def test_events_page_filters_by_status(client, museum, editor):
    factories.EventFactory(organisation=museum, title="Bozza", draft=True)
    factories.EventFactory(organisation=museum, title="Pubblicato")
    client.force_login(editor)
    response = client.get(reverse("calendar:org_events", args=[museum.slug]), {"status": "draft"})
    assert [event.title for event, _repeats in response.context["rows"]] == ["Bozza"]


def test_events_page_links_to_new_event_import_feeds_and_the_finder(client, museum, editor):
    client.force_login(editor)
    page = client.get(reverse("calendar:org_events", args=[museum.slug])).content.decode()
    links = [reverse("calendar:event_create", args=[museum.slug]), reverse("calendar:import", args=[museum.slug]),
             reverse("calendar:feeds", args=[museum.slug]), reverse("calendar:free_dates")]
    assert [link for link in links if f'href="{link}' not in page] == []


def test_events_page_says_how_a_recurring_event_repeats(client, museum, editor):
    factories.EventFactory(organisation=museum, rrule="FREQ=WEEKLY;COUNT=10")
    client.force_login(editor)
    response = client.get(reverse("calendar:org_events", args=[museum.slug]))
    assert response.context["rows"][0][1].startswith("Every week")


def test_events_page_queries_stay_bounded(client, museum, editor, django_assert_max_num_queries):
    network = factories.MembershipFactory(organisation=museum).network
    for number in range(30):
        factories.EventFactory(organisation=museum, weekly=number % 2 == 0, draft=number % 3 == 0,
                               shared_with=[network], materialise=False)
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("calendar:org_events", args=[museum.slug]))
    assert len(response.context["rows"]) == 24
