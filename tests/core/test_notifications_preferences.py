"""Preferences: the service that stores them and the page that shows them, for the signed-in user only."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from sinergia.core.models import AuditEntry, NotificationPreference
from sinergia.core.notifications import KINDS, preferences_of
from sinergia.core.notifications.forms import field_name
from sinergia.core.services import notification_preferences_set
from tests.factories import NotificationPreferenceFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/en/notifications/preferences/"


@pytest.fixture
def user():
    return UserFactory(email="lucia@example.org")


def stored(user):
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))


def test_preferences_of_a_new_user_are_the_defaults(user):
    preferences = preferences_of(user=user)

    assert preferences.all_off is False
    assert preferences.modes == {kind.key: kind.default for kind in KINDS}


def test_preferences_set_stores_only_what_differs_from_the_default(user):
    NotificationPreferenceFactory(user=user, kind="exchange.match", mode="off")

    preferences = notification_preferences_set(
        user=user, modes={"exchange.match": "digest", "networks.admitted": "off", "desk.answer": "immediate"})

    assert stored(user) == {"networks.admitted": "off"}
    assert (preferences.modes["exchange.match"], preferences.modes["networks.admitted"]) == ("digest", "off")


def test_preferences_set_all_off_and_back(user):
    notification_preferences_set(user=user, modes={}, all_off=True)
    assert (stored(user), preferences_of(user=user).all_off) == ({"*": "off"}, True)

    notification_preferences_set(user=user, modes={}, all_off=False)
    assert stored(user) == {}


def test_preferences_set_leaves_all_off_alone_when_not_given(user):
    NotificationPreferenceFactory(user=user, kind="*", mode="off")

    notification_preferences_set(user=user, modes={"exchange.match": "off"})

    assert stored(user) == {"*": "off", "exchange.match": "off"}


@pytest.mark.parametrize("modes", [{"exchange.unknown": "off"}, {"exchange.match": "weekly"}, {"*": "off"}],
                         ids=["unknown-kind", "unknown-mode", "all-as-a-kind"])
def test_preferences_set_refuses_unknown_kinds_and_modes(user, modes):
    with pytest.raises(ValidationError) as error:
        notification_preferences_set(user=user, modes=modes)

    assert error.value.messages == [f"Unknown kinds or modes: {next(iter(modes))}."]
    assert stored(user) == {}


def test_preferences_set_is_audited(user):
    notification_preferences_set(user=user, modes={"exchange.match": "off"}, all_off=False)

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target, entry.data) == (
        user, "core.notification_preferences_set", user, {"modes": {"exchange.match": "off"}, "all_off": False})


def test_preferences_page_redirects_anonymous_to_sign_in(client):
    response = client.get(URL)

    assert (response.status_code, response["Location"]) == (302, f"/en/accounts/login/?next={URL}")


def test_preferences_page_shows_groups_as_fieldsets_and_the_current_modes(client, user, django_assert_max_num_queries):
    NotificationPreferenceFactory(user=user, kind="exchange.match", mode="off")
    client.force_login(user)

    with django_assert_max_num_queries(6):
        response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == 6
    assert '<legend class="h4">Exchange</legend>' in html
    assert 'value="off" id="id_mode_exchange__match_2" required checked>' in html
    assert '<span class="visually-hidden">Off: An offer or need matches yours</span>' in html


def form_data(**changes):
    data = {field_name(kind.key): kind.default for kind in KINDS}
    data.update({field_name(kind): mode for kind, mode in changes.items()})
    return data


def test_preferences_page_saves_the_modes_and_all_off(client, user):
    client.force_login(user)

    response = client.post(URL, {**form_data(**{"exchange.match": "off", "networks.admitted": "digest"}),
                                 "all_off": "on"})

    assert (response.status_code, response["Location"]) == (302, URL)
    assert stored(user) == {"exchange.match": "off", "networks.admitted": "digest", "*": "off"}


def test_preferences_page_with_a_missing_choice_says_so(client, user):
    client.force_login(user)
    data = form_data()
    del data[field_name("desk.answer")]

    response = client.post(URL, data)

    assert response.status_code == 200
    assert "Choose how to receive this kind of notification." in response.content.decode()
    assert stored(user) == {}


def test_preferences_page_changes_only_the_signed_in_user(client, user):
    other = UserFactory(email="other@example.org")
    client.force_login(user)

    client.post(URL, form_data(**{"exchange.match": "off"}))

    assert (stored(user), stored(other)) == ({"exchange.match": "off"}, {})


def test_notifications_page_links_to_the_preferences(user):
    client = Client()
    client.force_login(user)

    assert f'href="{URL}"' in client.get("/en/notifications/").content.decode()
