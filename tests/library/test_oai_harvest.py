"""Harvesting with OAI-PMH: pages and resumption tokens, from/until, sets, deleted records, and what is never shown."""

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.utils import timezone

from sinergia.library.models import Resource
from sinergia.library.oai.tokens import SALT
from sinergia.library.services import resource_delete
from tests import factories
from tests.library.test_oai_schema import NS, REPOSITORY, error_codes, identifiers, oai, oai_id, request_attributes
from tests.library.test_oai_schema import token as token_of

pytestmark = pytest.mark.django_db
T0 = datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _repository(settings):
    settings.LIBRARY_OAI_REPOSITORY_IDENTIFIER = REPOSITORY
    settings.LIBRARY_OAI_PAGE_SIZE = 100


def resource(**kwargs):
    return factories.ResourceFactory(index=False, **kwargs)


def stamp(item, moment: datetime) -> None:
    """Give the resource this datestamp (auto_now would overwrite it on save)."""
    Resource.objects.filter(pk=item.pk).update(updated_at=moment)


def many(count: int, *, step=timedelta(seconds=1)) -> list[Resource]:
    """`count` public resources of one organisation, their datestamps `step` apart from T0, oldest first."""
    organisation = factories.OrganisationFactory()
    items = factories.ResourceFactory.create_batch(count, organisation=organisation, index=False)
    for position, item in enumerate(items):
        stamp(item, T0 + step * position)
    return items


def pages(client, verb="ListRecords", **params) -> list:
    """Every page of a harvest, following resumption tokens to the end."""
    found = [oai(client, verb=verb, metadataPrefix="oai_dc", **params)]
    while (token := token_of(found[-1])) is not None and token.text:
        found.append(oai(client, verb=verb, resumptionToken=token.text))
    return found


def harvested(roots) -> list[str]:
    return [identifier for root in roots for identifier in identifiers(root)]


def token_attributes(root) -> dict[str, str]:
    attributes = dict(token_of(root).attrib)
    attributes.pop("expirationDate", None)
    return attributes


# --- Pages and resumption tokens -------------------------------------------------------------------------------------


def test_list_records_harvests_250_records_in_3_pages_once_each(client):
    items = many(250)
    roots = pages(client)
    assert [len(root.findall(".//oai:record", NS)) for root in roots] == [100, 100, 50]
    assert harvested(roots) == [oai_id(item) for item in items]
    assert [token_attributes(root) for root in roots] == [
        {"completeListSize": "250", "cursor": "0"}, {"completeListSize": "250", "cursor": "100"},
        {"completeListSize": "250", "cursor": "200"}]
    assert token_of(roots[2]).text is None
    assert "expirationDate" not in token_of(roots[2]).attrib


def test_list_identifiers_harvests_250_headers_in_3_pages_once_each(client):
    items = many(250)
    roots = pages(client, verb="ListIdentifiers")
    assert [len(root.findall(".//oai:header", NS)) for root in roots] == [100, 100, 50]
    assert harvested(roots) == [oai_id(item) for item in items]


def test_token_expires_a_day_after_it_is_given(client):
    many(101)
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    response_date = datetime.fromisoformat(root.findtext("oai:responseDate", namespaces=NS))
    expires = datetime.fromisoformat(token_of(root).get("expirationDate"))
    assert expires - response_date == timedelta(days=1)


def test_a_list_that_fits_one_page_has_no_token(client):
    many(100)
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert len(identifiers(root)) == 100
    assert token_of(root) is None


def test_records_sharing_one_datestamp_are_paged_by_id(client):
    items = many(250, step=timedelta(0))
    assert harvested(pages(client, verb="ListIdentifiers")) == [oai_id(item) for item in items]


def test_a_record_changed_mid_harvest_is_neither_lost_nor_repeated(client):
    items = many(250)
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    sent, pending = items[10], items[220]
    for item in (sent, pending):
        item.title += " (rivisto)"
        item.save()
    rest = [first]
    while (token := token_of(rest[-1])) is not None and token.text:
        rest.append(oai(client, verb="ListIdentifiers", resumptionToken=token.text))
    ids = harvested(rest)
    assert len(ids) == len(set(ids)) == 249
    assert set(ids) == {oai_id(item) for item in items} - {oai_id(pending)}
    # The next incremental harvest, from the first response's date, brings both changes.
    since = first.findtext("oai:responseDate", namespaces=NS)
    assert harvested(pages(client, verb="ListIdentifiers", **{"from": since})) == [oai_id(sent), oai_id(pending)]


