"""The editor: an organisation's events, the event form with its live clash check, publish, cancel, delete."""

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sinergia.calendar import selectors, services
from sinergia.calendar.clash import Clash, ClashSettings, ClashSubject
from sinergia.calendar.describe import describe_recurrence
from sinergia.calendar.forms import (
    CancelForm,
    ClashSettingsForm,
    EventForm,
    Plan,
    add_service_error,
    event_data,
    initial_for,
    organisation_suggestions,
    plan,
)
from sinergia.calendar.models import Event
from sinergia.calendar.occurrences import horizon, plan_spans
from sinergia.directory.models import Organisation
from sinergia.directory.selectors import get_organisation_for, organisation_list

PLANNED_OCCURRENCES = 52
CLASHES_SHOWN = 20
LIKELY_CLASH = 0.35
# The htmx lookups of the organisation choosers: the datalist asking → (the field typed in, only located ones).
SUGGESTION_TARGETS = {"venue-options": ("venue", True), "co-organiser-options": ("co_organiser_search", False)}
# Posted values the publish confirmation does not send again.
NOT_REPOSTED = frozenset({"csrfmiddlewaretoken", "confirm_clash", "review", "action"})


@login_required
def organisation_events(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's events, drafts and cancelled ones included, with what can be done to each."""
    organisation = get_organisation_for(user=request.user, slug=slug, perm="calendar.add_event")
    status = request.GET.get("status", "")
    events = selectors.organisation_events(organisation=organisation, viewer=request.user)
    if status in Event.Status.values:
        events = events.filter(status=status)
    page = Paginator(events, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(event, _repeats(event)) for event in page]
    return render(request, "calendar/organisation_events.html", {
        "organisation": organisation, "page": page, "rows": rows, "status": status,
        "statuses": Event.Status.choices, "can_manage_feeds": request.user.has_perm("calendar.manage_feeds",
                                                                                      organisation)})


@login_required
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A new event of the organisation, saved as a draft or published (asking first when it clashes strongly)."""
    organisation = get_organisation_for(user=request.user, slug=slug, perm="calendar.add_event")
    if (options := _suggestions(request)) is not None:
        return options
    form = EventForm(request.POST or None, request.FILES or None, organisation=organisation, viewer=request.user,
                     initial=_initial_day(request))
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("action") == "publish"
        try:
            event, clashed = _create(request, form, organisation, publish=publish)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if clashed:  # the confirmation page says it is a draft until confirmed
                return redirect("calendar:event_publish", pk=event.pk)
            messages.success(request, _("The event is published.") if publish else _("The draft is saved."))
            return redirect("calendar:event", pk=event.pk)
    return _form_page(request, form, organisation, None)


def _create(request: HttpRequest, form: EventForm, organisation: Organisation, *,
            publish: bool) -> tuple[Event, bool]:
    """Create the event; on a strong clash save it as a draft instead, to be confirmed (then True)."""
    image = form.cleaned_data["image"]
    arguments = {"organisation": organisation, "by": request.user, "data": event_data(form), "image": image}
    try:
        return services.event_create(**arguments, publish=publish), False
    except services.StrongClashError:
        if image:
            image.seek(0)
        return services.event_create(**arguments, publish=False), True


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an event; a published one whose date or place changed asks first when it now clashes strongly."""
    event = selectors.event_get_for(user=request.user, pk=pk, perm="calendar.change_event")
    if (options := _suggestions(request)) is not None:
        return options
    form = EventForm(request.POST or None, request.FILES or None, organisation=event.organisation,
                     viewer=request.user, initial=initial_for(event), stored_rule=event.rrule)
    if request.method == "POST" and not request.POST.get("review") and form.is_valid():
        try:
            services.event_update(event=event, by=request.user, data=event_data(form, rdates=event.rdates),
                                  image=form.cleaned_data["image"], remove_image=form.cleaned_data["remove_image"],
                                  confirm_clash=request.POST.get("confirm_clash") == "1")
        except services.StrongClashError as clash:
            return _confirm(request, event, clash.clashes, reposted=_reposted(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if request.POST.get("action") == "publish" and event.status == Event.Status.DRAFT:
                return _publish(request, event, confirm=False)
            messages.success(request, _("The changes are saved."))
            return redirect("calendar:event", pk=event.pk)
    return _form_page(request, form, event.organisation, event)


@login_required
@require_http_methods(["GET", "POST"])
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a draft; a strong clash is shown first and must be confirmed."""
    event = selectors.event_get_for(user=request.user, pk=pk, perm="calendar.change_event")
    if request.method == "POST":
        return _publish(request, event, confirm=request.POST.get("confirm_clash") == "1")
    if event.status != Event.Status.DRAFT:
        messages.info(request, _("Only drafts can be published; this event is %(status)s.")
                      % {"status": event.get_status_display().lower()})
        return redirect("calendar:event", pk=event.pk)
    clashes = [clash for clash in selectors.event_clashes(event=event, viewer=request.user) if clash.strong]
    return _confirm(request, event, clashes)


def _publish(request: HttpRequest, event: Event, *, confirm: bool) -> HttpResponse:
    try:
        services.event_publish(event=event, by=request.user, confirm_clash=confirm)
    except services.StrongClashError as clash:
        return _confirm(request, event, clash.clashes)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("calendar:event_edit", pk=event.pk)
    messages.success(request, _("The event is published."))
    return redirect("calendar:event", pk=event.pk)


def _confirm(request: HttpRequest, event: Event, clashes: list[Clash], *,
             reposted: list | None = None) -> HttpResponse:
    """The page that lists the strong clashes and asks to publish anyway or to change the date."""
    return render(request, "calendar/event_publish_confirm.html", {
        "event": event, "rows": _rows([clash for clash in clashes if clash.strong], event.timezone),
        "reposted": reposted, "image_dropped": bool(request.FILES.get("image"))})


def _reposted(request: HttpRequest) -> list[tuple[str, list[str]]]:
    """The posted form, to send again with the confirmation (files cannot be sent again)."""
    return [(name, values) for name, values in request.POST.lists() if name not in NOT_REPOSTED]


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an event with a reason: it stays on the calendar, marked cancelled, and partners are told."""
    event = selectors.event_get_for(user=request.user, pk=pk, perm="calendar.change_event")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(event=event, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event is cancelled."))
            return redirect("calendar:org_events", slug=event.organisation.slug)
    return render(request, "calendar/event_cancel.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft (published events are cancelled instead, so calendars that copied them learn it)."""
    event = selectors.event_get_for(user=request.user, pk=pk, perm="calendar.change_event")
    if request.method == "POST":
        slug = event.organisation.slug
        try:
            services.event_delete(event=event, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("calendar:event", pk=event.pk)
        messages.success(request, _("The draft is deleted."))
        return redirect("calendar:org_events", slug=slug)
    return render(request, "calendar/event_delete.html", {"event": event})


@login_required
@require_POST
def clash_check(request: HttpRequest) -> HttpResponse:
    """The live clash panel for the event form's current values (htmx), or what the check still needs."""
    organisation = get_organisation_for(user=request.user, slug=request.POST.get("organisation", "")[:120],
                                        perm="calendar.add_event")
    event = None
    if request.POST.get("event", "").isdigit():
        event = selectors.event_get_for(user=request.user, pk=int(request.POST["event"]), perm="calendar.change_event")
    form = EventForm(request.POST, organisation=organisation, viewer=request.user)
    form.is_valid()
    planned, missing = plan(form)
    radius, buffer = ClashSettingsForm(request.POST, prefix="clash").values()
    context: dict[str, Any] = {"missing": missing, "radius": radius, "buffer": int(buffer.total_seconds() // 60),
                               "plan": planned}
    if planned is not None:
        subjects = _subjects(planned, organisation, event)
        clashes = selectors.planned_clashes(subjects=subjects, settings=ClashSettings(buffer=buffer, radius_km=radius),
                                            viewer=request.user, limit=CLASHES_SHOWN) if subjects else []
        context.update(upcoming=len(subjects), rows=_rows(clashes, planned.timezone),
                       strong=sum(1 for clash in clashes if clash.strong))
    return render(request, "calendar/_clashes.html", context)


def _subjects(planned: Plan, organisation: Organisation, event: Event | None) -> list[ClashSubject]:
    """The plan's next occurrences (at most PLANNED_OCCURRENCES, none in the past) as clash subjects."""
    window = (timezone.now(), horizon()[1])
    spans = plan_spans(start=planned.start, end=planned.end, all_day=planned.all_day, timezone=planned.timezone,
                       rrule=planned.rrule, exdates=planned.exdates, window=window, limit=PLANNED_OCCURRENCES)
    zone = planned.start.tzinfo
    shape = ClashSubject(start=planned.start, end=planned.end, all_day=planned.all_day, latitude=planned.latitude,
                         longitude=planned.longitude, network_ids=planned.network_ids, audiences=planned.audiences,
                         themes=planned.themes, organisation_id=organisation.pk, event_id=event.pk if event else None)
    return [dataclasses.replace(shape, start=_aware(start).astimezone(zone), end=_aware(end).astimezone(zone))
            for start, end in spans.occurrences if start not in spans.cancelled]


def _aware(moment: date) -> datetime:
    """plan_spans gives aware instants; the type says date because the expansion it shares may give dates."""
    assert isinstance(moment, datetime)
    return moment


@dataclass(frozen=True)
class ClashRow:
    """One clash as the panel and the confirmation show it."""

    clash: Clash
    organisation: str
    start: datetime | date
    end: datetime | date
    level: str
    level_label: str

    @property
    def points(self) -> int:
        """The score out of 100, rounded down so that a clash short of strong never reads as the threshold."""
        return int(self.clash.score * 100)


def _rows(clashes: list[Clash], zone_name: str) -> list[ClashRow]:
    """The clashes with their organisation's name, their time in the event's zone and the score in words."""
    ids = {clash.candidate.organisation_id for clash in clashes if clash.candidate.organisation_id is not None}
    names = dict(organisation_list().filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    zone = ZoneInfo(zone_name)
    return [ClashRow(clash, names.get(clash.candidate.organisation_id or 0, ""), *_when(clash, zone), *_level(clash))
            for clash in clashes]


def _when(clash: Clash, zone: ZoneInfo) -> tuple[Any, Any]:
    candidate = clash.candidate
    if candidate.all_day:
        # All-day occurrences are held in their own zone: their dates are what they are there.
        last = candidate.end if candidate.end.time() != time.min else candidate.end - timedelta(days=1)
        return candidate.start.date(), max(last.date(), candidate.start.date())
    return candidate.start.astimezone(zone), candidate.end.astimezone(zone)


def _level(clash: Clash) -> tuple[str, str]:
    if clash.strong:
        return "strong", _("Strong clash")
    if clash.score >= LIKELY_CLASH:
        return "likely", _("Likely clash")
    return "slight", _("Slight clash")


def _repeats(event: Event) -> str:
    return describe_recurrence(rrule=event.rrule, start=event.start, timezone=event.timezone,
                               extra_dates=len(event.rdates or ()), excluded_dates=len(event.exdates or ()))


def _initial_day(request: HttpRequest) -> dict[str, Any]:
    """A day suggested by the free-date finder (?date=YYYY-MM-DD) pre-fills the start."""
    try:
        day = date.fromisoformat(request.GET.get("date", "")[:10])
    except ValueError:
        return {}
    return {"start_date": day}


def _suggestions(request: HttpRequest) -> HttpResponse | None:
    """The organisation chooser's htmx lookup (a datalist's options), answered by the form's own address."""
    target = request.headers.get("HX-Target", "")
    if request.method != "GET" or request.headers.get("HX-Request") != "true" or target not in SUGGESTION_TARGETS:
        return None
    field, located = SUGGESTION_TARGETS[target]
    organisations = organisation_suggestions(query=request.GET.get(field, ""), viewer=request.user, located=located)
    return render(request, "calendar/_editor_organisation_options.html", {"organisations": organisations})


def _form_page(request: HttpRequest, form: EventForm, organisation: Organisation, event: Event | None) -> HttpResponse:
    return render(request, "calendar/event_form.html", {
        "form": form, "organisation": organisation, "event": event,
        "clash_settings": ClashSettingsForm(prefix="clash"), "clash_url": reverse("calendar:clash_check")})
