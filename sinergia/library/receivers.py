"""What the library caches of other apps' data, forgotten when that data changes: the labels of the thesaurus's
concepts (the search's cross-language matching, the topic facet) and the names of networks (the network facet)."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from sinergia.core.models import Concept
from sinergia.core.thesaurus import concepts_changed
from sinergia.library.search.concepts import concept_labels_forget
from sinergia.library.search.facets import facet_labels_forget
from sinergia.networks.models import Network


def _concepts_forget(ids: list[int]) -> None:
    concept_labels_forget()
    facet_labels_forget("topic", ids)


def concept_saved_or_deleted(sender: Any, instance: Concept, **kwargs: Any) -> None:
    """A concept saved or deleted one by one (the admin): forget its labels once the change is committed."""
    pk = instance.pk  # a deleted instance loses its pk before the commit
    transaction.on_commit(lambda: _concepts_forget([pk]))


def concepts_bulk_changed(sender: Any, notations: list[str], **kwargs: Any) -> None:
    """Concepts created or changed in bulk (thesaurus loads and imports), already committed."""
    _concepts_forget(list(Concept.objects.filter(notation__in=notations).values_list("pk", flat=True)))


def network_saved_or_deleted(sender: Any, instance: Network, **kwargs: Any) -> None:
    """A network renamed or deleted: forget its name in the network facet once the change is committed."""
    pk = instance.pk
    transaction.on_commit(lambda: facet_labels_forget("network", [pk]))


def connect() -> None:
    """Connect the receivers (from the app's ready())."""
    for signal in (post_save, post_delete):
        signal.connect(concept_saved_or_deleted, sender=Concept, dispatch_uid="library-concept-labels")
        signal.connect(network_saved_or_deleted, sender=Network, dispatch_uid="library-network-names")
    concepts_changed.connect(concepts_bulk_changed, sender=Concept, dispatch_uid="library-concepts-bulk")
