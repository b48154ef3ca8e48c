"""The demo exchange and desk: a freelance photographer near Bologna, offers and needs, experts who answer
questions, and funding calls with deadlines ahead."""

from collections.abc import Callable

from sinergia.accounts.models import User
from sinergia.desk.demo_calls import demo_calls
from sinergia.desk.demo_questions import demo_questions
from sinergia.directory.models import Organisation
from sinergia.directory.services import organisation_create
from sinergia.exchange.demo import demo_exchange

STUDIO_OFFSET = 0.1  # degrees north and east: about 14 km in Italy


def build_demo_exchange_desk(*, operator: User, bologna: list[Organisation], admins: list[User],
                             new_user: Callable[[str, str], User], say: Callable[[str], None] = print) -> None:
    """A photographer's studio about 15 km from the first Bologna museum (whose need for a photographer she can
    answer), the demo listings, questions answered by two experts, calls."""
    museum = bologna[0]
    photographer = new_user("fotografa", "Giulia Neri, fotografa")
    studio = organisation_create(by=photographer, name="Giulia Neri Fotografia", kind=Organisation.Kind.FREELANCE,
                                 country=museum.country, region=museum.region, province=museum.province,
                                 municipality=museum.municipality, latitude=(museum.latitude or 44.49) + STUDIO_OFFSET,
                                 longitude=(museum.longitude or 11.34) + STUDIO_OFFSET, language="it")
    listings = demo_exchange(organisations=[*bologna, studio], by=operator)
    experts = [new_user("esperta.diritti", "Esperta di diritti e SIAE"), new_user("esperto.bandi", "Esperto di bandi")]
    questions = demo_questions(organisations=bologna, users=[operator, *admins, *experts])
    calls = demo_calls(by=operator)
    say(f"Exchange and desk: {len(listings)} offers and needs, {len(questions)} questions, {len(calls)} funding "
        "calls.")
