"""A bounded in-process load generator: N client threads, each a new HTTP/1.1 connection per request."""

import http.client
import threading
import time
from collections.abc import Sequence
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


@dataclass(frozen=True)
class Request:
    """One request of a target: a GET of a path, or a POST of a JSON body."""

    path: str
    method: str = "GET"
    body: bytes = b""
    content_type: str = ""
    authorization: str = ""  # e.g. "Bearer <token>" for the API's authenticated endpoints

    @classmethod
    def of(cls, request: "Request | str") -> "Request":
        """A request from a request or a path (a GET)."""
        return request if isinstance(request, Request) else cls(request)


def fetch(host: str, port: int, request: Request | str) -> tuple[int, int]:
    """Send the request on a fresh connection and read the whole body; (status, body size)."""
    request = Request.of(request)
    headers = {"Accept": "text/html,application/json"}
    if request.body:
        headers["Content-Type"] = request.content_type or "application/json"
    if request.authorization:
        headers["Authorization"] = request.authorization
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request(request.method, request.path, body=request.body or None, headers=headers)
        response = connection.getresponse()
        size = 0
        while chunk := response.read(65536):  # a streamed body is read to its end, not kept
            size += len(chunk)
        return response.status, size
    finally:
        connection.close()


class _Rotation:
    """The requests of a target handed out in turn to the clients (so each subject is asked as often)."""

    def __init__(self, requests: Sequence[Request]) -> None:
        self.requests, self.next, self.lock = requests, 0, threading.Lock()

    @classmethod
    def of(cls, requests: "Sequence[Request] | Request | str") -> "_Rotation":
        """A rotation of several requests, or of one."""
        if isinstance(requests, Request | str):
            requests = [Request.of(requests)]
        return cls([Request.of(request) for request in requests])

    def take(self) -> Request:
        with self.lock:
            request = self.requests[self.next % len(self.requests)]
            self.next += 1
            return request


def _client(host: str, port: int, rotation: _Rotation, deadline: float, budget: threading.Semaphore,
            result: Measurement, lock: threading.Lock) -> None:
    """One client: request after request until the deadline or the shared budget runs out."""
    while time.perf_counter() < deadline and budget.acquire(blocking=False):
        request = rotation.take()
        started = time.perf_counter()
        try:
            status, _size = fetch(host, port, request)
            failure = "" if status == 200 else f"HTTP {status}"
        except OSError as error:
            failure = f"{type(error).__name__}: {error}"
        elapsed = time.perf_counter() - started
        with lock:
            if failure:
                result.errors, result.last_error = result.errors + 1, failure
            else:
                result.latencies.append(elapsed)


def measure(host: str, port: int, requests: Sequence[Request] | Request | str, *, clients: int, seconds: float,
            max_requests: int) -> Measurement:
    """Load with `clients` concurrent clients for `seconds` or `max_requests`, whichever comes first.

    Several requests are sent in turn (e.g. clash checks of different subjects); one is sent again and again.
    """
    rotation = _Rotation.of(requests)
    result, lock = Measurement(), threading.Lock()
    budget = threading.Semaphore(max_requests)
    started = time.perf_counter()
    threads = [threading.Thread(target=_client, args=(host, port, rotation, started + seconds, budget, result, lock))
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall = time.perf_counter() - started
    return result


def warm_up(host: str, port: int, requests: Sequence[Request] | Request | str, *, count: int) -> tuple[int, int]:
    """A few requests so every worker has loaded code, templates and caches; the last status, the largest body."""
    rotation = _Rotation.of(requests)
    status, largest = 0, 0
    for _ in range(count):
        status, size = fetch(host, port, rotation.take())
        largest = max(largest, size)
    return status, largest
