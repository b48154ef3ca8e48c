"""Pages of funding calls: list with filters, a call, following it, writing and publishing, trusted publishers."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergia.desk.models import CallFollow, CallPublisher, FundingCall
from tests import factories
from tests.factories import CallFollowFactory, FundingCallFactory, calls_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(operator, outsider):
    return calls_world(operator, outsider)


def _client(user=None) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def test_call_list_shows_open_published_calls_by_deadline(db):
    later = FundingCallFactory(title="Later call", deadline=timezone.now() + datetime.timedelta(days=60))
    sooner = FundingCallFactory(title="Sooner call", deadline=timezone.now() + datetime.timedelta(days=5))
    FundingCallFactory(title="Closed call", closed=True)
    FundingCallFactory(title="Draft call", draft=True)
    response = _client().get(reverse("desk:call_list"))
    assert [call.pk for call in response.context["page"].object_list] == [sooner.pk, later.pk]


def test_call_list_query_count_bounded(db, django_assert_max_num_queries, outsider):
    topic = factories.ConceptFactory(scheme="topic", notation="funding")
    factories.OrganisationMemberFactory(user=outsider)
    for _ in range(25):
        FundingCallFactory(topics=[topic], eligible_kinds=["museum"])
    client = _client(outsider)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("desk:call_list"), {"eligible": "on"})
    assert len(response.context["page"].object_list) == 20


def test_call_list_htmx_returns_the_results_partial(db):
    FundingCallFactory(title="Bando musei")
    response = _client().get(reverse("desk:call_list"), headers={"HX-Request": "true"})
    assert next(t.name for t in response.templates) == "desk/_call_results.html"


def test_call_list_alternate_link_to_the_deadlines_feed(db):
    response = _client().get(reverse("desk:call_list"), {"q": "musei"})
    assert ('<link rel="alternate" type="text/calendar" title="Deadlines of these calls as iCalendar" '
            'href="http://testserver/en/desk/calls/deadlines.ics?q=musei">') in response.content.decode()


def test_call_list_webcal_subscribe_link(db):
    assert 'href="webcal://testserver/en/desk/calls/deadlines.ics"' in _client().get(
        reverse("desk:call_list")).content.decode()


def test_call_detail_escapes_html_of_every_text(db):
    call = FundingCallFactory(title="<script>alert('t')</script>", funder="<b>F</b>", programme="<i>P</i>",
                              summary="<script>alert('s')</script> **bold**")
    html = _client().get(reverse("desk:call_detail", args=[call.pk])).content.decode()
    assert ("<script>alert" not in html, "&lt;b&gt;F&lt;/b&gt;" in html, "<strong>bold</strong>" in html) == (
        True, True, True)


def test_call_detail_draft_hidden_from_outsider(world):
    call = FundingCallFactory(draft=True, organisation=world["publisher"])
    assert _client(world["outsider"]).get(reverse("desk:call_detail", args=[call.pk])).status_code == 404


def test_call_detail_explains_eligibility_of_each_organisation(world):
    museum = factories.OrganisationFactory(name="Museo del Po", kind="museum", region="Lombardia")
    factories.OrganisationMemberFactory(organisation=museum, user=world["outsider"])
    call = FundingCallFactory(eligible_kinds=["museum"], eligible_countries=["IT"], eligible_regions=["Veneto"])
    rows = _client(world["outsider"]).get(reverse("desk:call_detail", args=[call.pk])).context["eligibility"]
    assert [(row.organisation.name, row.reasons) for row in rows] == [
        ("Museo del Po", ["Open to organisations in Veneto; Museo del Po is in Lombardia."])]


def test_call_detail_links_to_questions_form_with_call(db):
    call = FundingCallFactory()
    html = _client().get(reverse("desk:call_detail", args=[call.pk])).content.decode()
    assert f"?call={call.pk}" in html


def test_call_follow_then_unfollow(world, outsider):
    call = FundingCallFactory()
    client = _client(outsider)
    client.post(reverse("desk:call_follow", args=[call.pk]), {"follow": "1"})
    followed = CallFollow.objects.filter(call=call, user=outsider).exists()
    client.post(reverse("desk:call_follow", args=[call.pk]), {"follow": "0"})
    assert (followed, CallFollow.objects.filter(call=call, user=outsider).exists()) == (True, False)


def test_call_follow_htmx_swaps_the_button(outsider):
    call = FundingCallFactory()
    response = _client(outsider).post(reverse("desk:call_follow", args=[call.pk]), {"follow": "1"},
                                      headers={"HX-Request": "true"})
    assert "Stop following" in response.content.decode()


def test_call_follow_anonymous_redirected_to_sign_in(db):
    call = FundingCallFactory()
    response = _client().post(reverse("desk:call_follow", args=[call.pk]))
    assert (response.status_code, "/accounts/login/" in response["Location"]) == (302, True)


def test_call_followed_page_lists_followed_calls(outsider):
    follow = CallFollowFactory(user=outsider)
    page = _client(outsider).get(reverse("desk:call_followed")).context["page"]
    assert [call.pk for call in page.object_list] == [follow.call.pk]


def _form(**changes) -> dict:
    values = {"title": "Bando borghi", "funder": "Regione", "summary": "Testo", "language": "it",
              "deadline": (timezone.now() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT17:00"),
              "time_zone": "Europe/Rome", "currency": "EUR", "eligible_kinds": ["museum"]}
    return {**values, **changes}


def test_call_create_by_publisher_editor_then_publish(world):
    client = _client(world["org_editor"])
    response = client.post(reverse("desk:call_create"), _form(organisation=world["publisher"].pk))
    call = FundingCall.objects.get()
    client.post(reverse("desk:call_publish", args=[call.pk]))
    call.refresh_from_db()
    assert (response["Location"], call.status, timezone.localtime(call.deadline).hour) == (
        reverse("desk:call_edit", args=[call.pk]), "published", 17)


def test_call_create_with_past_deadline_and_bad_region_shows_errors(world):
    response = _client(world["operator"]).post(reverse("desk:call_create"), _form(
        deadline="2020-01-01T12:00", eligible_countries=["FR"], eligible_regions="Emilia-Romagna"))
    form = response.context["form"]
    assert (form.errors["eligible_regions"], FundingCall.objects.count()) == (
        ["“Emilia-Romagna” is not a region of FR."], 0)


@pytest.mark.parametrize("role", ["outsider", "org_member", "other_editor"])
def test_call_create_page_refused_to_non_publishers(world, role):
    assert _client(world[role]).get(reverse("desk:call_create")).status_code == 403


@pytest.mark.parametrize(("role", "status"), [("org_member", 404), ("other_editor", 404), ("org_editor", 200)],
                         ids=["member", "other-editor", "editor"])
def test_call_edit_page_by_role(world, role, status):
    call = FundingCallFactory(organisation=world["publisher"])
    assert _client(world[role]).get(reverse("desk:call_edit", args=[call.pk])).status_code == status


def test_call_withdraw_hides_call_from_others(world, outsider):
    call = FundingCallFactory(organisation=world["publisher"])
    _client(world["org_admin"]).post(reverse("desk:call_withdraw", args=[call.pk]), {"reason": "Annullato"})
    assert _client(outsider).get(reverse("desk:call_detail", args=[call.pk])).status_code == 404


def test_publishers_page_grants_and_revokes(world, operator):
    client = _client(operator)
    client.post(reverse("desk:call_publishers"), {"organisation": world["other"].slug})
    publisher = CallPublisher.objects.get(organisation=world["other"])
    client.post(reverse("desk:call_publisher_revoke", args=[publisher.pk]))
    assert CallPublisher.objects.filter(organisation=world["other"]).exists() is False


def test_publishers_page_refused_to_organisation_admin(world):
    response = _client(world["org_admin"]).get(reverse("desk:call_publishers"))
    assert (response.status_code, "login" in response["Location"]) == (302, True)
