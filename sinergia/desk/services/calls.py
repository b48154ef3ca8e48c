"""Writes of funding calls: create, change, publish, withdraw; documents; follows; the trusted publishers."""

from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sinergia.core.services import audit_record, notify_in_language
from sinergia.desk.models import CallDocument, CallFollow, CallPublisher, FundingCall
from sinergia.desk.rules.calls import forget_cached_publishers
from sinergia.desk.services.calls_data import CallData, call_data_clean
from sinergia.desk.services.calls_files import document_file_check, document_file_store
from sinergia.directory.models import Organisation

MAX_DOCUMENTS = 20
Status = FundingCall.Status


def _require(by: Any, perm: str, obj: Any) -> Any:
    """The acting user, if signed in and allowed; else PermissionDenied."""
    if by is None or not by.is_authenticated or not by.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))
    return by


def _apply(call: FundingCall, values: dict[str, Any]) -> list:
    """Set the call's fields; returns its topics, to set once it is saved."""
    topics = values.pop("topics")
    for name, value in values.items():
        setattr(call, name, value)
    return topics


@transaction.atomic
def call_create(*, by: Any, data: CallData, organisation: Organisation | None = None) -> FundingCall:
    """A new draft call, on behalf of a trusted publisher (or of nobody, by an operator)."""
    by = _require(by, "desk.add_fundingcall", organisation)
    values = call_data_clean(data, require_future=False)
    call = FundingCall(organisation=organisation, created_by=by, status=Status.DRAFT)
    topics = _apply(call, values)
    call.save()
    call.topics.set(topics)
    audit_record(actor=by, action="desk.call_created", target=call)
    return call


@transaction.atomic
def call_update(*, call: FundingCall, by: Any, data: CallData) -> FundingCall:
    """Change a call; followers of a published call are told when its deadline moves."""
    by = _require(by, "desk.change_fundingcall", call)
    call = FundingCall.objects.select_for_update().get(pk=call.pk)
    values = call_data_clean(data, require_future=call.status == Status.PUBLISHED)
    previous = call.deadline
    topics = _apply(call, values)
    call.save()
    call.topics.set(topics)
    moved = previous != call.deadline
    audit_record(actor=by, action="desk.call_updated", target=call,
                 data={"deadline_moved": moved} if moved else None)
    if moved and call.status == Status.PUBLISHED:
        _notify_followers(call, kind="desk.call_changed", title=lambda: _deadline_moved_title(call))
    return call


@transaction.atomic
def call_publish(*, call: FundingCall, by: Any) -> FundingCall:
    """Publish a draft (or a withdrawn call again): everyone sees it; its deadline must be in the future."""
    by = _require(by, "desk.publish_fundingcall", call)
    call = FundingCall.objects.select_for_update().get(pk=call.pk)
    if call.status == Status.PUBLISHED:
        raise ValidationError(_("This call is already published."), code="published")
    if call.deadline <= timezone.now():
        raise ValidationError({"deadline": [_("The deadline has passed: set a deadline in the future before "
                                              "publishing the call.")]})
    call.status, call.published_at = Status.PUBLISHED, call.published_at or timezone.now()
    call.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=by, action="desk.call_published", target=call)
    return call


@transaction.atomic
def call_withdraw(*, call: FundingCall, by: Any, reason: str = "") -> FundingCall:
    """Withdraw a published call: only its organisation and operators see it; followers are told."""
    by = _require(by, "desk.withdraw_fundingcall", call)
    call = FundingCall.objects.select_for_update().get(pk=call.pk)
    if call.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published call can be withdrawn."), code="not_published")
    call.status = Status.WITHDRAWN
    call.save(update_fields=["status", "updated_at"])
    reason = " ".join((reason or "").split())[:500]
    audit_record(actor=by, action="desk.call_withdrawn", target=call, data={"reason": reason})
    _notify_followers(call, kind="desk.call_withdrawn", body=lambda: reason,
                      title=lambda: _("The call “%(title)s” was withdrawn.") % {"title": call.title[:100]})
    return call


def _deadline_moved_title(call: FundingCall) -> str:
    when = formats.date_format(timezone.localtime(call.deadline, call_zone(call)), "DATETIME_FORMAT")
    return _("New deadline for “%(title)s”: %(when)s (%(zone)s).") % {"title": call.title[:100], "when": when,
                                                                      "zone": call.time_zone}


