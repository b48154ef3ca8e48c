"""The library of the bench data set (issue 4), written in bulk from its plans (bench.library_plans).

Resources, their creators, topics, networks and the organisations they concern, the translations' links and the
extracted texts are inserted in batches in the caller's transaction; the search index is built afterwards by the
search module's own bulk path (`index_all_resources`, as `manage.py library_reindex` does).
"""

import random
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate, islice

from bench.common import BENCH_SOURCE, bulk, own_datestamps
from bench.library_plans import Context, Contributor, Plan, plans
from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from sinergia.library.models import Creator, Resource, ResourceText
from sinergia.networks.models import Membership

BATCH = 1000
TEXT_BATCH = 50  # extracted texts are ~50 KB each


def has_resources() -> bool:
    """Whether the bench library is already there."""
    return Resource.objects.filter(organisation__source=BENCH_SOURCE).exists()


def load_context(rng: random.Random, seed: int, *, today: date | None = None) -> Context:
    """The listed bench organisations (with their admitted networks) and the thesaurus topics, loaded if absent."""
    from sinergia.core.thesaurus import thesaurus_ensure_loaded

    thesaurus_ensure_loaded()
    admitted: dict[int, list[int]] = {}
    for organisation_id, network_id in Membership.objects.filter(
            status=Membership.Status.ADMITTED, organisation__source=BENCH_SOURCE).order_by("pk").values_list(
            "organisation_id", "network_id"):
        admitted.setdefault(organisation_id, []).append(network_id)
    contributors = [Contributor(org.pk, org.name, org.slug, org.language, org.municipality or org.locality,
                                org.region, tuple(admitted.get(org.pk, ())))
                    for org in Organisation.objects.filter(source=BENCH_SOURCE, is_active=True).order_by("pk")]
    topics = list(Concept.objects.filter(scheme=Concept.Scheme.TOPIC).order_by("notation").values_list("pk", "labels"))
    rng.shuffle(topics)  # which topics are the common ones
    anchor = datetime.combine(today or datetime.now(UTC).date(), datetime.min.time(), tzinfo=UTC) - timedelta(hours=1)
    return Context(seed=seed, contributors=contributors, topics=topics, anchor=anchor,
                   weights=list(accumulate(rng.paretovariate(1.2) for _ in contributors)))


def _batches(items: Iterable[Plan], size: int) -> Iterator[list[Plan]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def build(rng: random.Random, count: int, context: Context) -> dict:
    """Insert `count` planned resources and everything around them; what was written and how long it took."""
    started, written = time.perf_counter(), Counter[str]()
    pks: dict[int, int] = {}
    for batch in _batches(plans(rng, count, context), BATCH):
        _insert(batch, pks, context, written)
    return {**written, "seconds": round(time.perf_counter() - started, 1)}


def _insert(batch: list[Plan], pks: dict[int, int], context: Context, written: Counter) -> None:
    """A batch: the originals first, then the translations of resources of this batch (their pk is known then)."""
    ready = [plan for plan in batch if plan.original is None or plan.original in pks]
    waiting = [plan for plan in batch if plan.original is not None and plan.original not in pks]
    with own_datestamps(Resource, "created_at", "updated_at"):
        for group in (ready, waiting):
            created = bulk(Resource, (_resource(plan, pks) for plan in group))
            pks.update((plan.index, resource.pk) for plan, resource in zip(group, created, strict=True))
    _relations(batch, pks, written)
    texts = [plan for plan in batch if plan.text_pages]
    for chunk in _batches(texts, TEXT_BATCH):
        bodies = ResourceText.objects.bulk_create([_text(plan, pks, context) for plan in chunk])
        written["text characters"] += sum(len(text.body) for text in bodies)
    written.update({"resources": len(batch), "translations": sum(p.original is not None for p in batch),
                    "deleted": sum(p.deleted for p in batch), "texts": len(texts)})


def _resource(plan: Plan, pks: dict[int, int]) -> Resource:
    public = plan.visibility == "public" and plan.moderation == "approved"
    deleted_at = plan.updated_at if plan.deleted else None
    return Resource(
        organisation_id=plan.organisation_id, kind=plan.kind, title=plan.title, language=plan.language,
        abstract="" if plan.deleted else plan.abstract, year=plan.year, month=plan.month, **plan.details,
        visibility=plan.visibility, moderation=plan.moderation, deleted_at=deleted_at,
        public_since=plan.created_at if public or plan.deleted else None,
        original_id=None if plan.original is None or plan.deleted else pks[plan.original],
        text_status=Resource.TextStatus.DONE if plan.text_pages else Resource.TextStatus.NONE,
        created_at=plan.created_at, updated_at=plan.updated_at)


def _relations(batch: list[Plan], pks: dict[int, int], written: Counter) -> None:
    """Creators, topics, networks and concerned organisations of the batch (a deleted one keeps no creator)."""
    creators = [Creator(resource_id=pks[plan.index], position=position, role=creator.role, family=creator.family,
                        given=creator.given, organisation_name=creator.organisation_name,
                        organisation_id=creator.organisation_id)
                for plan in batch if not plan.deleted for position, creator in enumerate(plan.creators, 1)]
    bulk(Creator, creators)
    links = {"topics": ("concept_id", "topics"), "networks": ("network_id", "networks"),
             "organisations": ("organisation_id", "concerns")}
    for relation, (column, attribute) in links.items():
        through = getattr(Resource, relation).through
        rows = [through(resource_id=pks[plan.index], **{column: value})
                for plan in batch for value in getattr(plan, attribute)
                if relation != "organisations" or not plan.deleted]
        bulk(through, rows)
        written[f"{relation} links"] += len(rows)
    written["creators"] += len(creators)


def _text(plan: Plan, pks: dict[int, int], context: Context) -> ResourceText:
    """The extracted text of a resource, from a generator of its own (the same whatever was generated before)."""
    writer = context.writers[plan.language]
    pool = writer.pool(f"{context.seed}-pool-{plan.language}", context.every_label(plan.language),
                       [(c.town, c.region, c.name) for c in context.contributors[:500]])
    rng = random.Random(f"{context.seed}-text-{plan.index}")
    body = writer.body(rng, plan.subject, pages=plan.text_pages, abstract=plan.abstract, title=plan.title,
                       pool=pool)
    return ResourceText(resource_id=pks[plan.index], body=body, pages=plan.text_pages)


def index() -> dict:
    """Build the search index of every resource with the search module's bulk path, timed."""
    from sinergia.library.search import index_all_resources

    started = time.perf_counter()
    done = index_all_resources(batch_size=BATCH)
    return {"resources": done, "seconds": round(time.perf_counter() - started, 1)}


def counts() -> dict[str, int]:
    """How many resources, translations and extracted texts the database holds."""
    resources = Resource.objects.all()
    return {"library resources": resources.count(),
            "translations": resources.filter(original__isnull=False).count(),
            "extracted texts": ResourceText.objects.count(),
            "creators": Creator.objects.count()}
