"""The calendar's filters: the frozen value, its query string, and the form that reads it from a request."""

from datetime import date

import pytest
from django.http import QueryDict

from sinergia.calendar.filters import EventFilterForm, EventFilters


def form(query: str) -> EventFilterForm:
    return EventFilterForm(QueryDict(query))


def test_to_query_of_no_filter_is_empty():
    assert EventFilters().to_query() == ""


def test_to_query_keeps_only_the_filters_that_are_set():
    filters = EventFilters(q="notte dei musei", region="Emilia-Romagna", free=True, start=date(2026, 5, 1),
                           end=date(2026, 5, 31))
    assert filters.to_query() == ("q=notte+dei+musei&region=Emilia-Romagna&free=1&start=2026-05-01"
                                  "&end=2026-05-31")


def test_to_query_round_trips_through_the_form():
    filters = EventFilters(q="jazz", region="Toscana", province="Firenze", network="rete-po",
                           organisation="museo-civico", category="performance", audience="families",
                           theme="music", free=True, start=date(2026, 6, 1), end=date(2026, 6, 30))
    assert form(filters.to_query()).filters() == filters


def test_is_empty_only_without_filters():
    assert (EventFilters().is_empty, EventFilters(free=True).is_empty) == (True, False)


def test_unbound_form_has_no_filter():
    assert EventFilterForm().filters() == EventFilters()


def test_form_strips_texts():
    assert form("q=%20jazz%20&region=%20Toscana").filters() == EventFilters(q="jazz", region="Toscana")


def test_form_reads_free_as_a_checkbox():
    assert (form("free=on").filters().free, form("free=").filters().free) == (True, False)


@pytest.mark.parametrize(("query", "field", "message"), [
    ("category=picnic", "category", "Select a valid choice. picnic is not one of the available choices."),
    ("network=rete%20po", "network", "Choose a network from the list."),
    ("audience=%3Cscript%3E", "audience", "Choose an audience from the list."),
    ("theme=a/b", "theme", "Choose a theme from the list."),
    ("organisation=museo!", "organisation", "Choose an organisation by its address name (slug)."),
    ("start=2026-13-01", "start", "Enter a valid date."),
    ("start=9999-01-01", "start", "Choose a date between the years 1900 and 2100."),
    ("start=2026-05-10&end=2026-05-01", "end", "The end date cannot be before the start date."),
    ("start=2026-01-01&end=2029-01-05", "end", "Choose a range of at most three years."),
    (f"q={'x' * 201}", "q", "Ensure this value has at most 200 characters (it has 201)."),
])
def test_form_reports_a_bad_value(query, field, message):
    bound = form(query)
    assert bound.is_valid() is False
    assert bound.errors == {field: [message]}


@pytest.mark.parametrize(("query", "expected"), [
    ("category=picnic&region=Toscana", EventFilters(region="Toscana")),
    ("start=2026-05-10&end=2026-05-01", EventFilters(start=date(2026, 5, 10))),
    ("start=2026-01-01&end=2029-01-05", EventFilters(start=date(2026, 1, 1))),
    ("network=rete%20po&free=1", EventFilters(free=True)),
])
def test_form_leaves_out_the_bad_values_and_keeps_the_others(query, expected):
    assert form(query).filters() == expected


def test_form_accepts_a_range_of_three_years():
    filters = form("start=2026-01-01&end=2028-12-31").filters()
    assert (filters.start, filters.end) == (date(2026, 1, 1), date(2028, 12, 31))
