"""What the generator and the runner share, importable before Django is set up."""

import contextlib
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

BENCH_SOURCE = "bench"
BIG_NETWORK_SLUG = "rete-nazionale-dei-musei-civici"
BENCH_PASSWORD = "bench-password-2025"
BATCH_SIZE = 1000
REFRESH_TARGET_SECONDS = 120  # the occurrence refresh of every event (issue 3)


@dataclass(frozen=True)
class Sizes:
    """How much of everything a scale makes (1.0: 10,000 organisations, 500 networks, 20,000 users, 50,000 events,
    100,000 library resources, 20,000 offers and 20,000 needs, 50,000 desk questions, 2,000 funding calls)."""

    organisations: int
    networks: int
    big_network_members: int
    users: int
    events: int
    resources: int
    offers: int = 0
    needs: int = 0
    questions: int = 0
    calls: int = 0

    @classmethod
    def for_scale(cls, scale: float) -> "Sizes":
        """The sizes at `scale`, never below a handful so small demos still have a big network."""
        organisations = max(20, round(10_000 * scale))
        return cls(organisations=organisations, networks=max(5, round(500 * scale)),
                   big_network_members=min(organisations - 1, max(10, round(2_000 * scale))),
                   users=max(20, round(20_000 * scale)), events=max(100, round(50_000 * scale)),
                   resources=max(200, round(100_000 * scale)), offers=max(100, round(20_000 * scale)),
                   needs=max(100, round(20_000 * scale)), questions=max(200, round(50_000 * scale)),
                   calls=max(20, round(2_000 * scale)))


def bulk(model, objects: Iterable) -> list:
    """Insert in batches and return the objects with their primary keys."""
    return model.objects.bulk_create(list(objects), batch_size=BATCH_SIZE)


def sample(rng: random.Random, population: Sequence, k: int) -> list:
    """k distinct items (all of them when k is larger)."""
    return rng.sample(list(population), min(k, len(population)))


@contextlib.contextmanager
def own_datestamps(model, *names: str) -> Iterator[None]:
    """Let bulk_create keep the planned values of a model's auto_now/auto_now_add fields (else every row gets now)."""
    fields = [model._meta.get_field(name) for name in names]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
