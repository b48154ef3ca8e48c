"""What the benchmark measures of the exchange and the desk (issue 5).

Under load: the matches of one need (the API, as the need's organisation's admin, needs of the busiest region in
turn), "matches for you" of an organisation in three networks (its admin's token), and the knowledge-base search
(the page and the API, anonymous, queries in the five languages in turn). Once, in-process: the daily digest for
every user with notifications waiting, sent through a real SMTP server on 127.0.0.1 (aiosmtpd, discarding what it
receives), timed by the task's CPU time and wall time.
"""

import contextlib
import os
import time
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlencode

from django.db import connection
from django.test import override_settings

from bench.calendar_targets import bench_token
from bench.common import BENCH_SOURCE
from bench.load import Request
from bench.report import Job
from sinergia.desk.models import Question
from sinergia.exchange.models import Listing
from sinergia.networks.models import Membership

KB_QUERIES = ("SIAE", "diritti streaming concerto", "crowdfunding", "billetterie en ligne",
              "cofinanciación proyecto europeo", "bilheteira online", "Art Bonus")
NEEDS_IN_TURN = 20
DIGEST_TARGET_SECONDS = 120


def has_desk() -> bool:
    """Whether the measured database holds the bench exchange and desk."""
    return Question.objects.exists() and Listing.objects.exists()


def kb_target_ms() -> float | None:
    """50 ms on PostgreSQL; no target on SQLite (measured for reference)."""
    return 50 if connection.vendor == "postgresql" else None


def _admin_token(organisation_id: int) -> str:
    from sinergia.directory.models import OrganisationMember

    admin = OrganisationMember.objects.filter(organisation_id=organisation_id, role="admin").order_by("pk").first()
    return f"Bearer {bench_token(admin.user_id)}" if admin else ""


def busiest_region() -> str:
    """The region with most open offers."""
    regions = Listing.objects.filter(side="offer", status="open").values_list("place_region", flat=True)
    return Counter(regions).most_common(1)[0][0]


def need_requests(count: int = NEEDS_IN_TURN) -> tuple[Request, ...]:
    """The matches of open needs of the busiest region served by a radius, each asked by its organisation's admin."""
    needs = Listing.objects.filter(side="need", status="open", area="radius", place_region=busiest_region(),
                                   organisation__source=BENCH_SOURCE).order_by("pk")[:count]
    return tuple(Request(f"/api/exchange/listings/{need.pk}/matches", authorization=_admin_token(
        need.organisation_id)) for need in needs)


def organisation_in_three_networks() -> int | None:
    """A bench organisation admitted to exactly three networks, with open listings (the most of them)."""
    admitted = Counter(Membership.objects.filter(status=Membership.Status.ADMITTED,
                                                 organisation__source=BENCH_SOURCE).values_list(
        "organisation_id", flat=True))
    three = [pk for pk, networks in admitted.items() if networks == 3]
    listings = Counter(Listing.objects.filter(organisation_id__in=three, status="open").values_list(
        "organisation_id", flat=True))
    return listings.most_common(1)[0][0] if listings else (three[0] if three else None)


def matches_for_you_request() -> Request | None:
    """"Matches for you" of the organisation in three networks, asked by its admin."""
    organisation = organisation_in_three_networks()
    if organisation is None:
        return None
    return Request("/api/exchange/matches", authorization=_admin_token(organisation))


def kb_page_requests(page: str | None) -> tuple[Request, ...]:
    """The knowledge-base page of each query (anonymous)."""
    return tuple(Request(f"{page}?{urlencode({'q': query})}") for query in KB_QUERIES) if page else ()


def kb_api_requests() -> tuple[Request, ...]:
    """The API's knowledge-base search of each query (anonymous)."""
    return tuple(Request(f"/api/desk/questions?{urlencode({'q': query, 'knowledge_base': 'true'})}")
                 for query in KB_QUERIES)


@contextlib.contextmanager
def smtp_sink() -> Iterator[int]:
    """A real SMTP server on a free port of 127.0.0.1 that accepts and discards every message; yields its port."""
    from aiosmtpd.controller import Controller

    from bench.run import free_port

    class Discard:
        async def handle_DATA(self, server, session, envelope) -> str:
            return "250 OK"

    controller = Controller(Discard(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


def digest_job() -> Job:
    """The daily digest of every user with notifications waiting, sent over SMTP, timed (CPU and wall); the bench's
    digests are made to wait again first, since an earlier run of the same day sent them."""
    from bench.digest_builders import digests_waiting_again
    from sinergia.core.services import digest_send_all

    digests_waiting_again()

    with smtp_sink() as port, override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                                                EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, EMAIL_USE_TLS=False,
                                                EMAIL_USE_SSL=False, EMAIL_HOST_USER="", EMAIL_HOST_PASSWORD=""):
        busy = os.getloadavg()[0]
        cpu, wall = time.process_time(), time.perf_counter()
        report = digest_send_all()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    verdict = "met" if cpu < DIGEST_TARGET_SECONDS else "MISSED"
    return Job("daily digest of every user with notifications waiting (task time)", f"{cpu:.1f} s CPU",
               f"< {DIGEST_TARGET_SECONDS} s", cpu < DIGEST_TARGET_SECONDS,
               f"{report!s}; {wall:.1f} s wall, SMTP to a local aiosmtpd, load average {busy:.2f} before; {verdict}")


def generation_jobs(generated: dict) -> list[Job]:
    """The generator's wall times for the exchange, the desk and the knowledge-base index, when this run made them."""
    desk = generated.get("desk") or {}
    created, index = desk.get("created") or {}, desk.get("index")
    jobs = [Job(f"{name} written (bulk_create, one transaction)", f"{step['seconds']:.1f} s", "", None,
                ", ".join(f"{value:,} {key}" for key, value in step.items() if key != "seconds"))
            for name, step in created.items()]
    if index:
        jobs.append(Job("knowledge-base index built (index_all_questions)", f"{index['seconds']:.1f} s", "", None,
                        f"{index['questions']:,} questions"))
    return jobs
