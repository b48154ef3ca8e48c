"""Operators import an open-data file from the site: checked first, then applied whole or not at all."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sinergia.directory.models import Organisation

GOOD_CSV = (
    "id;name;kind;municipality;latitude;longitude\n"
    "A1;Museo della carta;museum;Fabriano;43.336;12.904\n"
    "A2;Ecomuseo del Casentino;ecomuseum;Poppi;43.721;11.764\n"
)
BAD_CSV = GOOD_CSV + "A3;;museum;Arezzo;95;11.8\n"


def upload(text: str, name: str = "register.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.fixture
def url():
    return reverse("directory:import")


@pytest.mark.django_db
def test_import_page_checks_without_writing(client, operator, url):
    client.force_login(operator)
    response = client.post(url, {"file": upload(GOOD_CSV), "source": "regione-test"})
    assert (response.status_code, Organisation.objects.count()) == (200, 0)
    assert "2 new, 0 updated, 0 unchanged" in response.content.decode()


@pytest.mark.django_db
def test_import_page_applies_and_is_idempotent(client, operator, url):
    client.force_login(operator)
    client.post(url, {"file": upload(GOOD_CSV), "source": "regione-test", "apply": "on"})
    response = client.post(url, {"file": upload(GOOD_CSV), "source": "regione-test", "apply": "on"})
    assert "0 new, 0 updated, 2 unchanged" in response.content.decode()
    assert sorted(Organisation.objects.values_list("source", "source_id")) == [
        ("regione-test", "A1"), ("regione-test", "A2")]


@pytest.mark.django_db
def test_import_page_lists_bad_rows_and_writes_nothing(client, operator, url):
    client.force_login(operator)
    response = client.post(url, {"file": upload(BAD_CSV), "source": "regione-test", "apply": "on"})
    page = response.content.decode()
    assert (Organisation.objects.count(), "Nothing was imported" in page) == (0, True)
    assert "line 4" in page


@pytest.mark.django_db
def test_import_page_refuses_an_unreadable_file(client, operator, url):
    client.force_login(operator)
    response = client.post(url, {"file": upload("\x00\x01binary", name="logo.csv"), "apply": "on"})
    assert response.status_code == 200
    assert "Please correct the errors below." in response.content.decode()
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_import_page_is_hidden_from_non_operators(client, outsider, url, who):
    if who == "outsider":
        client.force_login(outsider)
    response = client.post(url, {"file": upload(GOOD_CSV), "apply": "on"})
    assert (response.status_code, Organisation.objects.count()) == (404, 0)
