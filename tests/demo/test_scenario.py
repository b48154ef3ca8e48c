"""The demo: real open data when it is there, the seeded generator otherwise, networks built through services."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from sinergia.accounts.models import User
from sinergia.calendar.models import Event, Occurrence
from sinergia.core.models import AuditEntry
from sinergia.demo.scenario import OPERATOR_EMAIL, demo_load
from sinergia.directory.models import Organisation
from sinergia.networks.models import CharterSignature, Membership, Network

MUSEUMS = Path(settings.SHARED_DATA_DIR) / "museums"


def quiet(_message: str) -> None:
    """Swallow the demo's progress lines."""


@pytest.mark.django_db
@pytest.mark.skipif(not MUSEUMS.is_dir(), reason=f"the shared data folder {MUSEUMS} is absent")
def test_demo_loads_the_registers_and_three_networks():
    result = demo_load(password="demo-password-1", say=quiet)
    bologna = Network.objects.get(slug="rete-dei-musei-di-bologna")
    world = Network.objects.get(slug="world-ecomuseum-platform")
    assert (result.source, result.organisations) == ("open data", 5_757 + 120 + 2)
    assert sorted(result.networks) == ["Rete dei musei di Bologna", "Rete italiana degli ecomusei",
                                       "World Ecomuseum Platform"]
    assert sorted(bologna.memberships.values_list("status", flat=True)) == ["admitted"] * 3 + ["applied"]
    assert bologna.charter_versions.count() == 2
    assert world.memberships.get(member_network__slug="rete-italiana-degli-ecomusei").status == "admitted"


@pytest.mark.django_db
@pytest.mark.skipif(not MUSEUMS.is_dir(), reason=f"the shared data folder {MUSEUMS} is absent")
def test_demo_accounts_can_sign_in(client):
    demo_load(password="demo-password-1", say=quiet)
    assert client.login(email=OPERATOR_EMAIL, password="demo-password-1")
    assert client.get("/en/moderation/").status_code == 200


@pytest.mark.django_db
@pytest.mark.skipif(not MUSEUMS.is_dir(), reason=f"the shared data folder {MUSEUMS} is absent")
def test_demo_loads_once():
    demo_load(password="demo-password-1", say=quiet)
    counts = (Organisation.objects.count(), Membership.objects.count(), CharterSignature.objects.count())
    again = demo_load(password="demo-password-1", say=quiet)
    assert again.already_loaded is True
    assert (Organisation.objects.count(), Membership.objects.count(), CharterSignature.objects.count()) == counts


@pytest.mark.django_db
def test_demo_without_shared_data_uses_the_generator_and_says_so(tmp_path):
    lines: list[str] = []
    result = demo_load(password="demo-password-1", data_dir=tmp_path / "absent", say=lines.append)
    assert result.source == "generated"
    assert "seeded generator" in lines[0]
    assert Organisation.objects.filter(source="bench").count() == 500
    assert User.objects.get(email=OPERATOR_EMAIL).is_staff is True
    assert Network.objects.filter(name="Rete dei musei di Bologna").exists()


@pytest.mark.django_db
def test_load_demo_command_prints_the_accounts(tmp_path, capsys):
    call_command("load_demo", "--password", "demo-password-1", "--data-dir", str(tmp_path / "absent"))
    output = capsys.readouterr().out
    assert "Demo accounts (password: demo-password-1):" in output
    assert OPERATOR_EMAIL in output


@pytest.mark.django_db
@pytest.mark.skipif(not MUSEUMS.is_dir(), reason=f"the shared data folder {MUSEUMS} is absent")
def test_demo_fills_the_calendar_of_the_coming_weeks_through_the_services():
    demo_load(password="demo-password-1", say=quiet)
    published = Event.objects.filter(status=Event.Status.PUBLISHED)
    shared = published.filter(networks__slug="rete-dei-musei-di-bologna").distinct()
    assert published.count() == Event.objects.count() == 41
    assert shared.count() >= 3
    assert Occurrence.objects.filter(start__gte=timezone.now()).count() == Occurrence.objects.count()
    assert Occurrence.objects.count() > published.count()
    assert AuditEntry.objects.filter(action="calendar.event_created", data__status="published").count() == 41


@pytest.mark.django_db
def test_demo_exchange_matches_a_museum_need_with_the_photographer_and_the_desk_answers(tmp_path):
    from sinergia.desk.models import FundingCall, Question
    from sinergia.exchange.models import Listing
    from sinergia.exchange.selectors import listing_matches

    demo_load(password="demo-password-1", data_dir=tmp_path, say=quiet)
    need = Listing.objects.get(title="Photographer for our collection")
    matches = listing_matches(listing=need, viewer=User.objects.get(email=OPERATOR_EMAIL))
    assert "Giulia Neri Fotografia" in [match.listing.organisation.name for match in matches]
    assert Question.objects.filter(status="resolved", visibility="public").exists()
    assert FundingCall.objects.filter(status="published", deadline__gt=timezone.now()).count() == 3
