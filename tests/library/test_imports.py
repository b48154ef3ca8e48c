"""Importing citations: the preview (new, duplicate, error), duplicates among what the importer may see, all or
nothing, the choices applied to every record, permissions and the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sinergia.core.models import AuditEntry, Concept
from sinergia.library.citations.records import KEYWORDS_MAX
from sinergia.library.models import Resource
from sinergia.library.services.imports import CitationsRejected, citations_import, citations_preview, title_key
from tests import factories
from tests.factories import person

pytestmark = pytest.mark.django_db


def ris(*records: str) -> bytes:
    return "".join(f"TY  - JOUR\n{body}ER  - \n\n" for body in records).encode()


def rec(title: str, *, language: str = "it", extra: str = "") -> str:
    return f"TI  - {title}\nAU  - Rossi, Maria\nPY  - 2020\nLA  - {language}\n{extra}"


@pytest.fixture
def member(museum):
    user = person(museum, "member", "member@casentino.example.org")
    user.date_joined = timezone.now() - datetime.timedelta(days=365)  # trusted: imports are published at once
    user.save(update_fields=["date_joined"])
    return user


def preview(museum, member, content: bytes, **options):
    return citations_preview(organisation=museum, by=member, content=content, filename="refs.ris", **options)


def statuses(result) -> list[tuple[int, str, list[str]]]:
    return [(row.index, row.status, row.reasons) for row in result.rows]


# --- Preview ---------------------------------------------------------------------------------------------------


def test_preview_lists_new_and_broken_records_and_writes_nothing(museum, member):
    result = preview(museum, member, ris(rec("Primo"), "TI  - Senza lingua\n", rec("Terzo")))
    assert (result.format, result.encoding, result.warnings) == ("ris", "utf-8", [])
    assert statuses(result) == [
        (1, "new", []),
        (2, "error", ["The record does not say its language: choose a default language for the import."]),
        (3, "new", [])]
    assert Resource.objects.count() == 0


def test_duplicates_in_the_library_by_doi_isbn_and_title_with_year(museum, member):
    factories.ResourceFactory(title="Another title", doi="10.1000/abc", index=False)
    factories.ResourceFactory(title="A book", kind=Resource.Kind.BOOK, isbn="9780306406157", index=False)
    factories.ResourceFactory(title="L’Écomusée:  une idée!", year=2020, index=False)
    content = ris(rec("By DOI", extra="DO  - https://doi.org/10.1000/ABC\n"), rec("l'ecomusee une idee"),
                  rec("l'ecomusee une idee", extra="PY  - 2021\n"), rec("L'écomusée, une idée", language="fr"))
    content += b"TY  - BOOK\nTI  - By ISBN\nLA  - it\nSN  - 0-306-40615-2\nER  - \n"
    result = preview(museum, member, content)
    assert statuses(result) == [
        (1, "duplicate", ["Same DOI as “Another title”, already in the library."]),
        (2, "duplicate", ["Same title and year as “L’Écomusée:  une idée!”, already in the library."]),
        (3, "duplicate", ["Same title and year as “L’Écomusée:  une idée!”, already in the library."]),
        (4, "duplicate", ["Same title and year as “L’Écomusée:  une idée!”, already in the library."]),
        (5, "new", [])]


def test_same_title_in_another_year_is_new(museum, member):
    factories.ResourceFactory(title="Musei in rete", year=2019, index=False)
    [row] = preview(museum, member, ris(rec("Musei in rete"))).rows
    assert row.status == "new"


def test_isbn_duplicate_of_a_book(museum, member):
    book = factories.ResourceFactory(title="A book", kind=Resource.Kind.BOOK, isbn="9780306406157", index=False)
    content = b"TY  - BOOK\nTI  - Other title\nLA  - it\nSN  - 978-0-306-40615-7\nER  - \n"
    [row] = preview(museum, member, content).rows
    assert (row.status, row.duplicate_of, row.reasons) == ("duplicate", book,
                                                           ["Same ISBN as “A book”, already in the library."])


def test_chapters_sharing_their_book_isbn_are_not_duplicates(museum, member):
    factories.ResourceFactory(title="A book", kind=Resource.Kind.BOOK, isbn="9780306406157", index=False)
    content = (b"TY  - CHAP\nTI  - Chapter one\nLA  - it\nSN  - 9780306406157\nER  - \n"
               b"TY  - CHAP\nTI  - Chapter two\nLA  - it\nSN  - 9780306406157\nER  - \n")
    assert [row.status for row in preview(museum, member, content).rows] == ["new", "new"]


def test_duplicates_within_the_file(museum, member):
    content = ris(rec("Uno", extra="DO  - 10.1000/one\n"), rec("Due", extra="DO  - 10.1000/ONE\n"),
                  rec("UNO!"), rec("Quattro"))
    assert statuses(preview(museum, member, content)) == [
        (1, "new", []), (2, "duplicate", ["Same DOI as record 1 of this file."]),
        (3, "duplicate", ["Same title and year as record 1 of this file."]), (4, "new", [])]


def test_a_resource_the_importer_may_not_see_is_not_a_duplicate(museum, member):
    other = factories.OrganisationFactory(name="Museo lontano")
    factories.ResourceFactory(organisation=other, private=True, doi="10.1000/hidden", index=False)
    factories.ResourceFactory(organisation=other, pending=True, title="In attesa", year=2020, index=False)
    network = factories.NetworkFactory()
    factories.ResourceFactory(organisation=other, networks_only=True, shared_with=[network], title="Di rete",
                              year=2020, index=False)
    content = ris(rec("Nascosto", extra="DO  - 10.1000/hidden\n"), rec("In attesa"), rec("Di rete"))
    assert [row.status for row in preview(museum, member, content).rows] == ["new", "new", "new"]


def test_what_the_importer_may_see_counts_as_a_duplicate(museum, member):
    factories.ResourceFactory(organisation=museum, private=True, doi="10.1000/own", index=False)
    network = factories.NetworkFactory()
    factories.MembershipFactory(network=network, organisation=museum)
    other = factories.OrganisationFactory(name="Museo socio")
    factories.ResourceFactory(organisation=other, networks_only=True, shared_with=[network], title="Di rete",
                              year=2020, index=False)
    content = ris(rec("Privato nostro", extra="DO  - 10.1000/own\n"), rec("Di rete"))
    assert [row.status for row in preview(museum, member, content).rows] == ["duplicate", "duplicate"]


def test_deleted_resource_is_not_a_duplicate(museum, member):
    factories.ResourceFactory(doi="10.1000/gone", deleted_at=timezone.now(), index=False)
    [row] = preview(museum, member, ris(rec("Tornato", extra="DO  - 10.1000/gone\n"))).rows
    assert row.status == "new"


def test_default_language_completes_the_records(museum, member):
    result = preview(museum, member, ris("TI  - Senza lingua\n"), default_language="Italian")
    assert [(row.status, row.record.data.language) for row in result.rows] == [("new", "it")]


@pytest.mark.parametrize(("options", "errors"), [
    ({"default_language": "Klingon"}, {"default_language": ["“Klingon” is neither a language tag (e.g. it, en, "
                                                            "pt-BR) nor a language's name."]}),
    ({"visibility": "everyone"}, {"visibility": ["Choose who may see the resources from the list."]}),
    ({"visibility": "networks"}, {"networks": ["Choose the networks whose members may see the imported "
                                               "resources."]}),
])
def test_bad_choices_are_refused_before_reading(museum, member, options, errors):
    with pytest.raises(ValidationError) as caught:
        preview(museum, member, ris(rec("Uno")), **options)
    assert caught.value.message_dict == errors


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The file is empty."),
    (b"% only comments\n@comment{nothing here}\n", "No citation was found in the file."),
])
def test_file_without_records_is_refused(museum, member, content, message):
    with pytest.raises(ValidationError) as caught:
        citations_preview(organisation=museum, by=member, content=content, filename="refs.bib")
    assert caught.value.messages == [message]


def test_title_key_ignores_case_accents_punctuation_and_spacing():
    assert title_key("L’Écomusée:  une idée!") == title_key("l'ecomusee une idee") == "lecomuseeuneidee"


# --- Import ----------------------------------------------------------------------------------------------------


def test_import_is_all_or_nothing(museum, member):
    content = ris(rec("Primo"), "TI  - Senza lingua\n")
    with pytest.raises(CitationsRejected) as caught:
        citations_import(organisation=museum, by=member, content=content, filename="refs.ris")
    assert caught.value.messages == ["Record 2: The record does not say its language: choose a default language "
                                     "for the import."]
    assert [row.index for row in caught.value.rows] == [2]
    assert (Resource.objects.count(), AuditEntry.objects.filter(action="library.citations_imported").count()) == (0, 0)


def test_import_skipping_errors_creates_the_valid_records_only(museum, member):
    content = ris(rec("Primo"), "TI  - Senza lingua\n", rec("Terzo", extra="AU  - ICOM Italia\n"))
    result = citations_import(organisation=museum, by=member, content=content, filename="refs.ris", skip_errors=True)
    assert [(r.title, r.organisation, r.created_by, r.moderation) for r in result.created] == [
        ("Primo", museum, member, "approved"), ("Terzo", museum, member, "approved")]
    assert [(c.position, c.display_name) for c in result.created[1].creators.order_by("position")] == [
        (1, "Rossi, Maria"), (2, "ICOM Italia")]
    assert [row.index for row in result.skipped_errors] == [2]
    entry = AuditEntry.objects.get(action="library.citations_imported")
    assert (entry.actor, entry.target_id, entry.data) == (member, str(museum.pk), {
        "format": "ris", "filename": "refs.ris", "created": 2, "skipped_duplicates": 0, "skipped_errors": 1})


def test_import_skips_duplicates_unless_asked(museum, member):
    existing = factories.ResourceFactory(doi="10.1000/same", index=False)
    content = ris(rec("Doppio", extra="DO  - 10.1000/same\n"), rec("Nuovo"))
    skipped = citations_import(organisation=museum, by=member, content=content, filename="a.ris")
    assert ([r.title for r in skipped.created], [row.duplicate_of for row in skipped.skipped_duplicates]) == (
        ["Nuovo"], [existing])
    kept = citations_import(organisation=museum, by=member, content=content, filename="a.ris", skip_duplicates=False)
    assert ([r.title for r in kept.created], kept.skipped_duplicates) == (["Doppio", "Nuovo"], [])


def test_imported_resources_take_the_visibility_and_networks_chosen(museum, member):
    network = factories.NetworkFactory()
    factories.MembershipFactory(network=network, organisation=museum)
    result = citations_import(organisation=museum, by=member, content=ris(rec("Per la rete")), filename="a.ris",
                              visibility="networks", networks=[network])
    [resource] = result.created
    assert (resource.visibility, list(resource.networks.all())) == ("networks", [network])


def test_networks_the_organisation_is_not_in_are_refused(museum, member):
    with pytest.raises(ValidationError) as caught:
        preview(museum, member, ris(rec("Uno")), visibility="networks", networks=[factories.NetworkFactory()])
    assert caught.value.message_dict == {"networks": ["Choose among the networks the organisation belongs to."]}


def test_a_new_account_imports_for_moderation(museum):
    newcomer = person(museum, "member", "new@casentino.example.org")
    [resource] = citations_import(organisation=museum, by=newcomer, content=ris(rec("Da moderare")),
                                  filename="a.ris").created
    assert resource.moderation == "pending"


@pytest.mark.parametrize("who", ["anonymous", "outsider", "other_organisation"])
def test_only_the_organisations_people_import(museum, who, outsider):
    from django.contrib.auth.models import AnonymousUser

    user = {"anonymous": AnonymousUser(), "outsider": outsider,
            "other_organisation": person(factories.OrganisationFactory(), "admin", "admin@other.example.org")}[who]
    with pytest.raises(PermissionDenied):
        citations_import(organisation=museum, by=user, content=ris(rec("Uno")), filename="a.ris")
    with pytest.raises(PermissionDenied):
        citations_preview(organisation=museum, by=user, content=ris(rec("Uno")), filename="a.ris")
    assert Resource.objects.count() == 0


def test_an_operator_imports_for_any_organisation(museum, operator):
    result = citations_import(organisation=museum, by=operator, content=ris(rec("Dall'operatore")), filename="a.ris")
    assert [(r.title, r.organisation) for r in result.created] == [("Dall'operatore", museum)]


def test_preview_queries_do_not_grow_with_the_records(museum, member, django_assert_max_num_queries):
    factories.ResourceFactory.create_batch(5, index=False)
    content = ris(*[rec(f"Titolo {n}", extra=f"DO  - 10.1000/{n}\n") for n in range(300)])
    with django_assert_max_num_queries(8):
        result = preview(museum, member, content)
    assert len(result.new) == 300


# --- Keywords as topics ----------------------------------------------------------------------------------------


@pytest.fixture
def topics():
    """Two topics of the thesaurus and a theme (themes are not topics of resources)."""
    fundraising = factories.ConceptFactory(
        scheme=Concept.Scheme.TOPIC, notation="fundraising", alt_labels={"it": ["Fundraising museale"]},
        labels={"en": "Fundraising", "it": "Raccolta fondi", "fr": "Collecte de fonds"})
    landscape = factories.ConceptFactory(scheme=Concept.Scheme.TOPIC, notation="landscape",
                                         labels={"en": "Landscape", "it": "Paesaggio"})
    factories.ConceptFactory(scheme=Concept.Scheme.THEME, notation="people", labels={"en": "Communities"})
    return fundraising, landscape


def test_keywords_that_name_topics_in_any_language_become_the_records_topics(museum, member, topics):
    fundraising, landscape = topics
    content = ris(rec("Primo", extra="KW  - RACCOLTA FONDI\nKW  - paesaggio; Communities\nKW  - Pippi\n"),
                  rec("Secondo", extra="KW  - collecte de fonds\nKW  - Fundraising museale\n"))

    result = preview(museum, member, content)

    first, second = (row.record for row in result.rows)
    assert (first.data.topics, first.keywords_left) == ([fundraising, landscape], ["Communities", "Pippi"])
    assert (second.data.topics, second.keywords_left) == ([fundraising], [])


def test_imported_resources_are_tagged_with_their_keywords_topics(museum, member, topics):
    fundraising, _landscape = topics
    bibtex = (b"@book{a, title = {Amici del museo}, author = {Rossi, Maria}, year = {2020}, langid = {italian},"
              b" keywords = {Raccolta fondi, volontariato}}")

    result = citations_import(organisation=museum, by=member, content=bibtex, filename="refs.bib")

    [created] = result.created
    assert list(created.topics.all()) == [fundraising]


def test_a_record_keeps_at_most_its_first_keywords(museum, member):
    content = ris(rec("Primo", extra="".join(f"KW  - parola {n}\n" for n in range(KEYWORDS_MAX + 5))))

    [row] = preview(museum, member, content).rows

    assert len(row.record.keywords) == KEYWORDS_MAX
    assert row.record.warnings == [f"Only the first {KEYWORDS_MAX} keywords were read."]


def test_an_import_takes_a_bounded_number_of_statements_per_record(museum, member, topics,
                                                                   django_assert_max_num_queries):
    """A new resource has no relations to read or clear: each record costs its own inserts, not the update's reads
    (imports of thousands of records run within the request)."""
    content = ris(*(rec(f"Rapporto {n}", extra="KW  - Paesaggio\n") for n in range(20)))

    with django_assert_max_num_queries(20 * 7 + 10):  # 11 per record before
        result = citations_import(organisation=museum, by=member, content=content, filename="refs.ris")

    assert len(result.created) == 20
    assert all(list(resource.topics.all()) == [topics[1]] for resource in result.created)
