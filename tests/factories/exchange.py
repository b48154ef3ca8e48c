"""Factories of the exchange: listings, threads, messages, match notices, partnerships."""

import datetime

import factory
from django.utils import timezone

from sinergia.core.models import Concept
from sinergia.exchange.models import Listing, ListingCategory, MatchNotice, Message, Partnership, Thread
from tests.factories.platform import ConceptFactory, OrganisationFactory, UserFactory


def service(notation: str = "service-photo-video") -> Concept:
    """A service category of the thesaurus (created as the shipped one would be)."""
    return ConceptFactory(notation=notation, scheme=Concept.Scheme.SERVICE,
                          labels={"en": notation.removeprefix("service-").replace("-", " ").capitalize()})


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Listing
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    side = Listing.Side.NEED
    kind = Listing.Kind.SERVICE
    title = factory.Sequence(lambda n: f"Photographer for the collection {n}")
    description = "Photos of 200 objects for the online catalogue."
    area = Listing.Area.RADIUS
    latitude = factory.LazyAttribute(lambda o: o.organisation.latitude)
    longitude = factory.LazyAttribute(lambda o: o.organisation.longitude)
    radius_km = 40
    place_region = factory.LazyAttribute(lambda o: o.organisation.region)
    place_country = factory.LazyAttribute(lambda o: o.organisation.country)
    languages = factory.LazyFunction(lambda: ["it"])
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))

    class Params:
        offer = factory.Trait(side=Listing.Side.OFFER, title=factory.Sequence(lambda n: f"Museum photography {n}"))
        remote = factory.Trait(area=Listing.Area.REMOTE, radius_km=None)
        networks_only = factory.Trait(visibility=Listing.Visibility.NETWORKS)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if not create:
            return
        for concept in extracted if extracted is not None else [service()]:
            ListingCategory.objects.create(listing=self, concept=concept)


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    listing = factory.SubFactory(ListingFactory)
    counterpart = factory.SubFactory(OrganisationFactory)
    started_by = factory.SubFactory(UserFactory)
    last_message_at = factory.LazyFunction(timezone.now)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.thread.counterpart)
    body = "Hello, we can help."


class MatchNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchNotice

    need = factory.SubFactory(ListingFactory)
    offer = factory.SubFactory(ListingFactory, offer=True)
    score = 80


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    listing = factory.SubFactory(ListingFactory, status=Listing.Status.FULFILLED)
    organisation = factory.LazyAttribute(lambda o: o.listing.organisation)
    partner = factory.SubFactory(OrganisationFactory)
    started_on = factory.LazyFunction(timezone.localdate)
