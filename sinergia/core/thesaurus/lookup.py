"""Finding concepts by label, alternative label or notation, in any language."""

import unicodedata

from django.db.models import Count

from sinergia.core.models import Concept


def normalise_label(text: str) -> str:
    """A label folded for comparison: no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("’", "'").split())


def concept_index(*, scheme: str) -> dict[str, Concept]:
    """Every concept of a scheme under each of its folded labels, alternative labels and notation."""
    index: dict[str, Concept] = {}
    concepts = list(Concept.objects.filter(scheme=scheme))
    for concept in concepts:
        for labels in concept.alt_labels.values():
            index.update((normalise_label(label), concept) for label in labels)
    for concept in concepts:
        index.update((normalise_label(label), concept) for label in concept.labels.values())
    index.update((normalise_label(c.notation), c) for c in concepts)
    return index


def concept_lookup(*, scheme: str, label: str) -> Concept | None:
    """The concept of the scheme with this label, alternative label or notation, in any language."""
    return concept_index(scheme=scheme).get(normalise_label(label))


def concept_tree(*, scheme: str) -> list[tuple[Concept, int]]:
    """The concepts of a scheme in hierarchy order, each with its depth (0 for top concepts)."""
    concepts = sorted(Concept.objects.filter(scheme=scheme), key=lambda c: normalise_label(c.label))
    ids = {c.pk for c in concepts}
    children: dict[int | None, list[Concept]] = {}
    for concept in concepts:
        parent = concept.broader_id if concept.broader_id in ids else None
        children.setdefault(parent, []).append(concept)
    ordered: list[tuple[Concept, int]] = []
    stack = [(concept, 0) for concept in reversed(children.get(None, []))]
    while stack:
        concept, depth = stack.pop()
        ordered.append((concept, depth))
        stack += [(child, depth + 1) for child in reversed(children.get(concept.pk, []))]
    return ordered


def scheme_counts() -> dict[str, int]:
    """How many concepts each scheme has, for every scheme."""
    counts = dict(Concept.objects.order_by().values_list("scheme").annotate(count=Count("pk")))
    return {scheme: counts.get(scheme, 0) for scheme in Concept.Scheme.values}
