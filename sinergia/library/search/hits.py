"""The resources of a page of hits, loaded with what a hit shows, in three plain statements (both engines).

A page of hits is read on every search. Through the ORM (select_related, then a prefetch of creators and one of
topics), compiling the querysets and building the related managers cost about three times the statements
themselves; these statements are written once, and their rows become model instances as the ORM makes them
(`Model.from_db`), with only the fields a hit shows.
"""
# ruff: noqa: S608 - table and column names are the models' own; every value is a parameter.

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import connection
from django.db.models import Model

from sinergia.core.models import Concept
from sinergia.directory.models import Organisation
from sinergia.library.models import Creator, Resource

RESOURCE_FIELDS = ("id", "kind", "title", "abstract", "language", "year", "organisation_id")
ORGANISATION_FIELDS = ("id", "slug", "name")
CREATOR_FIELDS = ("id", "resource_id", "position", "role", "family", "given", "organisation_name")
CONCEPT_FIELDS = ("id", "scheme", "notation", "labels")
M = TypeVar("M", bound=Model)


def _columns(alias: str, names: tuple[str, ...]) -> str:
    return ", ".join(f"{alias}.{name}" for name in names)


RESOURCES_SQL = (
    f"SELECT {_columns('r', RESOURCE_FIELDS)}, {_columns('o', ORGANISATION_FIELDS)} "
    f"FROM {Resource._meta.db_table} r JOIN {Organisation._meta.db_table} o ON o.id = r.organisation_id "
    "WHERE r.id IN ({ids})"
)
CREATORS_SQL = (
    f"SELECT {_columns('c', CREATOR_FIELDS)} FROM {Creator._meta.db_table} c WHERE c.resource_id IN ({{ids}}) "
    "ORDER BY c.resource_id, c.position"
)
# In the thesaurus' order (Concept.Meta.ordering), as the resource's topics are listed everywhere else.
TOPICS_SQL = (
    f"SELECT t.resource_id, {_columns('c', CONCEPT_FIELDS)} FROM {Resource.topics.through._meta.db_table} t "
    f"JOIN {Concept._meta.db_table} c ON c.id = t.concept_id WHERE t.resource_id IN ({{ids}}) "
    "ORDER BY c.scheme, c.notation"
)


def _builder(model: type[M], names: tuple[str, ...]) -> Callable[[Sequence], M]:
    """A function making an instance of the model from values of the named fields (from_db takes them in the order
    of the model's fields)."""
    order = [names.index(field.attname) for field in model._meta.concrete_fields if field.attname in names]

    def build(values: Sequence) -> M:
        return model.from_db(connection.alias, names, [values[index] for index in order])

    return build


def _rows(sql: str, ids: list[int]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=", ".join(["%s"] * len(ids))), ids)
        return cursor.fetchall()


def hit_resources(ids: list[int]) -> dict[int, Resource]:
    """id → the resource (only RESOURCE_FIELDS, its organisation's slug and name), with its creators in order as
    `creator_list` and its topics as `topic_list`; ids of no resource are left out."""
    if not ids:
        return {}
    make_resource, make_organisation = _builder(Resource, RESOURCE_FIELDS), _builder(Organisation, ORGANISATION_FIELDS)
    make_creator, make_concept = _builder(Creator, CREATOR_FIELDS), _builder(Concept, CONCEPT_FIELDS)
    resources: dict[int, Resource] = {}
    width = len(RESOURCE_FIELDS)
    for row in _rows(RESOURCES_SQL, ids):
        resources[row[0]] = make_resource(row[:width])
        resources[row[0]].organisation = make_organisation(row[width:])
    creators: dict[int, list[Creator]] = defaultdict(list)
    for row in _rows(CREATORS_SQL, ids):
        creators[row[1]].append(make_creator(row))
    topics: dict[int, list[Concept]] = defaultdict(list)
    for resource_id, *values in _rows(TOPICS_SQL, ids):
        labels = values[-1]  # JSON text on both databases (Django reads jsonb as text, then decodes)
        values[-1] = json.loads(labels) if isinstance(labels, str) else labels
        topics[resource_id].append(make_concept(values))
    for pk, resource in resources.items():
        resource.creator_list = creators[pk]  # type: ignore[attr-defined]
        resource.topic_list = topics[pk]  # type: ignore[attr-defined]
    return resources
