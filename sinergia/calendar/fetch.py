"""Fetching a calendar feed URL safely: public addresses only, pinned, bounded in time, size and redirects."""

import ipaddress
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

__all__ = ["FetchError", "FetchResult", "address_allowed", "checked_address", "feed_url", "fetch_feed"]

# webcal:// is how calendar apps are told to subscribe; the calendar itself is served over HTTPS.
SCHEMES = {"http": "http", "https": "https", "webcal": "https", "webcals": "https"}
REDIRECTS = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
MAX_URL_LENGTH = 2000
ACCEPT = "text/calendar, application/ics;q=0.9, text/plain;q=0.5, */*;q=0.1"


class FetchError(ValidationError):
    """The feed could not be fetched; the message says why, in the user's language."""


@dataclass(frozen=True)
class FetchResult:
    """What the feed's server answered: the calendar's bytes, or that it has not changed (304)."""

    url: str
    content: bytes
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    not_modified: bool = False


def feed_url(url: str) -> str:
    """The http(s) URL to fetch for a feed address (webcal:// becomes https://); FetchError if unusable."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
        parts = urlsplit("")
    scheme = SCHEMES.get(parts.scheme.lower())
    if scheme is None or not parts.hostname or not port_ok or len(url) > MAX_URL_LENGTH:
        raise FetchError(_("Enter the address of a calendar starting with https://, http:// or webcal://."),
                         code="invalid_url")
    return urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, ""))


def fetch_feed(url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
    """GET a feed within the configured time, size and redirect bounds, from public addresses only."""
    url = feed_url(url)
    seconds = settings.CALENDAR_FEED_TIMEOUT_SECONDS
    deadline = time.monotonic() + seconds
    # The whole download runs in a worker so the total time is bounded even when a server trickles bytes;
    # the worker's own timeouts end it soon after. Its messages are in the caller's language.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="calendar-feed-fetch")
    future = executor.submit(_fetch_in, translation.get_language(), url, etag, last_modified, deadline)
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        raise _too_slow(seconds) from None
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _fetch_in(language: str | None, url: str, etag: str, last_modified: str, deadline: float) -> FetchResult:
    with translation.override(language):
        return _fetch(url, etag, last_modified, deadline)


def _fetch(url: str, etag: str, last_modified: str, deadline: float) -> FetchResult:
    """Follow at most CALENDAR_FEED_MAX_REDIRECTS redirects, checking every address on the way."""
    headers = _request_headers(etag, last_modified)
    with httpx.Client(trust_env=False, follow_redirects=False) as client:
        for _hop in range(settings.CALENDAR_FEED_MAX_REDIRECTS + 1):
            response = _send(client, url, headers, deadline)
            try:
                if response.status_code not in REDIRECTS:
                    return _result(url, response, deadline, etag=etag, last_modified=last_modified)
                url = _redirect_target(url, response)
            finally:
                response.close()
    raise FetchError(_("The address redirects more than %(n)d times.") % {"n": settings.CALENDAR_FEED_MAX_REDIRECTS},
                     code="too_many_redirects")


def _request_headers(etag: str, last_modified: str) -> dict[str, str]:
    """A conditional GET when the last answer gave validators; no compression, so the size cap is the size."""
    headers = {"User-Agent": f"Sinergia-calendar/1 (+{settings.SITE_URL})", "Accept": ACCEPT,
               "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _send(client: httpx.Client, url: str, headers: dict[str, str], deadline: float) -> httpx.Response:
    """Send the GET to the address checked for this host, not to whatever a second DNS lookup would say."""
    target = httpx.URL(url)
    host = target.raw_host.decode("ascii")
    address = checked_address(host, target.port or (443 if target.scheme == "https" else 80))
    pinned = target.copy_with(host=address)
    remaining = max(deadline - time.monotonic(), 0.001)
    request = client.build_request(
        "GET", pinned, headers={**headers, "Host": target.netloc.decode("ascii")},
        extensions={"sni_hostname": host}, timeout=httpx.Timeout(remaining),
    )
    try:
        return client.send(request, stream=True)
    except httpx.TimeoutException as error:
        raise _too_slow(settings.CALENDAR_FEED_TIMEOUT_SECONDS) from error
    except httpx.HTTPError as error:
        raise FetchError(_("Cannot connect to %(host)s (%(error)s).") % {"host": host, "error": _short(error)},
                         code="connect") from error


def checked_address(host: str, port: int) -> str:
    """The address to connect to for `host`: every address it resolves to must be allowed, else FetchError."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(_("The host name %(host)s cannot be found.") % {"host": host}, code="dns") from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        if not address_allowed(ipaddress.ip_address(address.split("%", 1)[0])):
            raise FetchError(
                _("%(host)s leads to %(address)s, a local or private network address: calendars are only "
                  "fetched from public Internet addresses.") % {"host": host, "address": address},
                code="private_address",
            )
    if not addresses:
        raise FetchError(_("The host name %(host)s cannot be found.") % {"host": host}, code="dns")
    return addresses[0]


