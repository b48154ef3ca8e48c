"""Factories of notifications, e-mail preferences, digest claims and periodic runs."""

import factory

from sinergia.core.models import DigestDelivery, EmailMode, Notification, NotificationPreference, PeriodicRun
from tests.factories.platform import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "networks.admitted"
    title = factory.Sequence(lambda n: f"Notification {n}")
    body = ""
    url = ""
    delivery = EmailMode.IMMEDIATE

    class Params:
        digest = factory.Trait(delivery=EmailMode.DIGEST, kind="exchange.match")
        off = factory.Trait(delivery=EmailMode.OFF)


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    kind = "networks.admitted"
    mode = EmailMode.OFF


class DigestDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestDelivery

    user = factory.SubFactory(UserFactory)
    day = factory.Faker("date_object")
    claim = "another-run"


class PeriodicRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeriodicRun
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"job-{n}")
