"""Factories of funding calls, their documents, follows and trusted publishers."""

import datetime

import factory
from django.utils import timezone

from sinergia.desk.models import CallDocument, CallFollow, CallPublisher, FundingCall
from tests.factories.platform import OrganisationFactory, UserFactory


class FundingCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingCall
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Bando per la valorizzazione del patrimonio {n}")
    funder = "Regione Emilia-Romagna"
    programme = "Art Bonus regionale"
    summary = "Contributi per **progetti** di valorizzazione dei musei."
    language = "it"
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    time_zone = "Europe/Rome"
    status = FundingCall.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    organisation = None

    class Params:
        draft = factory.Trait(status=FundingCall.Status.DRAFT, published_at=None)
        withdrawn = factory.Trait(status=FundingCall.Status.WITHDRAWN)
        closed = factory.Trait(deadline=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2)))

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class CallDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallDocument

    call = factory.SubFactory(FundingCallFactory)
    title = "Testo del bando"
    url = "https://example.org/bando.pdf"


class CallFollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallFollow

    call = factory.SubFactory(FundingCallFactory)
    user = factory.SubFactory(UserFactory)


class CallPublisherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallPublisher

    organisation = factory.SubFactory(OrganisationFactory)


def calls_world(operator, outsider) -> dict:
    """A trusted publisher with its people, an untrusted organisation's editor, an outsider and an operator."""
    from tests.factories import person

    publisher = OrganisationFactory(name="Fondazione del Monte", kind="foundation")
    CallPublisherFactory(organisation=publisher)
    other = OrganisationFactory(name="Museo della carta")
    return {"anonymous": None, "outsider": outsider,
            "org_member": person(publisher, "member", "member@monte.example.org"),
            "org_editor": person(publisher, "editor", "editor@monte.example.org"),
            "org_admin": person(publisher, "admin", "admin@monte.example.org"),
            "other_editor": person(other, "editor", "editor@carta.example.org"),
            "operator": operator, "publisher": publisher, "other": other}
