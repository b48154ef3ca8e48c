"""Importing an organisation's existing calendar: an .ics file checked then imported, and feeds kept in sync.

Between the check and the import nothing is kept on the server: the import sends the same file again (with htmx
the browser still holds it, so the user does not choose it twice) together with a signed note of the check, which
binds the user, the organisation and the file's SHA-256 for 30 minutes. A file that is not the one checked is
checked again instead of imported. A per-process cache would lose the file whenever the import reaches another web
worker, and a stored copy would need a clean-up of abandoned uploads.
"""

import hashlib
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from sinergia.calendar.forms_planning import FeedForm, FeedRemoveForm, IcsUploadForm
from sinergia.calendar.models import CalendarFeed, Event
from sinergia.calendar.services import feeds as feed_services
from sinergia.calendar.services import imports as import_services
from sinergia.calendar.services.imports import ImportReport
from sinergia.calendar.tasks import sync_feed_task
from sinergia.directory.forms import add_service_error
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import get_organisation_for

CHECK, APPLY, APPLY_SKIPPING = "check", "apply", "apply_skip"
CHECK_SALT = "sinergia.calendar.import-check"
CHECK_MAX_AGE = 30 * 60
ITEMS_SHOWN = 200
# "Sync now" reaches another server: once a minute per feed is enough.
SYNC_NOW_SECONDS = 60
PERM = "calendar.manage_feeds"


@dataclass(frozen=True)
class ImportOutcome:
    """What the import page shows after a check or an import."""

    report: ImportReport
    check: str = ""
    notice: str = ""

    @property
    def others(self) -> int:
        """The events of the file that are not rejected."""
        report = self.report
        return len(report.added) + len(report.updated) + len(report.unchanged) + len(report.cancelled)

    @property
    def groups(self) -> list[tuple[str, list[Event]]]:
        """The events added, updated and cancelled, each with its heading."""
        report = self.report
        return [(pgettext("imported events", "Added"), report.added),
                (pgettext("imported events", "Updated"), report.updated),
                (pgettext("imported events", "Cancelled"), report.cancelled)]

    @property
    def changes(self) -> int:
        """The events an import would add, update or cancel."""
        return len(self.report.added) + len(self.report.updated) + len(self.report.cancelled)


@login_required
def ics_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload an .ics file: a check lists what would change and what is rejected; then import it."""
    organisation = get_organisation_for(user=request.user, slug=slug, perm=PERM)
    form = IcsUploadForm(request.POST or None, request.FILES or None)
    outcome = _import(request, organisation, form) if request.method == "POST" and form.is_valid() else None
    results_only = _is_htmx(request)
    context = {"organisation": organisation, "form": form, "outcome": outcome, "shown": ITEMS_SHOWN,
               "results_only": results_only}
    return render(request, "calendar/_import_report.html" if results_only else "calendar/import.html", context)


def _is_htmx(request: HttpRequest) -> bool:
    """The request comes from htmx, which swaps the report alone (not a history restore)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


def _import(request: HttpRequest, organisation: Organisation, form: IcsUploadForm) -> ImportOutcome | None:
    """Check the file, or import it when it is the one checked; the file's problems go on the form."""
    data, action = form.cleaned_data["file"], request.POST.get("action", CHECK)
    digest = hashlib.sha256(data).hexdigest()
    confirmed = action in (APPLY, APPLY_SKIPPING) and _is_checked(request, organisation, digest)
    try:
        report = import_services.ics_import(
            organisation=organisation, data=data, by=request.user, dry_run=not confirmed,
            skip_rejected=confirmed and action == APPLY_SKIPPING, category=form.cleaned_data["category"],
            visibility=form.cleaned_data["visibility"])
    except ValidationError as error:
        _file_errors(form, error)
        return None
    notice = "" if confirmed or action == CHECK else _(
        "This is not the file that was checked, or its check is more than 30 minutes old: here is a new check.")
    check = "" if report.applied else _check_note(request, organisation, digest)
    return ImportOutcome(report=report, check=check, notice=notice)


