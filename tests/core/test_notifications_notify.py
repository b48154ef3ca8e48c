"""notify(): the in-app notification always, the e-mail at once, in the digest or never, as each recipient chose."""

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from sinergia.core.models import EmailMode, Notification
from sinergia.core.notifications import unsubscribe_read
from sinergia.core.services import notification_preferences_set, notifications_email, notify, notify_in_language
from tests.factories import NotificationFactory, NotificationPreferenceFactory, UserFactory

pytestmark = pytest.mark.django_db


def send(users, kind="networks.admitted", **kwargs):
    return notify(recipients=users, kind=kind, title=kwargs.pop("title", "Admitted"), **kwargs)


@pytest.fixture
def user():
    return UserFactory(email="lucia@example.org", full_name="Lucia Neri", language="en")


def test_notify_immediate_kind_emails_at_once(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = send([user], url="/en/networks/")

    notification.refresh_from_db()
    assert (notification.delivery, notification.emailed_at is not None) == (EmailMode.IMMEDIATE, True)
    assert [(m.to, m.subject) for m in mail.outbox] == [(["lucia@example.org"], "[Sinergia] Admitted")]


@pytest.mark.parametrize(("mode", "kind"), [("digest", "networks.admitted"), ("off", "networks.admitted"),
                                            ("digest", "exchange.match")], ids=["chosen-digest", "off", "default"])
def test_notify_not_immediate_keeps_the_notification_and_sends_nothing(user, mode, kind,
                                                                        django_capture_on_commit_callbacks):
    if kind == "networks.admitted":
        NotificationPreferenceFactory(user=user, kind=kind, mode=mode)
    with django_capture_on_commit_callbacks(execute=True):
        send([user], kind=kind)

    notification = Notification.objects.get(recipient=user)
    assert (notification.delivery, notification.emailed_at, mail.outbox) == (mode, None, [])


def test_notify_all_off_wins_over_a_kind_chosen_immediate(user, django_capture_on_commit_callbacks):
    NotificationPreferenceFactory(user=user, kind="networks.admitted", mode="immediate")
    NotificationPreferenceFactory(user=user, kind="*", mode="off")
    with django_capture_on_commit_callbacks(execute=True):
        send([user])

    assert (Notification.objects.get(recipient=user).delivery, mail.outbox) == (EmailMode.OFF, [])


def test_notify_chosen_immediate_overrides_a_digest_default(user, django_capture_on_commit_callbacks):
    NotificationPreferenceFactory(user=user, kind="exchange.match", mode="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        send([user], kind="exchange.match", title="A match")

    assert [m.subject for m in mail.outbox] == ["[Sinergia] A match"]


def test_notify_preferences_of_one_user_do_not_touch_another(user, django_capture_on_commit_callbacks):
    other = UserFactory(email="other@example.org")
    NotificationPreferenceFactory(user=other, kind="networks.admitted", mode="off")
    with django_capture_on_commit_callbacks(execute=True):
        send([user, other])

    assert [m.to for m in mail.outbox] == [["lucia@example.org"]]


@pytest.mark.parametrize("count", [3, 40], ids=["3", "40"])
def test_notify_queries_do_not_grow_with_recipients(count, django_assert_num_queries):
    users = UserFactory.create_batch(count)
    NotificationPreferenceFactory(user=users[0], mode="digest")

    with django_assert_num_queries(2):
        notifications = send(users)

    assert len(notifications) == count


def test_notify_the_same_users_again_reads_their_preferences_once(django_assert_num_queries):
    users = UserFactory.create_batch(5)
    send(users)

    with django_assert_num_queries(1):
        send(users, title="Again")


def test_notify_after_a_preference_change_on_that_user_follows_it(user, django_capture_on_commit_callbacks):
    send([user])
    notification_preferences_set(user=user, modes={"networks.admitted": "off"})

    assert send([user])[0].delivery == EmailMode.OFF


def test_notify_deduplicates_recipients_and_skips_none(user):
    assert len(send([user, user, None])) == 1


def test_immediate_email_carries_the_unsubscribe_link_and_headers(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send([user], body="Sign the charter.", url="/en/networks/po/charter/")

    [message] = mail.outbox
    one_click = message.extra_headers["List-Unsubscribe"]
    token = one_click.removeprefix("<http://127.0.0.1:8000/api/notifications/unsubscribe/").removesuffix(">")
    assert unsubscribe_read(token) == (user.pk, "networks.admitted")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "http://127.0.0.1:8000/en/networks/po/charter/" in message.body
    assert f"http://127.0.0.1:8000/en/notifications/unsubscribe/{token}/" in message.body
    assert "http://127.0.0.1:8000/en/notifications/preferences/" in message.body


def test_immediate_email_speaks_the_recipient_language(django_capture_on_commit_callbacks):
    italian = UserFactory(email="it@example.org", language="it")
    with django_capture_on_commit_callbacks(execute=True):
        notify_in_language(users=[italian], kind="networks.admitted", title=lambda: "Ammessi")

    [message] = mail.outbox
    assert "/it/notifications/unsubscribe/" in message.body
    assert "/it/notifications/preferences/" in message.body


def test_notifications_email_twice_sends_once(user):
    notification = NotificationFactory(recipient=user)

    assert (notifications_email(ids=[notification.pk]), notifications_email(ids=[notification.pk])) == (1, 0)
    assert len(mail.outbox) == 1


def test_notifications_email_skips_digest_and_off_ones(user):
    notes = [NotificationFactory(recipient=user, digest=True), NotificationFactory(recipient=user, off=True)]

    assert notifications_email(ids=[n.pk for n in notes]) == 0
    assert list(Notification.objects.filter(emailed_at__isnull=False)) == []


def test_notifications_email_skips_inactive_users_but_claims_them():
    notification = NotificationFactory(recipient__is_active=False)

    assert notifications_email(ids=[notification.pk]) == 0
    notification.refresh_from_db()
    assert (mail.outbox, notification.emailed_at is not None) == ([], True)


def test_notifications_email_sends_over_one_connection(settings):
    settings.EMAIL_BACKEND = "tests.core.test_notifications_notify.CountingBackend"
    CountingBackend.opened = 0
    notes = NotificationFactory.create_batch(5)

    assert notifications_email(ids=[n.pk for n in notes]) == 5
    assert CountingBackend.opened == 1


class CountingBackend(LocmemBackend):
    """The locmem backend, counting the connections opened."""

    opened = 0

    def open(self):
        type(self).opened += 1
        return super().open()
