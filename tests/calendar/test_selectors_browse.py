"""Reads of the browsing pages: a bounded sample per day, an event's next occurrences, the names a page is of."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from sinergia.calendar.filters import EventFilters
from sinergia.calendar.models import Occurrence
from sinergia.calendar.selectors import occurrence_list
from sinergia.calendar.selectors.browse import calendar_subject, event_upcoming, occurrences_by_day, zone_shifts
from tests import factories

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


def local(days: int, hour: int = 10) -> datetime:
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(hour), tzinfo=ROME)


def sample(per_day: int, **kwargs):
    start, end = local(0, 0), local(40, 0)
    occurrences = occurrence_list(viewer=AnonymousUser(), filters=EventFilters(), start=start, end=end)
    return occurrences_by_day(occurrences=occurrences, zone=ROME, start=start, end=end, per_day=per_day, **kwargs)


def test_sample_keeps_the_first_of_each_day_and_counts_the_others():
    organisation = factories.OrganisationFactory()
    for hour in (9, 11, 13, 15, 17):
        factories.EventFactory(organisation=organisation, title=f"Day 5 at {hour}", start=local(5, hour),
                               end=local(5, hour + 1))
    factories.EventFactory(organisation=organisation, title="Day 6", start=local(6), end=local(6, 11))

    result = sample(per_day=2)

    assert [o.event.title for o in result.occurrences] == ["Day 5 at 9", "Day 5 at 11", "Day 6"]
    assert result.unlisted == {local(5).date(): 3}


def test_sample_counts_by_the_local_day_not_the_utc_one():
    # 00:30 in Rome is still the day before in UTC.
    organisation = factories.OrganisationFactory()
    for minute in (30, 40, 50):
        factories.EventFactory(organisation=organisation, start=local(5, 0).replace(minute=minute),
                               end=local(5, 1))

    assert sample(per_day=1).unlisted == {local(5).date(): 2}


def test_sample_adds_long_occurrences_bounded():
    organisation = factories.OrganisationFactory()
    for n in range(3):
        factories.EventFactory(organisation=organisation, title=f"Exhibition {n}", start=local(-10 + n),
                               end=local(30))

    result = sample(per_day=2, long_limit=2)

    assert [o.event.title for o in result.occurrences] == ["Exhibition 0", "Exhibition 1"]
    assert result.unlisted == {}


def test_sample_takes_the_long_ones_asked_apart():
    organisation = factories.OrganisationFactory()
    factories.EventFactory(organisation=organisation, title="Exhibition", start=local(-10), end=local(30))
    factories.EventFactory(organisation=organisation, title="Talk", start=local(5), end=local(5, 12))
    start, end = local(0, 0), local(40, 0)
    short, long = (occurrence_list(viewer=AnonymousUser(), start=start, end=end, length=length)
                   for length in ("short", "long"))

    result = occurrences_by_day(occurrences=short, long_occurrences=long, zone=ROME, start=start, end=end, per_day=2)

    assert [o.event.title for o in result.occurrences] == ["Exhibition", "Talk"]


def test_sample_loads_what_the_grid_shows_without_more_queries(django_assert_num_queries):
    organisation = factories.OrganisationFactory(name="Museo")
    factories.EventFactory(organisation=organisation, title="Exhibition", start=local(-10), end=local(30),
                           all_day=True, category="exhibition", place_name="Sala grande", locality="Bologna")
    factories.EventFactory(organisation=organisation, title="Talk", start=local(5), end=local(5, 12), is_free=True,
                           cancelled=True, category="talk", place_name="Aula", locality="Imola")

    with django_assert_num_queries(3):
        shown = [(o.event.title, o.event.get_category_display(), o.event.place_name, o.event.locality,
                  o.event.is_free, o.event.timezone, o.event.organisation.name, o.event_id > 0, o.all_day,
                  o.is_long, o.cancelled, o.start < o.end) for o in sample(per_day=2).occurrences]

    assert shown == [("Exhibition", "Exhibition", "Sala grande", "Bologna", False, "Europe/Rome", "Museo", True, True,
                      True, False, True),
                     ("Talk", "Talk or conference", "Aula", "Imola", True, "Europe/Rome", "Museo", True, False, False,
                      True, True)]


def test_sample_takes_three_queries_whatever_the_month(django_assert_num_queries):
    organisation = factories.OrganisationFactory()
    for days in range(1, 31):
        factories.EventFactory(organisation=organisation, start=local(days), end=local(days, 12),
                               rrule="FREQ=DAILY;COUNT=3")

    with django_assert_num_queries(3):
        result = sample(per_day=2)
        titles = {occurrence.event.organisation.name for occurrence in result.occurrences}

    # 90 occurrences: three a day from day 3 to day 30, fewer on the first and last two days.
    assert (len(result.occurrences), sum(result.unlisted.values()), titles) == (62, 28, {organisation.name})


def test_zone_shifts_find_the_daylight_saving_switch():
    start, end = datetime(2025, 10, 20, tzinfo=UTC), datetime(2025, 11, 3, tzinfo=UTC)

    assert zone_shifts(ROME, start, end) == [(start, 7200), (datetime(2025, 10, 26, 1, tzinfo=UTC), 3600)]


def test_zone_shifts_of_a_quiet_range_are_one_offset():
    start = datetime(2025, 6, 1, tzinfo=UTC)

    assert zone_shifts(ROME, start, start + timedelta(days=42)) == [(start, 7200)]


def test_upcoming_lists_what_is_not_over_and_counts_all():
    event = factories.EventFactory(start=local(-14), end=local(-14, 12), rrule="FREQ=WEEKLY;COUNT=6")
    Occurrence.objects.filter(event=event, start=local(7)).update(cancelled=True)

    # While today's occurrence (10 to 12) is on, whatever the time the test runs.
    shown, total = event_upcoming(event=event, now=local(0, 11), limit=2)

    assert [(o.start, o.cancelled) for o in shown] == [(local(0), False), (local(7), True)]
    assert total == 4


def test_upcoming_does_not_count_again_when_all_are_shown(django_assert_num_queries):
    event = factories.EventFactory(start=local(3), end=local(3, 12), rrule="FREQ=WEEKLY;COUNT=2")

    with django_assert_num_queries(1):
        shown, total = event_upcoming(event=event, now=timezone.now(), limit=5)

    assert (len(shown), total) == (2, 2)


def test_subject_names_the_network_and_the_organisation():
    factories.NetworkFactory(name="Rete dei musei del Po", slug="po")
    factories.OrganisationFactory(name="Museo del Po", slug="museo-po")

    subject = calendar_subject(filters=EventFilters(network="po", organisation="museo-po"))

    assert (subject.network, subject.organisation) == ("Rete dei musei del Po", "Museo del Po")


def test_subject_is_empty_for_unknown_or_unlisted_names():
    factories.NetworkFactory(slug="closed", is_active=False)

    subject = calendar_subject(filters=EventFilters(network="closed", organisation="nobody"))

    assert (subject.network, subject.organisation) == ("", "")