def test_records_removed_mid_harvest_shift_nothing(client):
    items = many(250)
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    Resource.objects.filter(pk__in=[item.pk for item in items[:30]]).delete()
    second = oai(client, verb="ListIdentifiers", resumptionToken=token_of(first).text)
    assert identifiers(second) == [oai_id(item) for item in items[100:200]]


def test_a_token_can_be_used_again(client):
    many(150)
    token = token_of(oai(client, verb="ListRecords", metadataPrefix="oai_dc")).text
    again = [identifiers(oai(client, verb="ListRecords", resumptionToken=token)) for _ in range(2)]
    assert again[0] == again[1] != []


def test_token_carries_a_keyset_cursor_not_an_offset(client):
    items = many(150)
    token = token_of(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")).text
    payload = signing.loads(token, salt=SALT)
    last = Resource.objects.get(pk=items[99].pk)
    assert payload["a"] == [last.updated_at.isoformat(), last.pk]
    assert (payload["n"], payload["c"]) == (150, 100)


def test_complete_list_size_is_counted_on_the_first_page_only(client, django_assert_max_num_queries):
    many(250)
    with django_assert_max_num_queries(4):  # records, networks, topics, the count
        first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    with django_assert_max_num_queries(3):
        oai(client, verb="ListIdentifiers", resumptionToken=token_of(first).text)


# --- Bad tokens ------------------------------------------------------------------------------------------------------


def first_token(client, verb="ListIdentifiers") -> str:
    many(101)
    return token_of(oai(client, verb=verb, metadataPrefix="oai_dc")).text


def assert_bad_token(client, verb: str, value: str) -> None:
    root = oai(client, verb=verb, resumptionToken=value)
    assert error_codes(root) == ["badResumptionToken"]
    assert root.findtext("oai:error", namespaces=NS) == (
        "The resumption token is not valid or has expired: start the harvest again without it.")


def test_tampered_token_is_bad_resumption_token(client):
    token = first_token(client)
    middle = len(token) // 2
    assert_bad_token(client, "ListIdentifiers", token[:middle] + ("A" if token[middle] != "A" else "B")
                     + token[middle + 1:])


def test_token_signed_with_another_key_is_bad_resumption_token(client):
    payload = signing.loads(first_token(client), salt=SALT)
    payload["c"] = 0
    assert_bad_token(client, "ListIdentifiers", signing.dumps(payload, key="forger", salt=SALT, compress=True))


def test_expired_token_is_bad_resumption_token(client):
    payload = signing.loads(first_token(client), salt=SALT)

    class DayOldSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 25 * 3600)

    assert_bad_token(client, "ListIdentifiers", DayOldSigner(salt=SALT).sign_object(payload, compress=True))


def test_token_of_another_verb_is_bad_resumption_token(client):
    assert_bad_token(client, "ListRecords", first_token(client, verb="ListIdentifiers"))


@pytest.mark.parametrize("value", ["abc", "", "x" * 5000, "è:1:2", signing.dumps([1, 2], salt=SALT),
                                   signing.dumps({"v": "ListRecords"}, salt=SALT)],
                         ids=["word", "empty", "long", "accented", "signed-list", "signed-without-cursor"])
def test_invented_token_is_bad_resumption_token(client, value):
    assert_bad_token(client, "ListRecords", value)


def test_signed_token_with_a_negative_cursor_is_bad_resumption_token(client):
    payload = signing.loads(first_token(client), salt=SALT)
    payload["c"] = -100
    assert_bad_token(client, "ListIdentifiers", signing.dumps(payload, salt=SALT, compress=True))


# --- from and until --------------------------------------------------------------------------------------------------


def stamped(*moments: datetime) -> list[Resource]:
    items = [resource() for _moment in moments]
    for item, moment in zip(items, moments, strict=True):
        stamp(item, moment)
    return items


def listed(client, **params) -> list[str]:
    return harvested(pages(client, verb="ListIdentifiers", **params))


def test_from_and_until_are_inclusive_to_the_second(client):
    _before, start, late, _after = stamped(datetime(2024, 1, 1, 9, 59, 59, 999999, tzinfo=UTC),
                                         datetime(2024, 1, 1, 10, 0, 0, tzinfo=UTC),
                                         datetime(2024, 1, 1, 10, 0, 0, 999999, tzinfo=UTC),
                                         datetime(2024, 1, 1, 10, 0, 1, tzinfo=UTC))
    bounds = {"from": "2024-01-01T10:00:00Z", "until": "2024-01-01T10:00:00Z"}
    assert listed(client, **bounds) == [oai_id(start), oai_id(late)]


