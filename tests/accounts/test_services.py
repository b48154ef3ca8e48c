"""Account services: who may act, and the business rules of tokens, export and deletion."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergia.accounts import services
from sinergia.accounts.models import ApiToken, User
from sinergia.core.models import AuditEntry, Notification
from sinergia.directory.models import OrganisationMember
from tests import factories

pytestmark = pytest.mark.django_db


def test_token_create_stores_only_the_digest(member):
    token, raw = services.api_token_create(user=member, by=member, name="  calendar   sync ")
    assert raw.startswith("sin_") and len(raw) > 40
    assert (token.name, token.prefix, token.digest) == ("calendar sync", raw[:8], ApiToken.hash(raw))
    assert raw not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert AuditEntry.objects.filter(action="api_token.created", actor=member).count() == 1


@pytest.mark.parametrize(("name", "message"), [("   ", "Give the token a name"), ("x" * 101, "at most 100 characters")])
def test_token_create_refuses_bad_names(member, name, message):
    with pytest.raises(ValidationError, match=message):
        services.api_token_create(user=member, by=member, name=name)
    assert ApiToken.objects.count() == 0


def test_token_create_stops_at_twenty_tokens(member):
    for number in range(services.MAX_API_TOKENS):
        services.api_token_create(user=member, by=member, name=f"t{number}")
    with pytest.raises(ValidationError, match=r"You already have 20 tokens; revoke one you no longer use first\."):
        services.api_token_create(user=member, by=member, name="one more")


@pytest.mark.parametrize("actor_name", ["outsider", "operator"])
def test_nobody_creates_tokens_for_someone_else(member, actor_name, request):
    with pytest.raises(PermissionDenied):
        services.api_token_create(user=member, by=request.getfixturevalue(actor_name), name="x")


@pytest.mark.parametrize(("actor_name", "allowed"), [("member", True), ("outsider", False), ("operator", True)])
def test_token_revoke_permissions(member, actor_name, allowed, request):
    token, _raw = services.api_token_create(user=member, by=member, name="x")
    actor = request.getfixturevalue(actor_name)
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.api_token_revoke(token=token, by=actor)
        assert ApiToken.objects.filter(pk=token.pk).exists()
        return
    services.api_token_revoke(token=token, by=actor)
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_profile_update_changes_name_and_language(member):
    services.user_update_profile(user=member, by=member, full_name=" Ada  King ", language="pt")
    member.refresh_from_db()
    assert (member.full_name, member.language) == ("Ada King", "pt")
    assert AuditEntry.objects.get(action="account.profile_updated").data == {"fields": ["full_name", "language"]}


@pytest.mark.parametrize(("full_name", "language", "field"), [("", "en", "full_name"), ("Ada", "de", "language"),
                                                             ("A" * 151, "en", "full_name")])
def test_profile_update_refuses_bad_values(member, full_name, language, field):
    with pytest.raises(ValidationError) as error:
        services.user_update_profile(user=member, by=member, full_name=full_name, language=language)
    assert list(error.value.error_dict) == [field]


@pytest.mark.parametrize("actor_name", ["outsider", "operator"])
def test_profile_is_changed_only_by_its_owner(member, actor_name, request):
    with pytest.raises(PermissionDenied):
        services.user_update_profile(user=member, by=request.getfixturevalue(actor_name), full_name="X", language="en")


def test_export_gathers_the_persons_data(member):
    museum = factories.OrganisationFactory(name="Museo Civico")
    factories.OrganisationMemberFactory(organisation=museum, user=member, title="Director")
    membership = factories.MembershipFactory(organisation=museum, applied_by=member, motivation="Shared tickets")
    factories.CharterSignatureFactory(membership=membership, signed_by=member, signatory_name="Ada Lovelace")
    factories.ClaimFactory(user=member, organisation=factories.OrganisationFactory(name="Pinacoteca"))
    Notification.objects.create(recipient=member, kind="test", title="Welcome")
    services.api_token_create(user=member, by=member, name="sync")
    data = services.user_data_export(user=member, by=member)
    assert data["profile"]["email"] == "ada@example.org"
    assert data["profile"]["email_addresses"] == [{"email": "ada@example.org", "verified": True, "primary": True}]
    assert [(r["organisation"], r["role"], r["title"]) for r in data["organisation_roles"]] == [
        ("Museo Civico", "admin", "Director")]
    assert [(m["member"], m["motivation"]) for m in data["memberships_applied"]] == [("Museo Civico", "Shared tickets")]
    assert [(s["signatory_name"], s["version"]) for s in data["charter_signatures"]] == [
        ("Ada Lovelace", membership.signatures.get().charter.number)]
    assert [c["organisation"] for c in data["claims"]] == ["Pinacoteca"]
    assert [n["title"] for n in data["notifications"]] == ["Welcome"]
    assert [sorted(t) for t in data["api_tokens"]] == [["created_at", "last_used_at", "name", "prefix"]]
    json.dumps(data)


def test_export_leaves_out_other_peoples_data(member, outsider):
    Notification.objects.create(recipient=outsider, kind="test", title="Not Ada's")
    factories.OrganisationMemberFactory(user=outsider)
    data = services.user_data_export(user=member, by=member)
    assert (data["notifications"], data["organisation_roles"]) == ([], [])


@pytest.mark.parametrize(("actor_name", "allowed"), [("outsider", False), ("operator", True)])
def test_export_of_someone_else(member, actor_name, allowed, request):
    actor = request.getfixturevalue(actor_name)
    if allowed:
        assert services.user_data_export(user=member, by=actor)["profile"]["email"] == member.email
    else:
        with pytest.raises(PermissionDenied):
            services.user_data_export(user=member, by=actor)


def test_delete_removes_the_account_and_what_only_it_owns(member):
    services.api_token_create(user=member, by=member, name="x")
    Notification.objects.create(recipient=member, kind="test", title="Bye")
    museum = factories.OrganisationFactory()
    factories.OrganisationMemberFactory(organisation=museum, user=member)
    factories.OrganisationMemberFactory(organisation=museum)
    signature = factories.CharterSignatureFactory(signed_by=member, signatory_name="Ada Lovelace")
    member_pk = member.pk
    services.user_delete(user=member, by=member)
    assert not User.objects.filter(email="ada@example.org").exists()
    assert (ApiToken.objects.count(), Notification.objects.count()) == (0, 0)
    signature.refresh_from_db()
    assert (signature.signed_by, signature.signatory_name) == (None, "Ada Lovelace")
    assert AuditEntry.objects.filter(action="account.deleted", target_id=str(member_pk)).count() == 1


def test_delete_is_refused_while_the_user_is_the_last_admin(member):
    factories.OrganisationMemberFactory(organisation=factories.OrganisationFactory(name="Museo A"), user=member)
    factories.OrganisationMemberFactory(organisation=factories.OrganisationFactory(name="Museo B"), user=member)
    shared = factories.OrganisationFactory(name="Museo C")
    factories.OrganisationMemberFactory(organisation=shared, user=member)
    factories.OrganisationMemberFactory(organisation=shared)
    factories.OrganisationMemberFactory(user=member, role=OrganisationMember.Role.EDITOR)
    with pytest.raises(ValidationError) as error:
        services.user_delete(user=member, by=member)
    assert error.value.messages == [
        "You are the last administrator of Museo A, Museo B. Make someone else an administrator first, "
        "so that the organisation is not left without one."]
    assert User.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize(("actor_name", "allowed"), [("outsider", False), ("operator", True)])
def test_delete_of_someone_else(member, actor_name, allowed, request):
    actor = request.getfixturevalue(actor_name)
    if allowed:
        services.user_delete(user=member, by=actor)
        assert not User.objects.filter(pk=member.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.user_delete(user=member, by=actor)
        assert User.objects.filter(pk=member.pk).exists()
