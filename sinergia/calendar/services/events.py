"""Writes of events: create, update, publish (after the clash check), cancel, delete."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergia.calendar.clash import Clash
from sinergia.calendar.models import Event
from sinergia.calendar.rules import EDITING_ROLES
from sinergia.calendar.services._data import CleanEvent, EventData, clean_event_data
from sinergia.calendar.services.occurrences import occurrences_refresh
from sinergia.core.images import validate_image
from sinergia.core.services import audit_record, notify_in_language
from sinergia.directory.models import Organisation, OrganisationMember
from sinergia.networks.selectors import network_coordinator_users

REASON_MAX_LENGTH = 2000
# What a calendar shows of an event: a change to any of these is a new revision (SEQUENCE) for subscribers.
SHOWN_FIELDS = ("title", "description", "language", "category", "place_name", "address", "locality", "province",
                "region", "country", "latitude", "longitude", "start", "end", "all_day", "timezone", "rrule", "rdates",
                "exdates", "is_free", "price", "booking_url", "accessibility", "visibility")
SCHEDULE_FIELDS = ("start", "end", "all_day", "timezone", "rrule", "rdates", "exdates", "latitude", "longitude")
RELATED_FIELDS = ("audiences", "themes", "co_organisers", "networks")
NOTIFY_BATCH = 500


class StrongClashError(ValidationError):
    """Publishing would strongly clash with events already scheduled; the editor must confirm (`.clashes`)."""

    def __init__(self, clashes: list[Clash]) -> None:
        message = ngettext(
            "This event strongly clashes with %(count)d event already on the calendar: confirm to publish it anyway.",
            "This event strongly clashes with %(count)d events already on the calendar: confirm to publish it "
            "anyway.", len(clashes)) % {"count": len(clashes)}
        super().__init__(message, code="strong_clash")
        self.clashes = clashes


def _require(by: Any, perm: str, obj: Any) -> Any:
    """The acting user, if signed in and allowed; else PermissionDenied."""
    if by is None or not by.is_authenticated or not by.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))
    return by


# --- Create and update --------------------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, organisation: Organisation, by: Any, data: EventData, image: UploadedFile | None = None,
                 publish: bool = False, confirm_clash: bool = False) -> Event:
    """Create an event of the organisation: a draft, or published at once after the clash check."""
    by = _require(by, "calendar.add_event", organisation)
    clean = clean_event_data(data, organisation=organisation)
    extension = validate_event_image(image) if image is not None else ""
    event = Event(organisation=organisation, created_by=by)
    clean.apply(event)
    if publish:
        event.status, event.published_at = Event.Status.PUBLISHED, timezone.now()
    event.save()
    clean.relate(event)
    occurrences_refresh(event=event)
    if publish and not confirm_clash:
        require_no_strong_clash(event=event, viewer=by)
    if image is not None:
        _store_image(event, image, extension)
    audit_record(actor=by, action="calendar.event_created", target=event, data={"status": event.status})
    return event


def event_update(*, event: Event, by: Any, data: EventData, image: UploadedFile | None = None,
                 remove_image: bool = False, confirm_clash: bool = False) -> Event:
    """Change an event (a new revision when a calendar would show the change); refused changes leave it as stored."""
    try:
        return _event_update(event=event, by=by, data=data, image=image, remove_image=remove_image,
                             confirm_clash=confirm_clash)
    except ValidationError:
        event.refresh_from_db()
        raise


@transaction.atomic
def _event_update(*, event: Event, by: Any, data: EventData, image: UploadedFile | None, remove_image: bool,
                  confirm_clash: bool) -> Event:
    by = _require(by, "calendar.change_event", event)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be changed; create a new event instead."))
    clean = clean_event_data(data, organisation=event.organisation)
    extension = validate_event_image(image) if image is not None else ""
    changed = _changes(event, clean)
    if set(changed) & {"start", "end", "all_day", "timezone", "rrule"}:
        event.overrides = []  # moved instances of the old schedule no longer name instances of the new one
    if changed:
        event.sequence += 1
    clean.apply(event)
    event.save()
    clean.relate(event)
    occurrences_refresh(event=event)
    rescheduled = bool(set(changed) & set(SCHEDULE_FIELDS))
    if event.status == Event.Status.PUBLISHED and rescheduled and not confirm_clash:
        require_no_strong_clash(event=event, viewer=by)
    _update_image(event, image, extension, remove_image)
    audit_record(actor=by, action="calendar.event_updated", target=event, data={"fields": changed})
    return event


def _changes(event: Event, clean: CleanEvent) -> list[str]:
    """Names of the shown fields and relations the clean data changes."""
    changed = [name for name in SHOWN_FIELDS if name in clean.fields and getattr(event, name) != clean.fields[name]]
    for name in RELATED_FIELDS:
        stored = set(getattr(event, name).values_list("pk", flat=True))
        if stored != {item.pk for item in getattr(clean, name)}:
            changed.append(name)
    return changed


# --- Publish, cancel, delete --------------------------------------------------------------------------------------


@transaction.atomic
def event_publish(*, event: Event, by: Any, confirm_clash: bool = False) -> Event:
    """Publish a draft; a strong clash with what is already scheduled needs `confirm_clash`."""
    by = _require(by, "calendar.change_event", event)
    _lock_status(event)
    if event.status != Event.Status.DRAFT:
        raise ValidationError(_("Only drafts can be published; this event is %(status)s.")
                              % {"status": event.get_status_display().lower()})
    if not confirm_clash:
        require_no_strong_clash(event=event, viewer=by)
    event.status, event.published_at = Event.Status.PUBLISHED, timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=by, action="calendar.event_published", target=event, data={"confirmed_clash": confirm_clash})
    return event


@transaction.atomic
def event_cancel(*, event: Event, by: Any, reason: str = "") -> Event:
    """Cancel a published event: it stays on calendars, marked cancelled; co-organisers and coordinators are told."""
    by = _require(by, "calendar.change_event", event)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("The reason is too long (at most %(limit)d characters).")
                               % {"limit": REASON_MAX_LENGTH}})
    _lock_status(event)
    if event.status == Event.Status.DRAFT:
        raise ValidationError(_("A draft is not on the calendar: delete it instead of cancelling it."))
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is already cancelled."))
    event.status, event.sequence = Event.Status.CANCELLED, event.sequence + 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    event.occurrences.update(cancelled=True)
    audit_record(actor=by, action="calendar.event_cancelled", target=event, data={"reason": reason})
    event_cancel_notify(event=event, by=by, reason=reason)
    return event


@transaction.atomic
def event_delete(*, event: Event, by: Any) -> None:
    """Delete a draft (published events are cancelled instead, so that subscribed calendars learn of it)."""
    by = _require(by, "calendar.change_event", event)
    _lock_status(event)
    if event.status != Event.Status.DRAFT:
        raise ValidationError(_("Only drafts can be deleted; cancel a published event instead, so that calendars "
                                "showing it learn of the cancellation."))
    audit_record(actor=by, action="calendar.event_deleted", target=event, data={"title": event.title})
    _delete_image_on_commit(event)
    event.delete()


def require_no_strong_clash(*, event: Event, viewer: Any) -> None:
    """Raise StrongClashError if the event strongly clashes with occurrences the viewer can see."""
    from sinergia.calendar.selectors import event_clashes  # selectors read services' results, not the reverse

    strong = [clash for clash in event_clashes(event=event, viewer=viewer) if clash.strong]
    if strong:
        raise StrongClashError(strong)


def _lock_status(event: Event) -> None:
    """Re-read the status and revision under a row lock, so two editors' actions cannot cross."""
    event.status, event.sequence = (Event.objects.select_for_update().filter(pk=event.pk)
                                    .values_list("status", "sequence").get())


