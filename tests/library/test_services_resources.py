"""Writes of resources: add, change, translations, delete (tombstone), moderation of new accounts."""


import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergia.core.models import AuditEntry, Notification
from sinergia.library.models import Creator, Resource
from sinergia.library.services import (
    CreatorData,
    ResourceData,
    resource_create,
    resource_delete,
    resource_moderate,
    resource_update,
)
from tests import factories
from tests.factories import person, trusted_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(museum):
    return trusted_person(museum, "editor", "editor@casentino.example.org")


@pytest.fixture
def newcomer(museum):
    return person(museum, "member", "new@casentino.example.org")


def data(**changes) -> ResourceData:
    values = {"kind": Resource.Kind.GOOD_PRACTICE, "title": "Mappe di comunità", "language": "it",
              "abstract": "Come *disegnare* una mappa.", "year": 2021,
              "creators": [CreatorData(family="Rossi", given="Maria"),
                           CreatorData(organisation_name="Ecomuseo del Casentino", role=Creator.Role.EDITOR)]}
    return ResourceData(**{**values, **changes})


def test_resource_create_stores_fields_creators_in_order_and_audit(museum, editor):
    topic = factories.ConceptFactory(scheme="topic", notation="parish-maps")
    resource = resource_create(organisation=museum, by=editor, data=data(topics=[topic], doi="https://doi.org/10.1234/ABC"))
    assert (resource.title, resource.language, resource.doi, resource.moderation) == (
        "Mappe di comunità", "it", "10.1234/abc", Resource.Moderation.APPROVED)
    assert [(c.position, c.display_name, c.role) for c in resource.creators.order_by("position")] == [
        (1, "Rossi, Maria", "author"), (2, "Ecomuseo del Casentino", "editor")]
    assert list(resource.topics.all()) == [topic]
    assert AuditEntry.objects.filter(action="library.resource_created", target_id=str(resource.pk)).count() == 1


def test_resource_create_normalises_the_language_tag(museum, editor):
    assert resource_create(organisation=museum, by=editor, data=data(language="pt-br")).language == "pt-BR"


@pytest.mark.parametrize(("changes", "field"), [
    ({"language": "klingonese"}, "language"),
    ({"language": ""}, "language"),
    ({"doi": "not a doi"}, "doi"),
    ({"isbn": "978-0-306-40615-6"}, "isbn"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"title": "  "}, "title"),
    ({"kind": "poem"}, "kind"),
    ({"creators": [CreatorData(given="Maria")]}, "creators"),
    ({"year": None, "month": 5}, "year"),
    ({"visibility": Resource.Visibility.NETWORKS}, "networks"),
])
def test_resource_create_refuses_bad_input_and_writes_nothing(museum, editor, changes, field):
    with pytest.raises(ValidationError) as error:
        resource_create(organisation=museum, by=editor, data=data(**changes))
    assert field in error.value.message_dict
    assert not Resource.objects.exists()


def test_resource_create_accepts_valid_isbns(museum, editor):
    resource = resource_create(organisation=museum, by=editor, data=data(isbn="978-0-306-40615-7"))
    assert resource.isbn == "9780306406157"


def test_resource_create_by_an_outsider_is_refused(museum, outsider):
    with pytest.raises(PermissionDenied):
        resource_create(organisation=museum, by=outsider, data=data())


def test_a_new_account_s_contribution_awaits_moderation_and_operators_are_told(museum, newcomer, operator):
    resource = resource_create(organisation=museum, by=newcomer, data=data())
    assert resource.moderation == Resource.Moderation.PENDING
    assert Notification.objects.filter(recipient=operator, kind="library.moderation").count() == 1


def test_a_new_account_with_approved_contributions_is_trusted(museum, newcomer, settings):
    settings.LIBRARY_TRUSTED_APPROVED_COUNT = 2
    factories.ResourceFactory.create_batch(2, organisation=museum, created_by=newcomer)
    assert resource_create(organisation=museum, by=newcomer, data=data()).moderation == "approved"


def test_resource_moderate_approves_and_notifies_the_contributor(museum, newcomer, operator):
    resource = resource_create(organisation=museum, by=newcomer, data=data())
    resource_moderate(resource=resource, by=operator, approve=True)
    resource.refresh_from_db()
    assert resource.moderation == Resource.Moderation.APPROVED
    assert Notification.objects.filter(recipient=newcomer, kind="library.moderated").count() == 1


def test_resource_moderate_rejects_with_a_note(museum, newcomer, operator):
    resource = resource_create(organisation=museum, by=newcomer, data=data())
    resource_moderate(resource=resource, by=operator, approve=False, note="Pubblicità")
    resource.refresh_from_db()
    assert (resource.moderation, resource.moderation_note) == ("rejected", "Pubblicità")


def test_resource_moderate_is_for_operators_and_pending_resources(museum, editor, operator):
    resource = resource_create(organisation=museum, by=editor, data=data())
    with pytest.raises(PermissionDenied):
        resource_moderate(resource=resource, by=editor, approve=True)
    with pytest.raises(ValidationError):
        resource_moderate(resource=resource, by=operator, approve=True)


def test_translations_join_the_group_of_the_original(museum, editor):
    original = resource_create(organisation=museum, by=editor, data=data())
    english = resource_create(organisation=museum, by=editor, data=data(title="Community maps", language="en",
                                                                        original=original))
    french = resource_create(organisation=museum, by=editor, data=data(title="Cartes", language="fr",
                                                                       original=english))
    assert (english.original, french.original) == (original, original)


def test_a_resource_cannot_translate_itself(museum, editor):
    resource = resource_create(organisation=museum, by=editor, data=data())
    with pytest.raises(ValidationError) as error:
        resource_update(resource=resource, by=editor, data=data(original=resource))
    assert "original" in error.value.message_dict


def test_resource_update_replaces_creators_and_fields(museum, editor):
    resource = resource_create(organisation=museum, by=editor, data=data())
    resource_update(resource=resource, by=editor, data=data(title="Mappe", creators=[CreatorData(family="Bianchi")]))
    resource.refresh_from_db()
    assert resource.title == "Mappe"
    assert [c.display_name for c in resource.creators.all()] == ["Bianchi"]


def test_resource_update_by_a_plain_member_is_refused(museum, editor, newcomer):
    resource = resource_create(organisation=museum, by=editor, data=data())
    with pytest.raises(PermissionDenied):
        resource_update(resource=resource, by=newcomer, data=data(title="x"))


def test_resource_delete_leaves_a_tombstone_and_frees_its_translations(museum, editor):
    original = resource_create(organisation=museum, by=editor, data=data())
    english = resource_create(organisation=museum, by=editor, data=data(language="en", original=original))
    resource_delete(resource=original, by=editor)
    original.refresh_from_db()
    english.refresh_from_db()
    assert original.deleted_at is not None and original.abstract == "" and not original.creators.exists()
    assert english.original is None
