"""Writing to a listing's organisation and answering: who may, rate limits, messages to oneself, HTML."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergia.core.models import Notification
from sinergia.exchange.models import Message, Thread
from sinergia.exchange.services import message_send, thread_start
from tests.factories import ListingFactory, OrganisationFactory, OrganisationMemberFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(museum):
    return ListingFactory(organisation=museum)


def test_thread_start_writes_on_behalf_of_the_counterpart_and_notifies(need, photographer, photographer_admin,
                                                                       museum_editor, museum_member):
    thread = thread_start(listing=need, by=photographer_admin, organisation=photographer, body="I can do it.")
    assert (thread.listing, thread.counterpart) == (need, photographer)
    message = thread.messages.get()
    assert (message.author, message.organisation, message.body) == (photographer_admin, photographer, "I can do it.")
    assert sorted(n.recipient.email for n in Notification.objects.filter(kind="exchange.message")) == [
        museum_editor.email, museum_member.email]


def test_thread_start_twice_reuses_the_thread(need, photographer, photographer_admin):
    first = thread_start(listing=need, by=photographer_admin, organisation=photographer, body="One.")
    second = thread_start(listing=need, by=photographer_admin, organisation=photographer, body="Two.")
    assert first == second
    assert list(first.messages.values_list("body", flat=True)) == ["One.", "Two."]


def test_thread_start_to_ones_own_organisation_says_so(need, museum, museum_editor, photographer):
    OrganisationMemberFactory(organisation=photographer, user=museum_editor)
    with pytest.raises(ValidationError) as excinfo:
        thread_start(listing=need, by=museum_editor, organisation=museum, body="Hello me.")
    assert excinfo.value.messages == ["This is your own organisation's offer or need: you cannot write to yourself."]


def test_thread_start_by_the_listings_own_people_says_they_cannot_write_to_themselves(need, museum_editor, museum):
    with pytest.raises(ValidationError) as excinfo:
        thread_start(listing=need, by=museum_editor, organisation=museum, body="Hello me.")
    assert excinfo.value.code == "self"


def test_thread_start_on_behalf_of_someone_elses_organisation_is_refused(need, photographer):
    other = person(OrganisationFactory(name="Altro", kind="company"), "admin", "x@altro.example.org")
    with pytest.raises(PermissionDenied):
        thread_start(listing=need, by=other, organisation=photographer, body="Not mine.")


def test_thread_start_by_an_outsider_without_organisation_is_refused(need, outsider):
    with pytest.raises(PermissionDenied):
        thread_start(listing=need, by=outsider, organisation=OrganisationFactory(), body="Hi")


def test_message_with_html_says_so(need, photographer, photographer_admin):
    with pytest.raises(ValidationError) as excinfo:
        thread_start(listing=need, by=photographer_admin, organisation=photographer, body="<img src=x onerror=1>")
    assert excinfo.value.messages == ["The message is plain text: remove the HTML tags (such as <b> or <script>)."]
    assert Thread.objects.count() == 0


def test_empty_message_says_so(need, photographer, photographer_admin):
    with pytest.raises(ValidationError) as excinfo:
        thread_start(listing=need, by=photographer_admin, organisation=photographer, body="   ")
    assert excinfo.value.messages == ["Please fill in the message."]


def test_answer_is_written_for_the_listings_side(need, photographer, photographer_admin, museum_editor, museum):
    thread = thread_start(listing=need, by=photographer_admin, organisation=photographer, body="Hi.")
    message = message_send(thread=thread, by=museum_editor, body="When can you come?")
    assert message.organisation == museum
    assert Notification.objects.filter(recipient=photographer_admin, kind="exchange.message").count() == 1


def test_answer_by_an_outsider_is_refused(need, photographer, photographer_admin, outsider, operator):
    thread = thread_start(listing=need, by=photographer_admin, organisation=photographer, body="Hi.")
    for stranger in (outsider, operator):
        with pytest.raises(PermissionDenied):
            message_send(thread=thread, by=stranger, body="Me too")


def test_new_threads_are_rate_limited(settings, museum, photographer, photographer_admin):
    settings.EXCHANGE_THREADS_PER_HOUR = 2
    listings = [ListingFactory(organisation=museum) for _ in range(3)]
    for listing in listings[:2]:
        thread_start(listing=listing, by=photographer_admin, organisation=photographer, body="Hi.")
    with pytest.raises(ValidationError) as excinfo:
        thread_start(listing=listings[2], by=photographer_admin, organisation=photographer, body="Hi.")
    assert excinfo.value.messages == ["You started 2 conversations in the last hour: please wait before starting "
                                      "another."]
    assert Thread.objects.count() == 2


def test_messages_are_rate_limited(settings, need, photographer, photographer_admin):
    settings.EXCHANGE_MESSAGES_PER_HOUR = 3
    thread = thread_start(listing=need, by=photographer_admin, organisation=photographer, body="1")
    message_send(thread=thread, by=photographer_admin, body="2")
    message_send(thread=thread, by=photographer_admin, body="3")
    with pytest.raises(ValidationError) as excinfo:
        message_send(thread=thread, by=photographer_admin, body="4")
    assert excinfo.value.code == "rate_limited"
    assert Message.objects.count() == 3
