"""Writes of funding calls: draft, publish, change, withdraw, documents, follows and the trusted publishers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sinergia.core.models import AuditEntry, Notification
from sinergia.desk.models import CallFollow, CallPublisher, FundingCall
from sinergia.desk.services import calls as services
from sinergia.desk.services.calls_data import CallData
from tests.factories import CallFollowFactory, FundingCallFactory, calls_world
from tests.library.files import docx_bytes, html_bytes, odt_bytes, pdf_bytes, upload, zip_bomb_docx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(operator, outsider):
    return calls_world(operator, outsider)


def _data(**changes) -> CallData:
    deadline = (timezone.now() + datetime.timedelta(days=40)).replace(tzinfo=None, second=0, microsecond=0)
    values = {"title": "Creative Europe – Cooperation projects", "funder": "European Commission",
              "summary": "Small-scale cooperation projects.", "language": "en", "deadline": deadline,
              "time_zone": "Europe/Brussels"}
    return CallData(**{**values, **changes})


def _actions(target) -> list[str]:
    return list(AuditEntry.objects.filter(target_id=str(target.pk)).order_by("pk").values_list("action", flat=True))


def test_call_create_by_publisher_editor_is_a_draft(world):
    call = services.call_create(by=world["org_editor"], data=_data(), organisation=world["publisher"])
    assert (call.status, call.organisation, call.created_by, _actions(call)) == (
        FundingCall.Status.DRAFT, world["publisher"], world["org_editor"], ["desk.call_created"])


def test_call_create_for_untrusted_organisation_refused(world):
    with pytest.raises(PermissionDenied):
        services.call_create(by=world["other_editor"], data=_data(), organisation=world["other"])


def test_call_publish_sets_status_and_audits(world):
    call = services.call_create(by=world["operator"], data=_data())
    services.call_publish(call=call, by=world["operator"])
    call.refresh_from_db()
    assert (call.status, call.published_at is not None, _actions(call)) == (
        FundingCall.Status.PUBLISHED, True, ["desk.call_created", "desk.call_published"])


def test_call_publish_with_past_deadline_refused(world):
    call = FundingCallFactory(draft=True, closed=True, organisation=world["publisher"])
    with pytest.raises(ValidationError) as caught:
        services.call_publish(call=call, by=world["org_editor"])
    assert caught.value.message_dict == {"deadline": ["The deadline has passed: set a deadline in the future before "
                                                      "publishing the call."]}


def test_call_update_moving_deadline_notifies_followers(world, outsider):
    call = FundingCallFactory(organisation=world["publisher"])
    CallFollowFactory(call=call, user=outsider)
    services.call_update(call=call, by=world["org_editor"], data=_data(title=call.title))
    notification = Notification.objects.get(recipient=outsider)
    assert (notification.kind, notification.title.startswith(f"New deadline for “{call.title}”")) == (
        "desk.call_changed", True)


def test_call_update_same_deadline_notifies_nobody(world, outsider):
    call = FundingCallFactory(organisation=world["publisher"])
    CallFollowFactory(call=call, user=outsider)
    wall = timezone.localtime(call.deadline, datetime.UTC).replace(tzinfo=None)
    services.call_update(call=call, by=world["org_editor"], data=_data(deadline=wall, time_zone="UTC"))
    assert Notification.objects.filter(recipient=outsider).count() == 0


def test_call_update_published_call_to_past_deadline_refused(world):
    call = FundingCallFactory(organisation=world["publisher"])
    with pytest.raises(ValidationError) as caught:
        services.call_update(call=call, by=world["org_editor"], data=_data(deadline=datetime.datetime(2020, 1, 1)))
    assert list(caught.value.message_dict) == ["deadline"]


def test_call_withdraw_notifies_followers_with_reason(world, outsider):
    call = FundingCallFactory(organisation=world["publisher"], title="Bando borghi")
    CallFollowFactory(call=call, user=outsider)
    services.call_withdraw(call=call, by=world["org_admin"], reason="Fondi esauriti")
    notification = Notification.objects.get(recipient=outsider)
    assert (notification.kind, notification.title, notification.body, notification.url) == (
        "desk.call_withdrawn", "The call “Bando borghi” was withdrawn.", "Fondi esauriti", "/en/desk/calls/")


def test_call_withdraw_draft_refused(world):
    with pytest.raises(ValidationError):
        services.call_withdraw(call=FundingCallFactory(draft=True, organisation=world["publisher"]),
                               by=world["org_admin"])


def test_call_document_add_pdf_upload_stored(world):
    call = FundingCallFactory(organisation=world["publisher"])
    document = services.call_document_add(call=call, by=world["org_editor"], title="Bando",
                                          upload=upload(pdf_bytes(), "bando.pdf"))
    assert (document.file.name.endswith(".pdf"), document.url) == (True, "")


@pytest.mark.parametrize(("content", "extension"), [(odt_bytes, "odt"), (docx_bytes, "docx")], ids=["odt", "docx"])
def test_call_document_add_office_text_by_content(world, content, extension):
    call = FundingCallFactory(organisation=world["publisher"])
    document = services.call_document_add(call=call, by=world["org_editor"], title="Modulistica",
                                          upload=upload(content(), "modulo.bin"))
    assert document.file.name.endswith(f".{extension}")


@pytest.mark.parametrize("content", [html_bytes, zip_bomb_docx_bytes], ids=["html", "zip-bomb"])
def test_call_document_add_other_content_refused(world, content):
    call = FundingCallFactory(organisation=world["publisher"])
    with pytest.raises(ValidationError) as caught:
        services.call_document_add(call=call, by=world["org_editor"], title="Bando",
                                   upload=upload(content(), "bando.pdf"))
    assert caught.value.message_dict == {"file": ["“bando.pdf” is not a PDF, ODT or DOCX document (without macros): "
                                                  "upload the call's documents in one of these formats, or give a "
                                                  "link."]}


def test_call_document_add_neither_file_nor_link_refused(world):
    call = FundingCallFactory(organisation=world["publisher"])
    with pytest.raises(ValidationError) as caught:
        services.call_document_add(call=call, by=world["org_editor"], title="Bando")
    assert caught.value.message_dict == {"url": ["Upload a file or give a link."]}


def test_call_follow_twice_keeps_one_follow(world, outsider):
    call = FundingCallFactory()
    services.call_follow(call=call, user=outsider)
    services.call_follow(call=call, user=outsider)
    assert CallFollow.objects.filter(call=call, user=outsider).count() == 1


def test_call_follow_draft_refused(world):
    with pytest.raises(PermissionDenied):
        services.call_follow(call=FundingCallFactory(draft=True, organisation=world["publisher"]),
                             user=world["org_member"])


def test_call_unfollow_removes_follow(world, outsider):
    call = CallFollowFactory(user=outsider).call
    assert (services.call_unfollow(call=call, user=outsider), CallFollow.objects.count()) == (True, 0)


def test_call_publisher_grant_and_revoke_audited(world, operator):
    services.call_publisher_grant(organisation=world["other"], by=operator)
    services.call_publisher_revoke(organisation=world["other"], by=operator)
    assert (CallPublisher.objects.filter(organisation=world["other"]).exists(), _actions(world["other"])) == (
        False, ["desk.call_publisher_granted", "desk.call_publisher_revoked"])


def test_call_publisher_grant_by_non_operator_refused(world):
    with pytest.raises(PermissionDenied):
        services.call_publisher_grant(organisation=world["other"], by=world["org_admin"])
