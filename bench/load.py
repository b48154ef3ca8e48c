"""A bounded in-process load generator: N client threads, each a new HTTP/1.1 connection per request."""

import http.client
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Measurement:
    """Latencies (seconds) and failures of the requests made to one path."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0
    last_error: str = ""

    @property
    def count(self) -> int:
        return len(self.latencies) + self.errors

    def percentile(self, fraction: float) -> float:
        """The latency under which `fraction` of the successful requests finished, in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    @property
    def throughput(self) -> float:
        """Successful requests per second over the measuring window."""
        return len(self.latencies) / self.wall if self.wall else 0.0


def fetch(host: str, port: int, path: str) -> tuple[int, int]:
    """GET the path on a fresh connection; (status, body size)."""
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request("GET", path, headers={"Accept": "text/html,application/json"})
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def _client(host: str, port: int, path: str, deadline: float, budget: threading.Semaphore,
            result: Measurement, lock: threading.Lock) -> None:
    """One client: request after request until the deadline or the shared budget runs out."""
    while time.perf_counter() < deadline and budget.acquire(blocking=False):
        started = time.perf_counter()
        try:
            status, _size = fetch(host, port, path)
            failure = "" if status == 200 else f"HTTP {status}"
        except OSError as error:
            failure = f"{type(error).__name__}: {error}"
        elapsed = time.perf_counter() - started
        with lock:
            if failure:
                result.errors, result.last_error = result.errors + 1, failure
            else:
                result.latencies.append(elapsed)


def measure(host: str, port: int, path: str, *, clients: int, seconds: float, max_requests: int) -> Measurement:
    """Load the path with `clients` concurrent clients for `seconds` or `max_requests`, whichever comes first."""
    result, lock = Measurement(), threading.Lock()
    budget = threading.Semaphore(max_requests)
    started = time.perf_counter()
    threads = [threading.Thread(target=_client, args=(host, port, path, started + seconds, budget, result, lock))
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall = time.perf_counter() - started
    return result


def warm_up(host: str, port: int, path: str, *, requests: int) -> tuple[int, int]:
    """A few requests so every worker has loaded code, templates and caches; the last (status, size)."""
    outcome = (0, 0)
    for _ in range(requests):
        outcome = fetch(host, port, path)
    return outcome
