"""factory_boy factories, one per model with traits for states, by domain; import them from here."""

from tests.factories.desk_calls import (  # noqa: F401 - re-exported
    CallDocumentFactory,
    CallFollowFactory,
    CallPublisherFactory,
    FundingCallFactory,
    calls_world,
)
from tests.factories.desk_questions import (  # noqa: F401 - re-exported
    AnswerFactory,
    ExpertFactory,
    QuestionFactory,
    resolved,
)
from tests.factories.exchange import (  # noqa: F401 - re-exported
    ListingFactory,
    MatchNoticeFactory,
    MessageFactory,
    PartnershipFactory,
    ThreadFactory,
    service,
)
from tests.factories.notifications import (  # noqa: F401 - re-exported
    DigestDeliveryFactory,
    NotificationFactory,
    NotificationPreferenceFactory,
    PeriodicRunFactory,
)
from tests.factories.platform import (  # noqa: F401 - re-exported
    CalendarFeedFactory,
    CharterSignatureFactory,
    CharterVersionFactory,
    ClaimFactory,
    ConceptFactory,
    EventFactory,
    FeedTokenFactory,
    InvitationFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    OrganisationMemberFactory,
    ResourceFactory,
    ResourceTextFactory,
    UserFactory,
    person,
    persona_world,
    trusted_person,
)