def _check_note(request: HttpRequest, organisation: Organisation, digest: str) -> str:
    return signing.dumps({"user": request.user.pk, "organisation": organisation.pk, "sha256": digest},
                         salt=CHECK_SALT)


def _is_checked(request: HttpRequest, organisation: Organisation, digest: str) -> bool:
    """The posted check note is ours, recent, and about this user, organisation and file."""
    try:
        note = signing.loads(request.POST.get("check", ""), salt=CHECK_SALT, max_age=CHECK_MAX_AGE)
    except signing.BadSignature:
        return False
    return note == {"user": request.user.pk, "organisation": organisation.pk, "sha256": digest}


def _file_errors(form: IcsUploadForm, error: ValidationError) -> None:
    """A service's objection: on the form's fields it names, else on the file."""
    if hasattr(error, "error_dict"):
        add_service_error(form, error)
    else:
        form.add_error("file", error)


@login_required
def feed_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's feeds with their sync status, counts, last error and rejected items; add one."""
    organisation = get_organisation_for(user=request.user, slug=slug, perm=PERM)
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feed = feed_services.feed_add(
                organisation=organisation, by=request.user, url=form.cleaned_data["url"],
                name=form.cleaned_data["name"], category=form.cleaned_data["category"],
                visibility=form.cleaned_data["visibility"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            # The service starts the first sync: "Sync now" waits its minute like any other.
            cache.add(_sync_key(feed), True, SYNC_NOW_SECONDS)
            messages.success(request, _("The feed has been added; its first sync has started."))
            return redirect("calendar:feeds", slug=organisation.slug)
    feeds = organisation.calendar_feeds.order_by("name", "url")
    return render(request, "calendar/feeds.html", {"organisation": organisation, "form": form, "feeds": feeds})


def _managed_feed(request: HttpRequest, pk: int) -> CalendarFeed:
    """The feed, for someone who manages its organisation's feeds (404 for anyone else: feeds are private)."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("organisation"), pk=pk)
    listed = feed.organisation.is_active or request.user.is_staff
    if not (listed and request.user.has_perm(PERM, feed.organisation)):
        raise Http404
    return feed


def _sync_key(feed: CalendarFeed) -> str:
    return f"calendar:feed-sync-now:{feed.pk}"


def _enqueue_sync(feed: CalendarFeed) -> bool:
    """Ask the task worker to sync the feed, at most once a minute per feed."""
    if not cache.add(_sync_key(feed), True, SYNC_NOW_SECONDS):
        return False
    sync_feed_task.enqueue(feed.pk)
    return True


@login_required
@require_POST
def feed_sync_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Sync a feed now rather than at its next turn."""
    feed = _managed_feed(request, pk)
    if _enqueue_sync(feed):
        messages.success(request, _("The sync of “%(feed)s” has started: reload this page in a moment to see the "
                                    "result.") % {"feed": feed})
    else:
        messages.info(request, _("“%(feed)s” was asked to sync less than a minute ago: wait a moment.")
                      % {"feed": feed})
    return redirect("calendar:feeds", slug=feed.organisation.slug)


@login_required
def feed_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then stop syncing a feed; its events still to come are kept as the organisation's own or cancelled."""
    feed = _managed_feed(request, pk)
    form = FeedRemoveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = feed_services.feed_remove(feed=feed, by=request.user, cancel_future=form.cancel_future())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _removed_message(feed, cancelled))
        return redirect("calendar:feeds", slug=feed.organisation.slug)
    upcoming = feed_services.feed_future_events(feed=feed, now=timezone.now()).count()
    return render(request, "calendar/feed_remove.html",
                  {"feed": feed, "organisation": feed.organisation, "upcoming": upcoming, "form": form})


def _removed_message(feed: CalendarFeed, cancelled: int) -> str:
    if not cancelled:
        return _("The feed “%(feed)s” has been removed.") % {"feed": feed}
    return ngettext("The feed “%(feed)s” has been removed and its %(count)d event still to come cancelled.",
                    "The feed “%(feed)s” has been removed and its %(count)d events still to come cancelled.",
                    cancelled) % {"feed": feed, "count": cancelled}
