"""Reads of the OAI-PMH repository: what harvesters may see, page by page along (updated_at, id), and its sets."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from sinergia.core.models import Concept
from sinergia.library.models import Creator, Resource
from sinergia.library.oai.harvest import Harvest
from sinergia.library.oai.protocol import NETWORK_SET, TOPIC_SET, SetSpec
from sinergia.library.rules import visible_resources_q
from sinergia.networks.models import Network
from sinergia.networks.selectors import network_list

HEADER_FIELDS = ("id", "uuid", "updated_at", "deleted_at", "public_since", "visibility", "moderation")


def _exposed_q() -> Q:
    """What anyone may see (approved, public, not deleted) and the tombstones of what was once so: deleted, made
    private or networks-only since."""
    return visible_resources_q(None) | Q(public_since__isnull=False)


def oai_resource(*, resource_uuid: uuid.UUID) -> Resource | None:
    """The exposed resource (or tombstone) with this uuid; None for any other, so hidden ones stay unknown."""
    return Resource.objects.filter(_exposed_q(), uuid=resource_uuid).first()


def oai_earliest_datestamp() -> datetime | None:
    """The oldest datestamp exposed (read along the (updated_at, id) index, stopping at the first row)."""
    exposed = Resource.objects.filter(_exposed_q()).order_by("updated_at", "id")
    return exposed.values_list("updated_at", flat=True).first()


def _network_links() -> QuerySet:
    return Resource.networks.through.objects.filter(network__is_active=True)


def _topic_links() -> QuerySet:
    return Resource.topics.through.objects.filter(concept__scheme=Concept.Scheme.TOPIC)


def _in_set(spec: SetSpec) -> Exists:
    """Resources in a network's (or a topic's) set; the bare family holds every resource of any of them.

    A network or topic is read first and named by its id: with the id as a constant, the planner knows from its
    statistics how many resources the set holds (a quarter of the library for the largest topics), so it walks the
    datestamp index and stops after a page instead of reading every resource of the set to sort them.
    """
    if spec.family == NETWORK_SET:
        links = _network_links()
        if spec.key:
            networks = Network.objects.filter(slug=spec.key).values_list("id", flat=True)
            links = links.filter(network_id__in=list(networks))
    else:
        links = _topic_links()
        if spec.key:
            topics = Concept.objects.filter(scheme=Concept.Scheme.TOPIC, notation=spec.key).values_list("id", flat=True)
            links = links.filter(concept_id__in=list(topics))
    return Exists(links.filter(resource_id=OuterRef("pk")))


def oai_harvest(*, harvest: Harvest) -> QuerySet[Resource]:
    """Every record of the harvest, in datestamp order then id (the order of the index library_res_oai_idx)."""
    if harvest.set_unknown:
        return Resource.objects.none()
    qs = Resource.objects.filter(_exposed_q(), updated_at__lte=harvest.started)
    if harvest.start is not None:
        qs = qs.filter(updated_at__gte=harvest.start)
    if harvest.end is not None:
        qs = qs.filter(updated_at__lt=harvest.end)
    if (spec := harvest.set_spec) is not None:
        qs = qs.filter(_in_set(spec))
    return qs.order_by("updated_at", "id")


@dataclass
class OaiItem:
    """A record and what its header and metadata show besides the resource's own fields."""

    resource: Resource
    set_specs: list[str] = field(default_factory=list)
    topics: list[dict[str, str]] = field(default_factory=list)  # each topic's labels by language
    versions: list[tuple[int, str]] = field(default_factory=list)  # other language versions: (pk, language)


def oai_page(*, harvest: Harvest, after: tuple[datetime, int] | None, size: int,
             metadata: bool) -> list[OaiItem]:
    """Up to `size` records that come after the keyset cursor `after` (none: from the start), in a fixed number of
    queries: the records, their sets, and with metadata their creators and other language versions."""
    qs = oai_harvest(harvest=harvest)
    if after is not None:
        moment, pk = after
        # The first condition alone reads the index from the cursor on; the second drops the rows already sent.
        qs = qs.filter(updated_at__gte=moment).filter(Q(updated_at__gt=moment) | Q(pk__gt=pk))
    if metadata:
        qs = qs.prefetch_related(Prefetch("creators", queryset=Creator.objects.order_by("position")))
    else:
        qs = qs.only(*HEADER_FIELDS)
    return oai_items(list(qs[:size]), metadata=metadata)


def oai_items(resources: list[Resource], *, metadata: bool) -> list[OaiItem]:
    """The records with their set memberships, topics and (with metadata) other language versions."""
    items = {resource.pk: OaiItem(resource=resource) for resource in resources}
    if not items:
        return []
    networks = _network_links().filter(resource_id__in=items).order_by("network__slug")
    for resource_id, slug in networks.values_list("resource_id", "network__slug"):
        items[resource_id].set_specs.append(f"{NETWORK_SET}:{slug}")
    topics = _topic_links().filter(resource_id__in=items).order_by("concept__notation")
    for resource_id, notation, labels in topics.values_list("resource_id", "concept__notation", "concept__labels"):
        items[resource_id].set_specs.append(f"{TOPIC_SET}:{notation}")
        items[resource_id].topics.append(labels or {})
    if metadata:
        _add_versions(list(items.values()))
    return list(items.values())


def _add_versions(items: list[OaiItem]) -> None:
    """Each live record's other language versions that anyone may see, in one query for the whole page."""
    roots = {item.resource.original_id or item.resource.pk for item in items if not item.resource.is_withdrawn}
    if not roots:
        return
    # A UNION rather than an OR, and visibility checked row by row by key: SQLite then answers each part by its own
    # index instead of scanning every public row.
    visible = Resource.objects.filter(visible_resources_q(None))
    fields = ("pk", "original_id", "language")
    group = (visible.filter(pk__in=roots).order_by().values_list(*fields)
             .union(Resource.objects.filter(Exists(visible.filter(pk=OuterRef("pk"))), original_id__in=roots)
                    .order_by().values_list(*fields)))
    by_root: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, original_id, language in sorted(group, key=lambda row: (row[2], row[0])):
        by_root[original_id or pk].append((pk, language))
    for item in items:
        root = item.resource.original_id or item.resource.pk
        item.versions = [version for version in by_root.get(root, []) if version[0] != item.resource.pk]


def oai_sets() -> list[tuple[str, str]]:
    """Every set as (setSpec, network's name or topic's label): listed networks and the thesaurus's topics."""
    networks = network_list(viewer=None).prefetch_related(None).order_by("slug").values_list("slug", "name")
    topics = Concept.objects.filter(scheme=Concept.Scheme.TOPIC).order_by("notation")
    return ([(f"{NETWORK_SET}:{slug}", name) for slug, name in networks]
            + [(f"{TOPIC_SET}:{topic.notation}", topic.label) for topic in topics])
