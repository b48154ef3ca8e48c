"""organisation_create, organisation_update, organisation_set_logo: rules and errors."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergia.core.models import AuditEntry, Concept
from sinergia.directory.models import Organisation, OrganisationMember
from sinergia.directory.services import (
    organisation_create,
    organisation_set_logo,
    organisation_unique_slug,
    organisation_update,
)
from tests import factories
from tests.directory.conftest import image_upload

pytestmark = pytest.mark.django_db


def create(by, **fields):
    values = {"name": "Ecomuseo della Collina", "kind": Organisation.Kind.ECOMUSEUM, "municipality": "Imola",
              "latitude": 44.35, "longitude": 11.71}
    return organisation_create(by=by, **{**values, **fields})


def test_create_makes_the_creator_its_only_admin(outsider):
    organisation = create(outsider)

    people = list(organisation.people.values_list("user__email", "role"))
    assert people == [("outsider@example.org", OrganisationMember.Role.ADMIN)]
    assert organisation.created_by == outsider
    assert organisation.slug == "ecomuseo-della-collina"
    assert outsider.has_perm("directory.manage_people", organisation)


def test_create_records_an_audit_entry(outsider):
    organisation = create(outsider)

    entry = AuditEntry.objects.get(target_id=str(organisation.pk))
    assert (entry.action, entry.actor) == ("directory.organisation_created", outsider)


def test_create_refuses_anonymous(anonymous):
    with pytest.raises(PermissionDenied):
        create(anonymous)
    assert Organisation.objects.count() == 0


def test_create_sets_themes_by_object_or_notation(outsider):
    history = factories.ConceptFactory(notation="history")
    children = factories.ConceptFactory(notation="children", scheme=Concept.Scheme.AUDIENCE)

    organisation = create(outsider, themes=[history], audiences=["children"])

    assert list(organisation.themes.all()) == [history]
    assert list(organisation.audiences.all()) == [children]


def test_create_refuses_a_concept_of_another_scheme(outsider):
    children = factories.ConceptFactory(notation="children", scheme=Concept.Scheme.AUDIENCE)

    with pytest.raises(ValidationError) as error:
        create(outsider, themes=[children])
    assert error.value.message_dict == {"themes": ["Choose only concepts of the right kind."]}


def test_create_refuses_unknown_concept_notations(outsider):
    with pytest.raises(ValidationError) as error:
        create(outsider, themes=["no-such-theme"])
    assert error.value.messages == ["Unknown concepts: no-such-theme."]


def test_create_refuses_a_duplicate_name_in_the_same_municipality(outsider, museum):
    with pytest.raises(ValidationError) as error:
        create(outsider, name="museo del patrimonio industriale", municipality="Bologna")

    assert error.value.message_dict["name"] == [
        "An organisation called “museo del patrimonio industriale” is already listed in Bologna. "
        "If it is yours, claim it instead of creating it again."
    ]
    assert Organisation.objects.count() == 1


def test_create_allows_the_same_name_elsewhere_with_a_distinct_slug(outsider):
    first = create(outsider, name="Museo civico", municipality="Imola")
    second = create(outsider, name="Museo civico", municipality="Faenza")
    third = create(outsider, name="Museo civico", municipality="")

    assert [first.slug, second.slug, third.slug] == ["museo-civico", "museo-civico-faenza", "museo-civico-2"]


def test_unique_slug_never_takes_a_path_of_the_directory(db):
    assert organisation_unique_slug(name="Map") == "map-2"
    assert organisation_unique_slug(name="Export", municipality="Roma") == "export-roma"


@pytest.mark.parametrize(("fields", "errors"), [
    ({"latitude": 95, "longitude": 11}, {"latitude": ["Latitude must be between -90 and 90 (got 95.0)."]}),
    ({"latitude": 44, "longitude": -181}, {"longitude": ["Longitude must be between -180 and 180 (got -181.0)."]}),
    ({"latitude": 44, "longitude": None}, {"longitude": ["Give both latitude and longitude, or neither."]}),
    ({"latitude": "north", "longitude": 11}, {"latitude": ["Enter a number."]}),
    ({"country": "Italy"}, {"country": ["Use the two-letter ISO 3166 code of the country, e.g. IT or FR."]}),
    ({"languages": ["it", "<b>"]}, {"languages": ["These are not language codes: <b>. Use codes such as it, en, fr "
                                                  "or pt-BR."]}),
    ({"website": "not a url"}, {"website": ["Enter a valid URL."]}),
    ({"kind": "castle"}, {"kind": ["Value 'castle' is not a valid choice."]}),
    ({"name": "x" * 256}, {"name": ["Ensure this value has at most 255 characters (it has 256)."]}),
    ({"name": "  "}, {"name": ["This field cannot be blank."]}),
    ({"description": "x" * 20_001}, {"description": ["The description is too long: 20001 characters, at most "
                                                     "20000."]}),
])
def test_create_refuses_bad_input_and_writes_nothing(outsider, fields, errors):
    with pytest.raises(ValidationError) as error:
        create(outsider, **fields)

    assert error.value.message_dict == errors
    assert Organisation.objects.count() == 0
    assert OrganisationMember.objects.count() == 0


def test_create_refuses_fields_that_are_not_editable(outsider):
    with pytest.raises(TypeError):
        create(outsider, is_active=False)


def test_create_stores_a_valid_logo_under_the_slug(outsider, png):
    organisation = create(outsider, logo=png)

    assert organisation.logo.name.endswith("/ecomuseo-della-collina.png")
    assert organisation.logo.storage.exists(organisation.logo.name)


def test_create_with_a_bad_logo_writes_nothing(outsider):
    with pytest.raises(ValidationError):
        create(outsider, logo=SimpleUploadedFile("logo.png", b"<svg onload=alert(1)></svg>"))
    assert Organisation.objects.count() == 0


def test_update_changes_the_profile(org_editor, museum):
    organisation_update(organisation=museum, by=org_editor, description="A **museum** of work.", country="fr")

    museum.refresh_from_db()
    assert (museum.description, museum.country) == ("A **museum** of work.", "FR")


def test_update_leaves_the_object_as_stored_when_refused(org_admin, museum):
    with pytest.raises(ValidationError):
        organisation_update(organisation=museum, by=org_admin, name="Renamed", latitude=95)

    assert (museum.name, museum.latitude) == ("Museo del Patrimonio Industriale", 44.4949)
    museum.refresh_from_db()
    assert museum.name == "Museo del Patrimonio Industriale"


def test_update_may_keep_its_own_name(org_admin, museum):
    organisation_update(organisation=museum, by=org_admin, name="MUSEO DEL PATRIMONIO INDUSTRIALE")

    museum.refresh_from_db()
    assert museum.name == "MUSEO DEL PATRIMONIO INDUSTRIALE"


def test_update_refuses_a_plain_member(org_member, museum):
    with pytest.raises(PermissionDenied):
        organisation_update(organisation=museum, by=org_member, name="Renamed")


def test_set_logo_replaces_the_old_file(org_admin, museum, django_capture_on_commit_callbacks):
    organisation_set_logo(organisation=museum, by=org_admin, logo=image_upload())
    first = museum.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        organisation_set_logo(organisation=museum, by=org_admin, logo=image_upload("new.jpg", "JPEG"))

    assert museum.logo.name.endswith(".jpg")
    assert not museum.logo.storage.exists(first)


def test_set_logo_refuses_a_file_that_is_not_an_image(org_admin, museum):
    text = SimpleUploadedFile("logo.png", b"this is not a picture", content_type="image/png")

    with pytest.raises(ValidationError) as error:
        organisation_set_logo(organisation=museum, by=org_admin, logo=text)

    assert error.value.message_dict == {"logo": [
        "This file is not an image we can use: upload a PNG, JPEG, GIF or WebP picture."]}
    museum.refresh_from_db()
    assert museum.logo.name == ""


def test_set_logo_refuses_an_image_of_a_format_we_do_not_take(org_admin, museum):
    with pytest.raises(ValidationError) as error:
        organisation_set_logo(organisation=museum, by=org_admin, logo=image_upload("logo.bmp", "BMP"))
    assert list(error.value.message_dict) == ["logo"]


def test_set_logo_refuses_an_image_over_two_megabytes(org_admin, museum):
    big = image_upload(size=(1100, 1000), noise=True)
    assert big.size > 3_000_000

    with pytest.raises(ValidationError) as error:
        organisation_set_logo(organisation=museum, by=org_admin, logo=big)

    assert error.value.message_dict["logo"][0].startswith("The logo is 3.")
    assert error.value.message_dict["logo"][0].endswith("a logo may be at most 2.0\xa0MB.")


def test_set_logo_refuses_an_outsider(outsider, museum, png):
    with pytest.raises(PermissionDenied):
        organisation_set_logo(organisation=museum, by=outsider, logo=png)