def call_zone(call: FundingCall) -> ZoneInfo:
    """The call's own time zone."""
    return ZoneInfo(call.time_zone)


def _notify_followers(call: FundingCall, *, kind: str, title: Any, body: Any = str) -> None:
    followers = [follow.user for follow in call.follows.select_related("user").filter(user__is_active=True)]
    url = (lambda: reverse("desk:call_detail", args=[call.pk])) if call.status == Status.PUBLISHED else (
        lambda: reverse("desk:call_list"))
    notify_in_language(users=followers, kind=kind, title=title, body=body, url=url)


# --- Documents ------------------------------------------------------------------------------------------------------


@transaction.atomic
def call_document_add(*, call: FundingCall, by: Any, title: str, upload: UploadedFile | None = None,
                      url: str = "") -> CallDocument:
    """Attach a PDF, ODT or DOCX file (checked by its content) or a link to the call."""
    by = _require(by, "desk.change_fundingcall", call)
    if call.documents.count() >= MAX_DOCUMENTS:
        raise ValidationError(_("A call has at most %(count)d documents.") % {"count": MAX_DOCUMENTS})
    document = CallDocument(call=call, title=" ".join((title or "").split())[:255], url=(url or "").strip())
    _check_document(document, upload)
    if upload is not None:
        document_file_store(document=document, upload=upload, extension=document_file_check(upload))
    document.save()
    audit_record(actor=by, action="desk.call_document_added", target=call, data={"document": document.title})
    return document


def _check_document(document: CallDocument, upload: UploadedFile | None) -> None:
    errors: dict[str, list[str]] = {}
    if not document.title:
        errors["title"] = [_("Give the document a title.")]
    if (upload is None) == (not document.url):
        errors["url"] = [_("Upload a file or give a link, not both.") if upload is not None
                         else _("Upload a file or give a link.")]
    if document.url:
        try:
            document.clean_fields(exclude=["call", "title", "file"])
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if upload is not None:
        document_file_check(upload)


@transaction.atomic
def call_document_remove(*, document: CallDocument, by: Any) -> None:
    """Remove a document of the call (its file is deleted once the transaction commits)."""
    by = _require(by, "desk.change_fundingcall", document.call)
    name, storage = document.file.name, document.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    audit_record(actor=by, action="desk.call_document_removed", target=document.call,
                 data={"document": document.title})
    document.delete()


# --- Follows --------------------------------------------------------------------------------------------------------


@transaction.atomic
def call_follow(*, call: FundingCall, user: Any) -> CallFollow:
    """The user follows a published call and is reminded of its deadline (following twice changes nothing)."""
    user = _require(user, "desk.follow_fundingcall", call)
    follow, _created = CallFollow.objects.get_or_create(call=call, user=user)
    return follow


@transaction.atomic
def call_unfollow(*, call: FundingCall, user: Any) -> bool:
    """The user stops following the call (any call, even one withdrawn since); whether they followed it."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to follow calls."))
    deleted, _rows = CallFollow.objects.filter(call=call, user=user).delete()
    return bool(deleted)


# --- Trusted publishers ---------------------------------------------------------------------------------------------


@transaction.atomic
def call_publisher_grant(*, organisation: Organisation, by: Any) -> CallPublisher:
    """An operator trusts the organisation's editors and admins to publish funding calls."""
    by = _require(by, "desk.manage_call_publishers", None)
    publisher, created = CallPublisher.objects.get_or_create(organisation=organisation,
                                                             defaults={"granted_by": by})
    if created:
        audit_record(actor=by, action="desk.call_publisher_granted", target=organisation)
    forget_cached_publishers(by)
    return publisher


@transaction.atomic
def call_publisher_revoke(*, organisation: Organisation, by: Any) -> bool:
    """An operator withdraws the trust: the organisation's calls stay, its people can no longer change them."""
    by = _require(by, "desk.manage_call_publishers", None)
    deleted, _rows = CallPublisher.objects.filter(organisation=organisation).delete()
    if deleted:
        audit_record(actor=by, action="desk.call_publisher_revoked", target=organisation)
    forget_cached_publishers(by)
    return bool(deleted)
