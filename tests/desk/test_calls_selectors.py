"""Reads of calls: the open calls a user is eligible for, the list's filters, the dashboard's box."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from sinergia.desk.selectors.calls import CallFilters, call_list, calls_open_eligible_for, dashboard_calls
from tests import factories
from tests.factories import CallFollowFactory, FundingCallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archivist(outsider):
    archive = factories.OrganisationFactory(name="Archivio storico", kind="archive", country="IT", region="Veneto")
    factories.OrganisationMemberFactory(user=outsider, organisation=archive, plain=True)
    return outsider


def _titles(calls) -> list[str]:
    return [call.title for call in calls]


def test_eligible_for_matches_kind_country_and_region(archivist):
    FundingCallFactory(title="Everyone")
    FundingCallFactory(title="Archives in Veneto", eligible_kinds=["archive"], eligible_countries=["IT"],
                       eligible_regions=["veneto"])
    FundingCallFactory(title="Museums", eligible_kinds=["museum"])
    FundingCallFactory(title="France", eligible_countries=["FR"])
    FundingCallFactory(title="Lombardy", eligible_regions=["Lombardia"])
    assert sorted(_titles(calls_open_eligible_for(user=archivist))) == ["Archives in Veneto", "Everyone"]


@pytest.mark.parametrize("traits", [{"closed": True}, {"draft": True}, {"withdrawn": True}],
                         ids=["closed", "draft", "withdrawn"])
def test_eligible_for_leaves_out_closed_and_unpublished(archivist, traits):
    FundingCallFactory(**traits)
    assert list(calls_open_eligible_for(user=archivist)) == []


def test_eligible_for_anonymous_is_empty(db):
    FundingCallFactory()
    assert list(calls_open_eligible_for(user=AnonymousUser())) == []


def test_call_list_filters_kind_country_region(db):
    FundingCallFactory(title="Any")
    FundingCallFactory(title="Archives IT", eligible_kinds=["archive"], eligible_countries=["IT"])
    FundingCallFactory(title="Archives FR", eligible_kinds=["archive"], eligible_countries=["FR"])
    FundingCallFactory(title="Museums", eligible_kinds=["museum"])
    calls = call_list(viewer=AnonymousUser(), filters=CallFilters(kind="archive", country="it"))
    assert sorted(_titles(calls)) == ["Any", "Archives IT"]


def test_call_list_within_days_and_text(db):
    FundingCallFactory(title="Soon", funder="Fondazione Cariplo", deadline=timezone.now() + datetime.timedelta(days=3))
    FundingCallFactory(title="Late", funder="Fondazione Cariplo", deadline=timezone.now() + datetime.timedelta(days=90))
    FundingCallFactory(title="Other soon", funder="Regione", deadline=timezone.now() + datetime.timedelta(days=3))
    calls = call_list(viewer=AnonymousUser(), filters=CallFilters(q="cariplo", within_days=7))
    assert _titles(calls) == ["Soon"]


def test_call_list_closed_latest_first(db):
    FundingCallFactory(title="Long ago", deadline=timezone.now() - datetime.timedelta(days=40))
    FundingCallFactory(title="Yesterday", deadline=timezone.now() - datetime.timedelta(days=1))
    assert _titles(call_list(viewer=AnonymousUser(), filters=CallFilters(state="closed"))) == ["Yesterday",
                                                                                               "Long ago"]


def test_dashboard_calls_top_five_eligible_and_followed(archivist, django_assert_max_num_queries):
    for days in range(7, 0, -1):
        FundingCallFactory(title=f"Call {days}", deadline=timezone.now() + datetime.timedelta(days=days))
    followed = FundingCallFactory(title="Followed", eligible_kinds=["museum"])
    CallFollowFactory(call=followed, user=archivist)
    with django_assert_max_num_queries(7):
        box = dashboard_calls(user=archivist)
    assert (_titles(box.eligible), _titles(box.followed)) == (
        ["Call 1", "Call 2", "Call 3", "Call 4", "Call 5"], ["Followed"])
