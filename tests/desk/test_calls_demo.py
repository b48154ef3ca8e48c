"""The demo calls: three open calls, published once whatever the runs."""

import pytest
from django.utils import timezone

from sinergia.core.thesaurus import thesaurus_ensure_loaded
from sinergia.desk.demo_calls import demo_calls
from sinergia.desk.models import FundingCall
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_calls_published_with_future_deadlines_once(operator):
    thesaurus_ensure_loaded()
    factories.OrganisationFactory(region="Emilia-Romagna", kind="museum")
    first = demo_calls(by=operator)
    again = demo_calls(by=operator)
    calls = FundingCall.objects.all()
    assert (len(first), again, {call.status for call in calls}, all(c.deadline > timezone.now() for c in calls),
            FundingCall.objects.get(programme="Art Bonus regionale").eligible_regions) == (
        3, [], {"published"}, True, ["Emilia-Romagna"])
