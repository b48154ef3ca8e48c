"""What the generator and the runner share, importable before Django is set up."""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

BENCH_SOURCE = "bench"
BIG_NETWORK_SLUG = "rete-nazionale-dei-musei-civici"
BENCH_PASSWORD = "bench-password-2025"
BATCH_SIZE = 1000
REFRESH_TARGET_SECONDS = 120  # the occurrence refresh of every event (issue 3)


@dataclass(frozen=True)
class Sizes:
    """How much of everything a scale makes (1.0: 10,000 organisations, 500 networks, 20,000 users, 50,000 events,
    100,000 library resources)."""

    organisations: int
    networks: int
    big_network_members: int
    users: int
    events: int
    resources: int

    @classmethod
    def for_scale(cls, scale: float) -> "Sizes":
        """The sizes at `scale`, never below a handful so small demos still have a big network."""
        organisations = max(20, round(10_000 * scale))
        return cls(organisations=organisations, networks=max(5, round(500 * scale)),
                   big_network_members=min(organisations - 1, max(10, round(2_000 * scale))),
                   users=max(20, round(20_000 * scale)), events=max(100, round(50_000 * scale)),
                   resources=max(200, round(100_000 * scale)))


def bulk(model, objects: Iterable) -> list:
    """Insert in batches and return the objects with their primary keys."""
    return model.objects.bulk_create(list(objects), batch_size=BATCH_SIZE)


def sample(rng: random.Random, population: Sequence, k: int) -> list:
    """k distinct items (all of them when k is larger)."""
    return rng.sample(list(population), min(k, len(population)))
