"""Factories of the directory, networks, calendar and library (the rest of the package holds the other domains)."""

import datetime

import factory
from django.utils.text import slugify

from sinergia.accounts.models import User
from sinergia.calendar.models import CalendarFeed, Event, FeedToken
from sinergia.core.models import Concept
from sinergia.directory.models import Claim, Invitation, Organisation, OrganisationMember
from sinergia.library.models import Creator, Resource, ResourceText
from sinergia.networks.models import CharterSignature, CharterVersion, Membership, Network


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    language = "en"
    password = factory.django.Password("correct horse battery staple")


class ConceptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concept
        django_get_or_create = ("notation",)

    scheme = Concept.Scheme.THEME
    notation = factory.Sequence(lambda n: f"concept-{n}")
    labels = factory.LazyAttribute(lambda o: {"en": o.notation.replace("-", " ").title(), "it": o.notation})


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Museo civico {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organisation.Kind.MUSEUM
    municipality = "Bologna"
    province = "Bologna"
    region = "Emilia-Romagna"
    country = "IT"
    latitude = 44.4949
    longitude = 11.3426


class OrganisationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMember

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationMember.Role.ADMIN

    class Params:
        editor = factory.Trait(role=OrganisationMember.Role.EDITOR)
        plain = factory.Trait(role=OrganisationMember.Role.MEMBER)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = OrganisationMember.Role.EDITOR
    expires_at = factory.Faker("future_datetime", end_date="+14d", tzinfo=datetime.UTC)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    message = "I am the director of this museum; call the front desk to verify."


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Rete dei musei {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Network.Kind.THEMATIC
    scale = Network.Scale.REGIONAL
    governance = Network.Governance.MOU
    objectives = "Share a calendar and a ticket."
    founded_by = factory.SubFactory(OrganisationFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ADMITTED
    motivation = "We want to take part in the shared programme."

    class Params:
        applied = factory.Trait(status=Membership.Status.APPLIED)
        coordinator = factory.Trait(role=Membership.Role.COORDINATOR)


class CharterVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CharterVersion

    network = factory.SubFactory(NetworkFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "## Charter\n\nMembers share their calendars."


class CharterSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CharterSignature

    membership = factory.SubFactory(MembershipFactory)
    charter = factory.SubFactory(CharterVersionFactory, network=factory.SelfAttribute("..membership.network"))
    signed_by = factory.SubFactory(UserFactory)
    signatory_name = factory.LazyAttribute(lambda o: o.signed_by.display_name)


class EventFactory(factory.django.DjangoModelFactory):
    """A published public event next month at its organisation's place; occurrences materialised."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory, latitude=44.4949, longitude=11.3426, region="Emilia-Romagna",
                                      province="Bologna")
    title = factory.Sequence(lambda n: f"Visita guidata {n}")
    description = "A walk through the **collections**."
    language = "it"
    category = Event.Category.GUIDED_TOUR
    venue = factory.SelfAttribute("organisation")
    place_name = factory.SelfAttribute("organisation.name")
    locality = factory.SelfAttribute("organisation.locality")
    province = factory.SelfAttribute("organisation.province")
    region = factory.SelfAttribute("organisation.region")
    country = "IT"
    latitude = factory.SelfAttribute("organisation.latitude")
    longitude = factory.SelfAttribute("organisation.longitude")
    start = factory.LazyFunction(lambda: (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)).replace(
        hour=14, minute=0, second=0, microsecond=0))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    timezone = "Europe/Rome"
    status = Event.Status.PUBLISHED
    visibility = Event.Visibility.PUBLIC

    class Params:
        draft = factory.Trait(status=Event.Status.DRAFT)
        cancelled = factory.Trait(status=Event.Status.CANCELLED)
        networks_only = factory.Trait(visibility=Event.Visibility.NETWORKS)
        weekly = factory.Trait(rrule="FREQ=WEEKLY;COUNT=10")

    @factory.post_generation
    def shared_with(self, create, networks, **kwargs):
        if create and networks:
            self.networks.set(networks)

    @factory.post_generation
    def materialise(self, create, value, **kwargs):
        """Occurrences are written by the same service the application uses (pass materialise=False to skip)."""
        if create and value is not False:
            from sinergia.calendar.services import occurrences_refresh

            occurrences_refresh(event=self)


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    organisation = factory.SubFactory(OrganisationFactory)
    url = factory.Sequence(lambda n: f"https://calendar.example.org/{n}.ics")
    name = "Our calendar"


class FeedTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedToken

    user = factory.SubFactory(UserFactory)


# --- Library ------------------------------------------------------------------------------------------------------


class ResourceFactory(factory.django.DjangoModelFactory):
    """An approved public Italian report with one author, indexed for search (pass index=False to skip)."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Resource.Kind.REPORT
    title = factory.Sequence(lambda n: f"Rapporto sui musei {n}")
    abstract = "Come i piccoli musei lavorano in rete."
    language = "it"
    year = 2024
    visibility = Resource.Visibility.PUBLIC
    moderation = Resource.Moderation.APPROVED
    public_since = factory.LazyAttribute(lambda o: datetime.datetime.now(datetime.UTC) if (
        o.visibility == Resource.Visibility.PUBLIC and o.moderation == Resource.Moderation.APPROVED) else None)

    class Params:
        pending = factory.Trait(moderation=Resource.Moderation.PENDING)
        rejected = factory.Trait(moderation=Resource.Moderation.REJECTED)
        networks_only = factory.Trait(visibility=Resource.Visibility.NETWORKS)
        private = factory.Trait(visibility=Resource.Visibility.PRIVATE)

    @factory.post_generation
    def topics(self, create, concepts, **kwargs):
        if create and concepts:
            self.topics.set(concepts)

    @factory.post_generation
    def shared_with(self, create, networks, **kwargs):
        if create and networks:
            self.networks.set(networks)

    @factory.post_generation
    def authors(self, create, names, **kwargs):
        """Creators as ("Family", "Given") pairs; one default author."""
        if create:
            for position, (family, given) in enumerate(names or [("Rossi", "Maria")], 1):
                Creator.objects.create(resource=self, position=position, family=family, given=given)

    @factory.post_generation
    def index(self, create, value, **kwargs):
        """Indexed by the same function the services use (pass index=False to skip)."""
        if create and value is not False:
            from sinergia.library.search import index_resources

            index_resources(ids=[self.pk])


class ResourceTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceText

    resource = factory.SubFactory(ResourceFactory)
    body = "Testo estratto dal documento."
    pages = 1


def person(organisation: Organisation, role: str, email: str) -> User:
    """A user (English-speaking) with the given role in the organisation."""
    user = UserFactory(email=email, language="en")
    OrganisationMemberFactory(organisation=organisation, user=user, role=role)
    return user


def trusted_person(organisation: Organisation, role: str, email: str) -> User:
    """A person whose account is old enough for their library contributions to skip moderation."""
    user = person(organisation, role, email)
    user.date_joined = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=365)
    user.save(update_fields=["date_joined"])
    return user


def persona_world(operator: User, outsider: User) -> dict:
    """A museum shared with a network, and one user of each kind the permission matrices test: anonymous, outsider,
    the museum's member, editor and admin, a member and a coordinator of the network, an operator."""
    from django.contrib.auth.models import AnonymousUser

    from sinergia.networks.models import Membership

    museum = OrganisationFactory(name="Museo civico")
    network = NetworkFactory(name="Rete dei musei")
    member_org = OrganisationFactory(name="Museo membro")
    MembershipFactory(network=network, organisation=member_org)
    coordinating = OrganisationFactory(name="Capofila")
    MembershipFactory(network=network, organisation=coordinating, role=Membership.Role.COORDINATOR)
    return {
        "museum": museum, "network": network,
        "anonymous": AnonymousUser(), "outsider": outsider, "operator": operator,
        "org_member": person(museum, "member", "m@museo.example.org"),
        "org_editor": person(museum, "editor", "e@museo.example.org"),
        "org_admin": person(museum, "admin", "a@museo.example.org"),
        "network_member": person(member_org, "member", "m@membro.example.org"),
        "coordinator": person(coordinating, "editor", "e@capofila.example.org"),
    }
