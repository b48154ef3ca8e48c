"""fetch_feed against real HTTP servers on 127.0.0.1: bounds, redirects, conditional GET and the SSRF guard."""

import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import certifi
import pytest
from django.core.exceptions import ImproperlyConfigured

from sinergia.calendar.fetch import FetchError, address_allowed, feed_url, fetch_feed
from sinergia.settings import feed_private_addresses

CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"
ETAG = '"v1"'
MODIFIED = "Sun, 01 Nov 2026 10:00:00 GMT"


class Handler(BaseHTTPRequestHandler):
    """Each path is one kind of answer a feed's server may give."""

    seen: list[dict[str, str]]

    def do_GET(self):
        self.server.seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        route = getattr(self, "route_" + self.path.strip("/").split("?")[0].replace("-", "_").replace(".", "_"), None)
        if route is None:
            self._send(404, b"not here", "text/plain")
        else:
            route()

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def route_calendar_ics(self):
        if self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == MODIFIED:
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.end_headers()
            return
        self._send(200, CALENDAR, "text/calendar; charset=utf-8", {"ETag": ETAG, "Last-Modified": MODIFIED})

    def route_slow(self):
        time.sleep(2)
        self._send(200, CALENDAR, "text/calendar")

    def route_trickle(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.end_headers()
        for _ in range(20):
            self.wfile.write(b"X-PADDING:" + b"x" * 10 + b"\r\n")
            self.wfile.flush()
            time.sleep(0.1)

    def route_page(self):
        self._send(200, b"<!DOCTYPE html><html><body>Our events</body></html>", "text/html; charset=utf-8")

    def route_page_as_calendar(self):
        self._send(200, b"\n  <html><body>Our events</body></html>", "text/calendar")

    def route_calendar_as_page(self):
        self._send(200, CALENDAR, "text/html")

    def route_big(self):
        self._send(200, b"X" * 5000, "text/calendar")

    def route_big_undeclared(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.end_headers()
        for _ in range(10):
            self.wfile.write(b"X" * 1000)

    def route_missing(self):
        self._send(404, b"gone", "text/plain")

    def route_redirect(self):
        self._redirect(f"http://127.0.0.1:{self.server.server_port}/calendar.ics")

    def route_redirect_relative(self):
        self._redirect("/calendar.ics")

    def route_redirect_loop(self):
        self._redirect("/redirect-loop")

    def route_redirect_private(self):
        self._redirect("http://10.1.2.3/calendar.ics")

    def route_redirect_loopback(self):
        self._redirect(f"http://127.0.0.2:{self.server.server_port}/calendar.ics")

    def route_redirect_ftp(self):
        self._redirect("ftp://example.org/calendar.ics")

    def _redirect(self, location: str):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client that gave up (the timeout tests) is expected here."""


@pytest.fixture
def server():
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def local(settings, server):
    """The test server's own address is allowed (as an operator may allow a closed network), nothing else."""
    settings.CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES = ["127.0.0.1/32"]
    settings.CALENDAR_FEED_TIMEOUT_SECONDS = 5  # generous: a loaded machine must not turn an answer into a timeout
    settings.CALENDAR_FEED_MAX_BYTES = 4096
    return f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def guarded(settings, server):
    settings.CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES = False
    return f"http://127.0.0.1:{server.server_port}"


def _error(url: str, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch_feed(url, **kwargs)
    return caught.value


def test_fetch_returns_the_calendar_and_its_validators(local):
    result = fetch_feed(f"{local}/calendar.ics")
    assert (result.content, result.etag, result.last_modified, result.content_type, result.not_modified) == (
        CALENDAR, ETAG, MODIFIED, "text/calendar", False)


def test_fetch_sends_etag_and_gets_not_modified(local, server):
    result = fetch_feed(f"{local}/calendar.ics", etag=ETAG, last_modified=MODIFIED)
    assert (result.not_modified, result.content, result.etag, result.last_modified) == (True, b"", ETAG, MODIFIED)
    assert (server.seen[0]["if-none-match"], server.seen[0]["if-modified-since"]) == (ETAG, MODIFIED)


def test_fetch_if_modified_since_alone_gets_not_modified(local):
    assert fetch_feed(f"{local}/calendar.ics", last_modified=MODIFIED).not_modified is True


def test_fetch_sends_no_conditional_headers_the_first_time(local, server):
    fetch_feed(f"{local}/calendar.ics")
    assert "if-none-match" not in server.seen[0] and "if-modified-since" not in server.seen[0]


def test_fetch_times_out_on_a_server_that_sleeps(local, settings):
    settings.CALENDAR_FEED_TIMEOUT_SECONDS = 0.5
    started = time.monotonic()
    error = _error(f"{local}/slow")
    assert error.messages == ["The server did not send the calendar within 0.5 seconds."]
    assert time.monotonic() - started < 1.5


def test_fetch_total_time_is_bounded_when_the_server_trickles(local, settings):
    settings.CALENDAR_FEED_TIMEOUT_SECONDS = 0.5
    started = time.monotonic()
    error = _error(f"{local}/trickle")
    assert error.code == "timeout"
    assert time.monotonic() - started < 1.5


def test_fetch_refuses_an_html_answer(local):
    assert _error(f"{local}/page").messages == [
        "The address gives a web page, not a calendar: use the calendar's iCalendar (.ics) link."]


def test_fetch_refuses_html_sent_as_a_calendar(local):
    assert _error(f"{local}/page-as-calendar").code == "web_page"


def test_fetch_accepts_a_calendar_labelled_as_a_web_page(local):
    assert fetch_feed(f"{local}/calendar-as-page").content == CALENDAR


def test_fetch_refuses_a_declared_oversize_answer(local):
    assert _error(f"{local}/big").messages == ["The calendar is larger than 4.0\xa0KB, the most that can be fetched."]


def test_fetch_stops_an_undeclared_oversize_answer_while_streaming(local):
    assert _error(f"{local}/big-undeclared").code == "too_large"


def test_fetch_reports_the_http_status(local):
    assert _error(f"{local}/missing").messages == ["The server answered 404 Not Found."]


def test_fetch_follows_redirects_and_reports_the_final_url(local, server):
    result = fetch_feed(f"{local}/redirect-relative")
    assert (result.url, result.content) == (f"{local}/calendar.ics", CALENDAR)
    assert [hit["path"] for hit in server.seen] == ["/redirect-relative", "/calendar.ics"]


def test_fetch_stops_after_the_maximum_number_of_redirects(local, server, settings):
    settings.CALENDAR_FEED_MAX_REDIRECTS = 3
    assert _error(f"{local}/redirect-loop").messages == ["The address redirects more than 3 times."]
    assert len(server.seen) == 4


def test_fetch_refuses_a_redirect_to_a_private_address(local, server):
    error = _error(f"{local}/redirect-private")
    assert error.messages == [
        "10.1.2.3 leads to 10.1.2.3, a local or private network address: calendars are only fetched from public "
        "Internet addresses."]
    assert [hit["path"] for hit in server.seen] == ["/redirect-private"]


def test_fetch_refuses_a_redirect_to_another_loopback_address(local, server):
    assert _error(f"{local}/redirect-loopback").code == "private_address"
    assert [hit["path"] for hit in server.seen] == ["/redirect-loopback"]


def test_fetch_refuses_a_redirect_to_another_scheme(local):
    assert _error(f"{local}/redirect-ftp").messages == [
        "The server redirected to an address that is not http or https."]


def test_fetch_refuses_loopback_when_private_addresses_are_not_allowed(guarded, server):
    assert _error(f"{guarded}/calendar.ics").code == "private_address"
    assert server.seen == []


@pytest.mark.parametrize("url", [
    "http://localhost/calendar.ics",
    "http://[::1]/calendar.ics",
    "http://[::ffff:127.0.0.1]/calendar.ics",
    "http://10.0.0.1/calendar.ics",
    "http://172.16.5.4/calendar.ics",
    "http://192.168.1.1/calendar.ics",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/calendar.ics",
    "http://0.0.0.0/calendar.ics",
    "http://224.0.0.1/calendar.ics",
    "http://240.0.0.1/calendar.ics",
    "http://[fe80::1]/calendar.ics",
    "http://[fc00::1]/calendar.ics",
    "http://[2002:7f00:1::]/calendar.ics",
    "http://[64:ff9b::a00:1]/calendar.ics",
    "http://2130706433/calendar.ics",
])
def test_fetch_refuses_non_public_targets(guarded, url):
    assert _error(url).code == "private_address"


def test_fetch_with_private_addresses_allowed_reaches_loopback(settings, server):
    settings.CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES = True
    assert fetch_feed(f"http://127.0.0.1:{server.server_port}/calendar.ics").content == CALENDAR


def test_fetch_connects_to_the_checked_address_not_a_second_lookup(local, server, monkeypatch):
    """DNS rebinding: the name resolves to an allowed address once, then to a private one; the first is used."""
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1", "10.9.9.9", "10.9.9.9"])

    def rebinding(host, port, *args, **kwargs):
        if host == "calendar.rebind.test":
            return real(next(answers), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    result = fetch_feed(f"http://calendar.rebind.test:{server.server_port}/calendar.ics")
    assert result.content == CALENDAR
    assert server.seen[0]["host"] == f"calendar.rebind.test:{server.server_port}"


def _certificates(folder) -> tuple[str, str, str]:
    """A test authority and a certificate it signed for calendar.test: (authority, certificate, key)."""
    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
            "-subj", "/CN=Test authority")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "site.key", "-out", "site.csr", "-subj",
            "/CN=calendar.test")
    (folder / "san.cnf").write_text("subjectAltName=DNS:calendar.test\n")
    openssl("x509", "-req", "-in", "site.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
            "site.pem", "-days", "1", "-extfile", "san.cnf")
    return str(folder / "ca.pem"), str(folder / "site.pem"), str(folder / "site.key")


@pytest.fixture
def tls_server(tmp_path, settings, monkeypatch):
    """An HTTPS server on 127.0.0.1 for calendar.test (and other.test), trusted through a test authority."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    authority, certificate, key = _certificates(tmp_path)
    monkeypatch.setattr(certifi, "where", lambda: authority)
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *args, **kwargs: real(
        "127.0.0.1" if host in ("calendar.test", "other.test") else host, *args, **kwargs))
    settings.CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES = ["127.0.0.1/32"]
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.seen, names = [], []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    context.sni_callback = lambda _socket, name, _context: names.append(name)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.names = names
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_fetch_over_https_checks_the_certificate_of_the_name_not_the_pinned_address(tls_server):
    result = fetch_feed(f"webcal://calendar.test:{tls_server.server_port}/calendar.ics")
    assert (result.url, result.content) == (f"https://calendar.test:{tls_server.server_port}/calendar.ics", CALENDAR)
    assert tls_server.names == ["calendar.test"]


def test_fetch_over_https_refuses_a_certificate_for_another_name(tls_server):
    error = _error(f"https://other.test:{tls_server.server_port}/calendar.ics")
    assert error.code == "connect"
    assert "certificate is not valid for 'other.test'" in error.messages[0]


def test_fetch_unknown_host_is_a_clear_error(local, monkeypatch):
    def unknown(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)  # as a resolver answers, without depending on one
    assert _error("http://no-such-host.invalid/calendar.ics").messages == [
        "The host name no-such-host.invalid cannot be found."]


def test_feed_url_turns_webcal_into_https():
    assert feed_url(" webcal://calendar.example.org/feed.ics?x=1#top ") == "https://calendar.example.org/feed.ics?x=1"


@pytest.mark.parametrize("url", ["", "ftp://example.org/a.ics", "file:///etc/passwd", "calendar.ics",
                                 "http:///nohost", "http://example.org:99999/", "https://" + "a" * 2000 + ".org/"])
def test_feed_url_refuses_unusable_addresses(url):
    with pytest.raises(FetchError) as caught:
        feed_url(url)
    assert caught.value.messages == ["Enter the address of a calendar starting with https://, http:// or webcal://."]


# --- CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES from the environment ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", False),
        ("false", False),
        ("0", False),
        ("True", True),
        ("yes", True),
        ("10.20.0.0/16", ["10.20.0.0/16"]),
        (" 10.20.1.7/16 , FD00:1::/64,192.168.5.5 ", ["10.20.0.0/16", "fd00:1::/64", "192.168.5.5/32"]),
    ],
)
def test_private_addresses_setting_reads_a_boolean_or_cidr_networks(text, expected):
    assert feed_private_addresses(text) == expected


def test_private_addresses_setting_refuses_what_is_neither():
    with pytest.raises(ImproperlyConfigured, match=r"^CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES: '10\.0\.0\.0/33' does"):
        feed_private_addresses("10.0.0.0/33")


def test_private_addresses_setting_of_networks_allows_only_those(settings):
    settings.CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES = feed_private_addresses("10.20.0.0/16,fd00:1::/64")
    allowed = [address_allowed(ipaddress.ip_address(ip)) for ip in ("10.20.3.4", "fd00:1::9", "10.21.0.1", "::1")]
    assert allowed == [True, True, False, False]
