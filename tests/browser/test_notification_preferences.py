"""E-mail preferences in a browser: a member switches a kind off and every e-mail off, from the notifications page;
the page and the unsubscribe page pass axe on a desktop and a phone."""

import pytest
from playwright.sync_api import expect

from sinergia.core.models import NotificationPreference
from sinergia.core.notifications import unsubscribe_token
from tests.browser.conftest import DESKTOP, MOBILE, assert_accessible, verified_user
from tests.factories import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def member():
    user = verified_user(email="lucia.neri@ecomuseo.example.org", full_name="Lucia Neri")
    NotificationFactory(recipient=user, title="Museo della bonifica has been admitted")
    return user


def stored(user):
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))


def test_member_chooses_e_mails_from_the_notifications_page(open_page, member, browser_errors):
    page = open_page(member)
    page.goto("/en/notifications/")
    page.get_by_role("link", name="Choose which notifications you receive by e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail preferences")

    exchange = page.get_by_role("group", name="Exchange")
    exchange.get_by_label("Off: An offer or need matches yours").check(force=True)
    page.get_by_label("Immediately: An organisation left your network").check(force=True)
    page.get_by_role("button", name="Save preferences").click()

    expect(page.get_by_role("status")).to_contain_text("Your e-mail preferences are saved.")
    expect(page.get_by_label("Off: An offer or need matches yours")).to_be_checked()
    assert stored(member) == {"exchange.match": "off", "networks.left": "immediate"}

    page.get_by_label("Switch all e-mail off").check(force=True)
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_label("Switch all e-mail off")).to_be_checked()
    assert stored(member)["*"] == "off"
    assert browser_errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_preferences_and_unsubscribe_pages_are_accessible(open_page, member, viewport):
    page = open_page(member, viewport=viewport)
    page.goto("/en/notifications/preferences/")
    assert_accessible(page)

    page.goto(f"/en/notifications/unsubscribe/{unsubscribe_token(user_id=member.pk, kind='exchange.match')}/")
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("status")).to_contain_text("Done: no more e-mail about")
    assert_accessible(page)