def test_day_granularity_covers_whole_days(client):
    before, first, last, after = stamped(datetime(2023, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
                                         datetime(2024, 1, 1, 0, 0, 0, tzinfo=UTC),
                                         datetime(2024, 1, 1, 23, 59, 59, 999999, tzinfo=UTC),
                                         datetime(2024, 1, 2, 0, 0, 0, tzinfo=UTC))
    assert listed(client, **{"from": "2024-01-01", "until": "2024-01-01"}) == [oai_id(first), oai_id(last)]
    assert listed(client, **{"from": "2024-01-01"}) == [oai_id(first), oai_id(last), oai_id(after)]
    assert listed(client, until="2024-01-01") == [oai_id(before), oai_id(first), oai_id(last)]


@pytest.mark.parametrize("bounds", [{"until": "9999-12-31"}, {"until": "9999-12-31T23:59:59Z"},
                                    {"from": "0001-01-01", "until": "9999-12-31"}])
def test_extreme_dates_are_answered(client, bounds):
    (item,) = stamped(T0)
    assert listed(client, **bounds) == [oai_id(item)]


def test_until_before_the_earliest_datestamp_is_no_records_match(client):
    stamped(T0)
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc", until="2024-02-29T23:59:59Z")
    assert error_codes(root) == ["noRecordsMatch"]
    assert request_attributes(root) == {"verb": "ListRecords", "metadataPrefix": "oai_dc",
                                        "until": "2024-02-29T23:59:59Z"}


def test_from_and_until_are_kept_across_pages(client):
    items = many(250)
    roots = pages(client, verb="ListIdentifiers", **{"from": "2024-03-01T12:00:10Z", "until": "2024-03-01T12:03:39Z"})
    assert harvested(roots) == [oai_id(item) for item in items[10:220]]
    assert token_attributes(roots[-1]) == {"completeListSize": "210", "cursor": "200"}


def test_datestamp_is_the_update_time_in_utc(client):
    (item,) = stamped(datetime(2024, 7, 1, 2, 30, 15, 500000, tzinfo=ZoneInfo("Europe/Rome")))
    root = oai(client, verb="GetRecord", identifier=oai_id(item), metadataPrefix="oai_dc")
    assert root.findtext(".//oai:header/oai:datestamp", namespaces=NS) == "2024-07-01T00:30:15Z"


# --- Sets ------------------------------------------------------------------------------------------------------------


@pytest.fixture
def in_sets():
    network = factories.NetworkFactory(slug="ecomusei")
    hidden_network = factories.NetworkFactory(slug="non-elencata", is_active=False)
    topic = factories.ConceptFactory(scheme="topic", notation="fundraising")
    other = factories.ConceptFactory(scheme="topic", notation="landscape")
    items = {
        "network": resource(shared_with=[network, hidden_network]),
        "topic": resource(topics=[topic]),
        "both": resource(shared_with=[network], topics=[other, topic]),
        "hidden_network": resource(shared_with=[hidden_network]),
        "none": resource(),
    }
    for position, item in enumerate(items.values()):
        stamp(item, T0 + timedelta(minutes=position))
    return items


@pytest.mark.parametrize(("spec", "expected"), [
    ("network:ecomusei", ["network", "both"]),
    ("topic:fundraising", ["topic", "both"]),
    ("topic:landscape", ["both"]),
    ("network", ["network", "both"]),
    ("topic", ["topic", "both"]),
])
def test_set_selects_its_records(client, in_sets, spec, expected):
    assert listed(client, set=spec) == [oai_id(in_sets[name]) for name in expected]


@pytest.mark.parametrize("spec", ["network:non-elencata", "network:unknown", "topic:unknown", "places",
                                  "network:ecomusei:more"])
def test_set_without_records_is_no_records_match(client, in_sets, spec):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)
    assert error_codes(root) == ["noRecordsMatch"]
    assert request_attributes(root) == {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": spec}


def test_headers_list_the_sets_of_listed_networks_and_topics(client, in_sets):
    headers = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc").findall(".//oai:header", NS)
    assert [[spec.text for spec in header.iterfind("oai:setSpec", NS)] for header in headers] == [
        ["network:ecomusei"], ["topic:fundraising"], ["network:ecomusei", "topic:fundraising", "topic:landscape"],
        [], []]


def test_set_is_kept_across_pages(client, settings, in_sets):
    settings.LIBRARY_OAI_PAGE_SIZE = 1
    roots = pages(client, verb="ListIdentifiers", set="topic:fundraising")
    assert harvested(roots) == [oai_id(in_sets["topic"]), oai_id(in_sets["both"])]
    assert [token_attributes(root) for root in roots] == [{"completeListSize": "2", "cursor": "0"},
                                                          {"completeListSize": "2", "cursor": "1"}]


# --- Deleted records -------------------------------------------------------------------------------------------------


def delete(item) -> None:
    resource_delete(resource=item, by=factories.person(item.organisation, "editor", f"ed{item.pk}@example.org"))


def test_deleted_record_is_listed_as_deleted_without_metadata(client):
    kept, gone = stamped(T0, T0)
    delete(gone)
    records = oai(client, verb="ListRecords", metadataPrefix="oai_dc").findall(".//oai:record", NS)
    assert [(r.findtext("oai:header/oai:identifier", namespaces=NS), r.find("oai:header", NS).get("status"),
             r.find("oai:metadata", NS) is not None) for r in records] == [
        (oai_id(kept), None, True), (oai_id(gone), "deleted", False)]


def test_deleted_record_has_the_deletion_as_datestamp(client):
    (gone,) = stamped(T0)
    delete(gone)
    gone.refresh_from_db()
    header = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc").find(".//oai:header", NS)
    assert header.get("status") == "deleted"
    assert header.findtext("oai:datestamp", namespaces=NS) == gone.deleted_at.astimezone(UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def test_deleted_record_keeps_its_network_set(client):
    network = factories.NetworkFactory(slug="ecomusei")
    item = resource(shared_with=[network])
    delete(item)
    assert listed(client, set="network:ecomusei") == [oai_id(item)]


@pytest.mark.parametrize("trait", ["private", "networks_only", "pending", "rejected"])
def test_deleted_record_that_was_never_public_stays_unknown(client, trait):
    item = resource(**{trait: True}, shared_with=[factories.NetworkFactory()])
    delete(item)
    assert error_codes(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")) == ["noRecordsMatch"]
    assert error_codes(oai(client, verb="GetRecord", identifier=oai_id(item), metadataPrefix="oai_dc")) == [
        "idDoesNotExist"]


# --- What is never shown ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("trait", ["private", "networks_only", "pending", "rejected"])
def test_hidden_resources_are_never_harvested(client, trait):
    network = factories.NetworkFactory(slug="ecomusei")
    topic = factories.ConceptFactory(scheme="topic", notation="fundraising")
    public = resource(shared_with=[network], topics=[topic])
    hidden = resource(**{trait: True}, shared_with=[network], topics=[topic])
    for params in ({}, {"set": "network:ecomusei"}, {"set": "topic:fundraising"}):
        assert listed(client, **params) == [oai_id(public)]
        assert harvested(pages(client, **params)) == [oai_id(public)]
    for verb_params in ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, {"verb": "ListMetadataFormats"}):
        assert error_codes(oai(client, identifier=oai_id(hidden), **verb_params)) == ["idDoesNotExist"]


def test_identify_ignores_hidden_resources(client):
    public = resource()
    hidden = resource(private=True)
    stamp(public, T0)
    stamp(hidden, T0 - timedelta(days=400))
    assert oai(client, verb="Identify").findtext(".//oai:earliestDatestamp", namespaces=NS) == "2024-03-01T12:00:00Z"


def test_empty_repository_is_no_records_match(client):
    for verb in ("ListRecords", "ListIdentifiers"):
        root = oai(client, verb=verb, metadataPrefix="oai_dc")
        assert error_codes(root) == ["noRecordsMatch"]
        assert root.findtext("oai:error", namespaces=NS) == "No records match the request."


def test_records_newer_than_the_harvest_wait_for_the_next_one(client):
    many(101)
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    newcomer = resource()
    stamp(newcomer, timezone.now() + timedelta(seconds=5))
    last = oai(client, verb="ListIdentifiers", resumptionToken=token_of(first).text)
    assert oai_id(newcomer) not in identifiers(last)
    assert token_attributes(last) == {"completeListSize": "101", "cursor": "100"}
