"""Writing valid rows: organisations created or updated by (source, identifier), in bulk."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from sinergia.directory.importers.types import CleanRow
from sinergia.directory.models import Organisation

BATCH = 500
SLUG_BASE_LENGTH = 100


class SlugAllocator:
    """Unique slugs: the name, else the name and municipality, else a numbered name."""

    def __init__(self, taken: set[str]):
        self.taken = taken
        self.next_number: Counter[str] = Counter()

    def allocate(self, name: str, municipality: str = "") -> str:
        """A slug not taken yet, reserved from now on."""
        base = slugify(name)[:SLUG_BASE_LENGTH].strip("-") or "organisation"
        candidates = [base, f"{base}-{slugify(municipality)}".strip("-")[: SLUG_BASE_LENGTH + 15]]
        slug = next((candidate for candidate in candidates if candidate not in self.taken), "")
        while not slug or slug in self.taken:
            self.next_number[base] = max(self.next_number[base], 1) + 1
            slug = f"{base}-{self.next_number[base]}"
        self.taken.add(slug)
        return slug


@dataclass
class WritePlan:
    """What to write: new and changed organisations, concept links to add and to remove."""

    new: list[Organisation] = field(default_factory=list)
    changed: list[Organisation] = field(default_factory=list)
    unchanged: int = 0
    links_add: dict[str, list[tuple[Organisation, int]]] = field(default_factory=lambda: defaultdict(list))
    links_remove: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))


def organisations_plan(*, rows: list[CleanRow], source: str, concepts: dict[str, dict[int, set[int]]]) -> WritePlan:
    """Compare the rows with the organisations already imported from the source."""
    existing = {org.source_id: org for org in Organisation.objects.filter(source=source).exclude(source_id="")}
    current_links = {relation: _links_of(source, relation) for relation in concepts}
    slugs = SlugAllocator(set(Organisation.objects.values_list("slug", flat=True)))
    plan = WritePlan()
    for position, row in enumerate(rows):
        wanted = {relation: by_row[position] for relation, by_row in concepts.items()}
        org = existing.get(row.source_id)
        if org is None:
            org = Organisation(source=source, source_id=row.source_id, **row.fields,
                               slug=slugs.allocate(row.fields["name"], row.fields.get("municipality", "")))
            plan.new.append(org)
            _plan_links(plan, org, wanted, {})
            continue
        fields_changed = _assign(org, row.fields)
        links_changed = _plan_links(plan, org, wanted, {r: current_links[r].get(org.pk, {}) for r in wanted})
        if fields_changed or links_changed:
            plan.changed.append(org)
        else:
            plan.unchanged += 1
    return plan


def _links_of(source: str, relation: str) -> dict[int, dict[int, int]]:
    """For the source's organisations: concept id → link id, per organisation id."""
    through = getattr(Organisation, relation).through
    links: dict[int, dict[int, int]] = defaultdict(dict)
    for pk, organisation_id, concept_id in through.objects.filter(organisation__source=source).values_list(
            "pk", "organisation_id", "concept_id"):
        links[organisation_id][concept_id] = pk
    return links


def _assign(org: Organisation, fields: dict[str, Any]) -> bool:
    """Set the fields on the organisation; whether any value changed."""
    changed = False
    for name, value in fields.items():
        if getattr(org, name) != value:
            setattr(org, name, value)
            changed = True
    return changed


def _plan_links(plan: WritePlan, org: Organisation, wanted: dict[str, set[int]],
                current: dict[str, dict[int, int]]) -> bool:
    """Add the concept links the organisation lacks, remove those it should not have; whether any."""
    changed = False
    for relation, concept_ids in wanted.items():
        have = current.get(relation, {})
        plan.links_add[relation].extend((org, concept_id) for concept_id in sorted(concept_ids - set(have)))
        plan.links_remove[relation].extend(link for concept_id, link in have.items() if concept_id not in concept_ids)
        changed = changed or bool(concept_ids.symmetric_difference(have))
    return changed


def organisations_write(plan: WritePlan, *, fields: set[str]) -> None:
    """Carry out the plan with bulk statements, in batches."""
    Organisation.objects.bulk_create(plan.new, batch_size=BATCH)
    now = timezone.now()
    for org in plan.changed:
        org.updated_at = now
    Organisation.objects.bulk_update(plan.changed, sorted(fields | {"kind", "updated_at"}), batch_size=BATCH)
    for relation, link_ids in plan.links_remove.items():
        through = getattr(Organisation, relation).through
        for start in range(0, len(link_ids), BATCH):
            through.objects.filter(pk__in=link_ids[start:start + BATCH]).delete()
    for relation, pairs in plan.links_add.items():
        through = getattr(Organisation, relation).through
        links = [through(organisation_id=org.pk, concept_id=concept_id) for org, concept_id in pairs]
        through.objects.bulk_create(links, batch_size=BATCH * 2)
