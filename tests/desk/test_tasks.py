"""Deadline reminders: 14 and 3 days before, once per follower, step and deadline, whatever the retries."""

import datetime

import pytest
from django.utils import timezone

from sinergia.core.models import Notification
from sinergia.desk.models import CallReminder
from sinergia.desk.services.calls_reminders import call_reminders_send, reminder_step
from sinergia.desk.tasks import send_deadline_reminders_task
from tests.factories import CallFollowFactory, FundingCallFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _followed(days_left: float, **kwargs):
    call = FundingCallFactory(deadline=timezone.now() + days_left * DAY, **kwargs)
    follow = CallFollowFactory(call=call, user=UserFactory(language="en"))
    return call, follow.user


def _reminders(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user, kind="desk.call_reminder").values_list("kind", "url"))


def test_task_sends_14_day_reminder(db):
    call, user = _followed(10)
    assert send_deadline_reminders_task.call() == 1
    assert (_reminders(user), list(CallReminder.objects.values_list("days_before", flat=True))) == (
        [("desk.call_reminder", f"/en/desk/calls/{call.pk}/")], [14])


def test_task_retry_sends_nothing_more(db):
    _call, user = _followed(10)
    send_deadline_reminders_task.call()
    assert (send_deadline_reminders_task.call(), len(_reminders(user))) == (0, 1)


def test_task_far_deadline_sends_nothing(db):
    _call, user = _followed(20)
    assert (send_deadline_reminders_task.call(), _reminders(user)) == (0, [])


def test_task_within_3_days_sends_only_the_3_day_reminder(db):
    _call, _user = _followed(2)
    send_deadline_reminders_task.call()
    assert list(CallReminder.objects.values_list("days_before", flat=True)) == [3]


def test_task_after_14_day_reminder_sends_3_day_one_later(db):
    _call, _user = _followed(10)
    call_reminders_send(now=timezone.now())
    call_reminders_send(now=timezone.now() + 8 * DAY)
    assert sorted(CallReminder.objects.values_list("days_before", flat=True)) == [3, 14]


def test_task_moved_deadline_reminds_again(db):
    call, user = _followed(10)
    send_deadline_reminders_task.call()
    call.deadline = call.deadline + DAY
    call.save()
    assert (send_deadline_reminders_task.call(), len(_reminders(user))) == (1, 2)


@pytest.mark.parametrize("traits", [{"withdrawn": True}, {"draft": True}, {"closed": True}],
                         ids=["withdrawn", "draft", "closed"])
def test_task_unpublished_or_closed_call_reminds_nobody(db, traits):
    _call, user = _followed(-2 if "closed" in traits else 5, **{k: v for k, v in traits.items() if k != "closed"})
    assert (send_deadline_reminders_task.call(), _reminders(user)) == (0, [])


def test_task_reminder_already_claimed_by_another_run_not_sent(db):
    call, user = _followed(5)
    CallReminder.objects.create(call=call, user=user, days_before=14, deadline=call.deadline)
    assert (send_deadline_reminders_task.call(), _reminders(user)) == (0, [])


def test_task_inactive_follower_not_reminded(db):
    _call, user = _followed(5)
    user.is_active = False
    user.save()
    assert send_deadline_reminders_task.call() == 0


def test_task_reminder_title_in_follower_language(db):
    _call, user = _followed(10.5, title="Bando borghi")
    user.language = "it"
    user.save()
    send_deadline_reminders_task.call()
    assert "Bando borghi" in Notification.objects.get(recipient=user).title


@pytest.mark.parametrize(("days", "step"), [(20, None), (14, 14), (13.9, 14), (3, 3), (0.5, 3), (-1, None)],
                         ids=["20", "14", "13.9", "3", "half", "past"])
def test_reminder_step_by_days_left(days, step):
    now = timezone.now()
    assert reminder_step(now + days * DAY, now) == step