def event_cancel_notify(*, event: Event, by: Any = None, reason: str = "") -> None:
    """Tell the co-organisers' editors and the coordinators of the event's networks that it was cancelled.

    `by` (not told) is whoever cancelled it; None when the organisation's own import or feed did.
    """
    _tell_cancelled(event, _Watchers.read([event]), by=by, reason=reason)


def events_cancel_notify(*, event_ids: Sequence[int], by: Any = None) -> None:
    """`event_cancel_notify` for events an import or a feed's sync cancelled together, a batch at a time."""
    for offset in range(0, len(event_ids), NOTIFY_BATCH):
        events = list(Event.objects.filter(pk__in=event_ids[offset:offset + NOTIFY_BATCH])
                      .select_related("organisation").prefetch_related("co_organisers", "networks"))
        watchers = _Watchers.read(events)
        for event in events:
            _tell_cancelled(event, watchers, by=by, reason="")


@dataclass(frozen=True)
class _Watchers:
    """Who hears of cancellations, read once for a batch of events: editors by organisation, coordinators by
    network."""

    editors: dict[int, list[Any]]
    coordinators: dict[int, list[Any]]

    @classmethod
    def read(cls, events: list[Event]) -> Self:
        organisation_ids = {organisation.pk for event in events for organisation in event.co_organisers.all()}
        networks = {network.pk: network for event in events for network in event.networks.all()}
        editors: dict[int, list[Any]] = defaultdict(list)
        roles = OrganisationMember.objects.filter(organisation_id__in=organisation_ids, role__in=EDITING_ROLES,
                                                  user__is_active=True).select_related("user")
        for role in roles if organisation_ids else ():
            editors[role.organisation_id].append(role.user)
        coordinators = {pk: list(network_coordinator_users(network=network)) for pk, network in networks.items()}
        return cls(editors=editors, coordinators=coordinators)

    def of(self, event: Event) -> dict[int, Any]:
        users = {user.pk: user for organisation in event.co_organisers.all()
                 for user in self.editors.get(organisation.pk, ())}
        users.update({user.pk: user for network in event.networks.all()
                      for user in self.coordinators.get(network.pk, ())})
        return users