def address_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Public unicast addresses; others only as CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES allows (True or networks)."""
    allow = settings.CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES
    if allow is True or _is_public(ip):
        return True
    if isinstance(allow, str):
        allow = [network for network in allow.split(",") if network.strip()]
    if not allow or isinstance(allow, bool):
        return False
    return any(ip in ipaddress.ip_network(network.strip(), strict=False) for network in allow)


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A global unicast address, looking through the IPv6 forms that embed an IPv4 one."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return _is_public(embedded)
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified or ip.is_loopback
                                 or ip.is_link_local or ip.is_private)


def _redirect_target(url: str, response: httpx.Response) -> str:
    location = response.headers.get("Location", "").strip()
    if not location:
        raise FetchError(_("The server answered a redirect without saying where to."), code="bad_redirect")
    try:
        target = str(httpx.URL(url).join(location))
    except (httpx.InvalidURL, ValueError) as error:
        raise FetchError(_("The server redirected to an invalid address."), code="bad_redirect") from error
    if urlsplit(target).scheme.lower() not in ("http", "https"):
        raise FetchError(_("The server redirected to an address that is not http or https."), code="bad_redirect")
    return feed_url(target)


def _result(url: str, response: httpx.Response, deadline: float, *, etag: str, last_modified: str) -> FetchResult:
    if response.status_code == 304:
        return FetchResult(url=url, content=b"", etag=_header(response, "ETag", 255) or etag,
                           last_modified=_header(response, "Last-Modified", 64) or last_modified, not_modified=True)
    if not 200 <= response.status_code < 300:
        raise FetchError(_("The server answered %(code)d %(reason)s.")
                         % {"code": response.status_code, "reason": response.reason_phrase[:80]}, code="status")
    content_type = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    content = _read_capped(response, deadline)
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:20].lower()
    # Some servers label their .ics as a web page: what counts is that it is not one.
    if head.startswith(HTML_STARTS) or (content_type in HTML_TYPES and not head.startswith(b"begin:")):
        raise _web_page()
    return FetchResult(url=url, content=content, etag=_header(response, "ETag", 255),
                       last_modified=_header(response, "Last-Modified", 64), content_type=content_type)


def _read_capped(response: httpx.Response, deadline: float) -> bytes:
    """The body, refused as soon as it passes CALENDAR_FEED_MAX_BYTES (before reading, if it says so)."""
    limit = settings.CALENDAR_FEED_MAX_BYTES
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            if time.monotonic() > deadline:
                raise _too_slow(settings.CALENDAR_FEED_TIMEOUT_SECONDS)
            chunks.append(chunk)
    except httpx.TimeoutException as error:
        raise _too_slow(settings.CALENDAR_FEED_TIMEOUT_SECONDS) from error
    except httpx.HTTPError as error:
        raise FetchError(_("The download was interrupted (%(error)s).") % {"error": _short(error)},
                         code="interrupted") from error
    return b"".join(chunks)


def _header(response: httpx.Response, name: str, limit: int) -> str:
    value = response.headers.get(name, "").strip()
    return value if len(value) <= limit and value.isprintable() else ""


def _short(error: Exception) -> str:
    return "".join(c if c.isprintable() else "?" for c in str(error) or type(error).__name__)[:160]


def _too_slow(seconds: float) -> FetchError:
    return FetchError(_("The server did not send the calendar within %(seconds)s seconds.")
                      % {"seconds": f"{seconds:g}"}, code="timeout")


def _too_large(limit: int) -> FetchError:
    return FetchError(_("The calendar is larger than %(max)s, the most that can be fetched.")
                      % {"max": filesizeformat(limit)}, code="too_large")


def _web_page() -> FetchError:
    return FetchError(_("The address gives a web page, not a calendar: use the calendar's iCalendar (.ics) "
                        "link."), code="web_page")
