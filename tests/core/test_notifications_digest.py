"""The daily digest: one e-mail per user gathering their pending digest notifications, never sent twice."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from sinergia.core.models import DigestDelivery, Notification
from sinergia.core.notifications import unsubscribe_read
from sinergia.core.services import digest_send_all
from sinergia.core.tasks import send_daily_digest_task
from tests.core.test_notifications_notify import CountingBackend
from tests.factories import (
    DigestDeliveryFactory,
    NotificationFactory,
    NotificationPreferenceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def user():
    return UserFactory(email="lucia@example.org", full_name="Lucia Neri", language="en")


def pending(user, kind, title, **kwargs):
    return NotificationFactory(recipient=user, kind=kind, title=title, delivery="digest", **kwargs)


def test_digest_gathers_a_user_notifications_in_one_email_grouped_by_kind_group(user):
    pending(user, "exchange.match", "A projector matches your need", url="/en/exchange/7/")
    pending(user, "networks.left", "Museo X left the network", body="They moved on.")
    pending(user, "exchange.match", "A van matches your need")

    report = digest_send_all(day=DAY)

    assert (report.users, report.notifications, report.emails, report.failed) == (1, 3, 1, 0)
    [message] = mail.outbox
    assert (message.to, message.subject) == (["lucia@example.org"], "[Sinergia] Your digest: 3 notifications")
    body = message.body
    assert body.index("== Networks ==") < body.index("Museo X left") < body.index("== Exchange ==")
    assert body.index("A projector") < body.index("A van")
    assert "  They moved on." in body
    assert "  http://127.0.0.1:8000/en/exchange/7/" in body


def test_digest_marks_the_notifications_and_records_the_delivery(user):
    notification = pending(user, "exchange.match", "A match")

    digest_send_all(day=DAY)

    notification.refresh_from_db()
    delivery = DigestDelivery.objects.get()
    assert notification.emailed_at is not None
    assert (delivery.user, delivery.day, delivery.notification_count, delivery.sent_at is not None) == (
        user, DAY, 1, True)


def test_digest_twice_the_same_day_sends_once(user):
    pending(user, "exchange.match", "A match")
    digest_send_all(day=DAY)
    pending(user, "exchange.match", "Another match")

    report = digest_send_all(day=DAY)

    assert (report.users, report.emails, len(mail.outbox)) == (0, 0, 1)
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1


def test_digest_the_next_day_sends_what_came_after(user):
    pending(user, "exchange.match", "A match")
    digest_send_all(day=DAY)
    pending(user, "exchange.match", "Another match")

    digest_send_all(day=DAY + datetime.timedelta(days=1))

    assert [m.subject for m in mail.outbox] == ["[Sinergia] Your digest: 1 notification"] * 2
    assert "Another match" in mail.outbox[1].body


def test_digest_claimed_by_a_concurrent_run_is_skipped(user):
    notification = pending(user, "exchange.match", "A match")
    DigestDeliveryFactory(user=user, day=DAY, claim="the-other-run")

    report = digest_send_all(day=DAY)

    notification.refresh_from_db()
    assert (report.users, mail.outbox, notification.emailed_at) == (0, [], None)


def test_digest_skips_immediate_off_and_already_emailed_notifications(user):
    NotificationFactory(recipient=user, delivery="immediate")
    NotificationFactory(recipient=user, delivery="off")
    pending(user, "exchange.match", "Sent yesterday", emailed_at=timezone.now())

    assert digest_send_all(day=DAY).users == 0
    assert mail.outbox == []


@pytest.mark.parametrize("kind", ["exchange.match", "*"], ids=["kind-off", "all-off"])
def test_digest_leaves_out_what_the_user_switched_off_since(user, kind):
    pending(user, "exchange.match", "A match")
    pending(user, "networks.left", "Museo X left")
    NotificationPreferenceFactory(user=user, kind=kind, mode="off")

    digest_send_all(day=DAY)

    assert [m.subject for m in mail.outbox] == (["[Sinergia] Your digest: 1 notification"] if kind != "*" else [])
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_digest_claims_but_does_not_email_an_inactive_user():
    pending(UserFactory(is_active=False), "exchange.match", "A match")

    report = digest_send_all(day=DAY)

    assert (report.users, report.emails, mail.outbox) == (1, 0, [])


def test_digest_speaks_each_user_language():
    pending(UserFactory(email="it@example.org", language="it"), "exchange.match", "Una corrispondenza")
    pending(UserFactory(email="fr@example.org", language="fr"), "exchange.match", "Une correspondance")

    digest_send_all(day=DAY)

    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "http://127.0.0.1:8000/it/notifications/preferences/" in bodies["it@example.org"]
    assert "http://127.0.0.1:8000/fr/notifications/preferences/" in bodies["fr@example.org"]


def test_digest_carries_the_unsubscribe_of_every_email(user):
    pending(user, "exchange.match", "A match")

    digest_send_all(day=DAY)

    [message] = mail.outbox
    token = message.extra_headers["List-Unsubscribe"].rsplit("/", 1)[1].removesuffix(">")
    assert unsubscribe_read(token) == (user.pk, "*")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"http://127.0.0.1:8000/en/notifications/unsubscribe/{token}/" in message.body


def test_digest_lists_at_most_a_hundred_and_counts_the_rest(user):
    NotificationFactory.create_batch(103, recipient=user, delivery="digest", kind="exchange.match")

    digest_send_all(day=DAY)

    [message] = mail.outbox
    assert message.subject == "[Sinergia] Your digest: 103 notifications"
    assert "And 3 more on your notifications page: http://127.0.0.1:8000/en/notifications/" in message.body
    assert message.body.count("\n* ") == 100


def test_digest_sends_each_batch_over_one_connection(settings):
    settings.EMAIL_BACKEND = "tests.core.test_notifications_notify.CountingBackend"
    CountingBackend.opened = 0
    for user in UserFactory.create_batch(5):
        pending(user, "exchange.match", "A match")

    report = digest_send_all(day=DAY, batch_size=2)

    assert (report.users, report.emails, CountingBackend.opened) == (5, 5, 3)


@pytest.mark.parametrize("users", [4, 40], ids=["4", "40"])
def test_digest_queries_do_not_grow_with_users(users, django_assert_num_queries):
    for user in UserFactory.create_batch(users):
        pending(user, "exchange.match", "A match")
        pending(user, "networks.left", "Museo X left")

    # The next users, the claim with its notifications, the switched-off kinds, the record, no next users.
    with django_assert_num_queries(10):
        report = digest_send_all(day=DAY)

    assert report.emails == users


def test_digest_task_reports_the_run(user):
    pending(user, "exchange.match", "A match")

    result = send_daily_digest_task.enqueue()

    assert {k: v for k, v in result.return_value.items() if k != "seconds"} == {
        "day": timezone.localdate().isoformat(), "users": 1, "notifications": 1, "emails": 1, "failed": 0}


@pytest.mark.django_db(transaction=True)
def test_digest_runs_at_once_send_each_digest_once():
    users = UserFactory.create_batch(30)
    for user in users:
        pending(user, "exchange.match", "A match")
    reports, errors = [], []

    def run():
        try:
            reports.append(digest_send_all(day=DAY, batch_size=4))
        except Exception as error:  # a thread's failure is the test's
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(user.email for user in users)
    assert sum(report.emails for report in reports) == 30