def _tell_cancelled(event: Event, watchers: _Watchers, *, by: Any, reason: str) -> None:
    users = watchers.of(event)
    if by is not None:
        users.pop(by.pk, None)
    # A notification's title holds 255 characters; the two names are cut so the sentence always fits.
    params = {"event": Truncator(event.title).chars(100), "organisation": Truncator(event.organisation.name).chars(100)}
    notify_in_language(
        users=users.values(), kind="calendar.event_cancelled",
        title=lambda: _("“%(event)s” of %(organisation)s has been cancelled") % params,
        body=lambda: (_("Reason: %(reason)s") % {"reason": reason}) if reason else "",
        url=lambda: reverse("calendar:event", kwargs={"pk": event.pk}),
    )


# --- Image --------------------------------------------------------------------------------------------------------


def validate_event_image(image: UploadedFile) -> str:
    """Check that the upload is a PNG, JPEG, GIF or WebP image within the size limit; return its extension."""
    return validate_image(image, field="image", max_bytes=settings.CALENDAR_IMAGE_MAX_BYTES,
                          too_large=_("The image is %(size)s; an event's image may be at most %(limit)s."))


def _store_image(event: Event, image: UploadedFile, extension: str) -> None:
    old_name, storage = event.image.name, event.image.storage
    event.image.save(f"event-{event.pk}.{extension}", image, save=False)
    event.save(update_fields=["image", "updated_at"])
    if old_name and old_name != event.image.name:
        transaction.on_commit(lambda: storage.delete(old_name))


def _update_image(event: Event, image: UploadedFile | None, extension: str, remove: bool) -> None:
    if image is not None:
        _store_image(event, image, extension)
    elif remove and event.image:
        _delete_image_on_commit(event)
        event.image = ""
        event.save(update_fields=["image", "updated_at"])


def _delete_image_on_commit(event: Event) -> None:
    name, storage = event.image.name, event.image.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
