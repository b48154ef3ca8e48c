"""Demo offers and needs: what museums need and what professionals and other institutions offer."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from sinergia.core.models import Concept
from sinergia.core.thesaurus import thesaurus_ensure_loaded
from sinergia.directory.models import Organisation
from sinergia.exchange.models import Listing
from sinergia.exchange.services import ListingData, listing_create

# (side, kind, title, description, service notation, radius in km, conditions)
DEMO_LISTINGS = (
    ("need", "service", "Photographer for our collection",
     "We are digitising about 200 objects for the online catalogue and need a photographer for two weeks.",
     "service-photo-video", 40, "paid"),
    ("offer", "service", "Photography of museum objects",
     "Studio photography of objects and archives, colour-calibrated, delivered with metadata.",
     "service-photo-video", 60, "paid"),
    ("need", "expertise", "Help with a crowdfunding campaign",
     "A small museum planning its first campaign for the restoration of a mill looks for advice.",
     "service-fundraising", 100, "exchange"),
    ("offer", "equipment", "Streaming kit on loan",
     "Two cameras, a mixer and microphones for streaming talks; we lend them to museums of the network.",
     "service-streaming", 80, "free"),
    ("offer", "coaching", "Mentoring on social media",
     "Monthly online sessions on planning and measuring social media for small institutions.",
     "service-communication", None, "free"),
    ("need", "service", "Translation of the audio guide into English and French",
     "About 12,000 words of audio guide texts, to be ready for the summer season.",
     "service-translation", None, "paid"),
)


def _by(by: Any) -> Any:
    """The acting user: the one given, else the first operator (who may publish for any organisation)."""
    return by or get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk").first()


def _data(row: tuple, organisation: Organisation) -> ListingData:
    side, kind, title, description, notation, radius, conditions = row
    located = radius is not None and organisation.has_location
    return ListingData(side=side, kind=kind, title=title, description=description,
                       categories=list(Concept.objects.filter(notation=notation)),
                       area=Listing.Area.RADIUS if located else Listing.Area.REMOTE, radius_km=radius if located
                       else None, languages=list(organisation.languages or ["it"]), conditions=conditions)


@transaction.atomic
def demo_exchange(*, organisations: list[Organisation], by: Any = None) -> list[Listing]:
    """A few realistic offers and needs spread over the organisations (offers go to companies and freelancers
    first); published by `by`, or by the first operator."""
    thesaurus_ensure_loaded()
    actor = _by(by)
    if actor is None or not organisations:
        return []
    professionals = [o for o in organisations if o.kind in (Organisation.Kind.COMPANY, Organisation.Kind.FREELANCE)]
    institutions = [o for o in organisations if o not in professionals] or organisations
    offerers = professionals or organisations
    created = []
    for index, row in enumerate(DEMO_LISTINGS):
        pool = offerers if row[0] == "offer" else institutions
        organisation = pool[index % len(pool)]
        created.append(listing_create(organisation=organisation, by=actor, data=_data(row, organisation)))
    return created
