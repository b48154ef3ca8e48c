"""Playwright driving Debian's chromium against the live test server, with axe-core checks."""

from collections.abc import Callable, Iterator

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests import factories

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Impacts that fail a page; minor and moderate findings are reported by axe but not blocking.
BLOCKING_IMPACTS = {"serious", "critical"}
PASSWORD = "correct horse battery staple"
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 740}

OpenPage = Callable[..., Page]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def offline_tiles(live_server, settings) -> None:
    """Map tiles come from the live server instead of OpenStreetMap: the tests need no network."""
    settings.MAP_TILE_URL = f"{live_server.url}/static/vendor/leaflet/images/marker-icon.png?{{z}}{{x}}{{y}}"


@pytest.fixture
def browser_errors() -> list[str]:
    """Script errors and failed requests of the site seen by every page a test opened."""
    return []


@pytest.fixture(scope="session")
def idle_contexts(browser: Browser, live_server) -> dict[tuple, list[BrowserContext]]:
    """Browser contexts kept between tests, so that the static files stay in their HTTP cache."""
    return {}


@pytest.fixture
def open_page(browser: Browser, live_server, offline_tiles, browser_errors, idle_contexts) -> Iterator[OpenPage]:
    """Open a page in a browser context of its own, anonymous or already signed in as a user."""
    taken: list[tuple[tuple, BrowserContext]] = []

    def open_(user=None, *, viewport: dict | None = None, locale: str = "en-GB") -> Page:
        key = (tuple(sorted((viewport or DESKTOP).items())), locale)
        pool = idle_contexts.setdefault(key, [])
        context = pool.pop() if pool else browser.new_context(base_url=live_server.url, locale=locale,
                                                              viewport=viewport or DESKTOP)
        taken.append((key, context))
        if user is not None:
            context.add_cookies([session_cookie(user, live_server.url)])
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("dialog", lambda dialog: dialog.accept())
        page.on("pageerror", lambda error: browser_errors.append(f"{page.url}: {error}"))
        page.on("response", lambda response: _record_failed_asset(response, live_server.url, browser_errors))
        return page

    yield open_
    for key, context in taken:
        for page in context.pages:
            page.close()
        context.clear_cookies()
        idle_contexts[key].append(context)


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    """A fresh anonymous browser context whose relative URLs go to the live server."""
    return open_page()


def _record_failed_asset(response, base_url: str, errors: list[str]) -> None:
    """A static file or a page of the site that answered with an error."""
    server_error = response.url.startswith(base_url) and response.status >= 500
    if server_error or ("/static/" in response.url and response.status >= 400):
        errors.append(f"{response.status} {response.url}")


def session_cookie(user, base_url: str) -> dict:
    """The session cookie of a signed-in user, as a browser context takes it (the sign-in form is tested once)."""
    client = Client()
    client.force_login(user)
    return {"name": django_settings.SESSION_COOKIE_NAME, "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
            "url": base_url}


def verified_user(**kwargs):
    """A user whose e-mail address allauth knows as verified, so that they can sign in."""
    user = factories.UserFactory(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def sign_in(page: Page, language: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form of the site in a language."""
    page.goto(f"/{language}/accounts/login/")
    fill_sign_in(page, email, password)


def fill_sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fill and send the login form shown on the page."""
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_be_visible()


def assert_accessible(page: Page) -> None:
    """Fail when axe-core finds a serious or critical WCAG violation on the current page."""
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in blocking
    )
    assert not blocking, f"Accessibility violations on {page.url}:\n{details}"
