"""An organisation, the people around it, and uploads to test the directory with."""

import io
import os

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sinergia.directory.models import OrganisationMember
from sinergia.networks.models import Membership
from tests import factories
from tests.factories import person

ACTORS = ("anonymous", "outsider", "org_member", "org_editor", "org_admin", "coordinator", "operator")



def image_upload(name: str = "logo.png", image_format: str = "PNG", size: tuple[int, int] = (40, 20),
                 noise: bool = False) -> SimpleUploadedFile:
    """An uploaded picture; with `noise` its pixels are random, so it barely compresses."""
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")



@pytest.fixture
def museum(db):
    return factories.OrganisationFactory(name="Museo del Patrimonio Industriale", slug="museo-patrimonio-industriale",
                                         municipality="Bologna", province="Bologna", region="Emilia-Romagna")


@pytest.fixture
def org_admin(museum):
    return person(museum, OrganisationMember.Role.ADMIN, "admin@mpi.example.org")


@pytest.fixture
def org_editor(museum):
    return person(museum, OrganisationMember.Role.EDITOR, "editor@mpi.example.org")


@pytest.fixture
def org_member(museum):
    return person(museum, OrganisationMember.Role.MEMBER, "member@mpi.example.org")


@pytest.fixture
def coordinator(museum):
    """Administrator of the organisation coordinating a network of which the museum is a member."""
    lead = factories.OrganisationFactory(name="Capofila della rete")
    user = person(lead, OrganisationMember.Role.ADMIN, "coordinator@lead.example.org")
    network = factories.NetworkFactory(founded_by=lead)
    factories.MembershipFactory(network=network, organisation=lead, coordinator=True)
    factories.MembershipFactory(network=network, organisation=museum, status=Membership.Status.ADMITTED)
    return user


@pytest.fixture
def anonymous(db):
    return AnonymousUser()


@pytest.fixture(params=ACTORS)
def actor_name(request) -> str:
    return request.param


@pytest.fixture
def actor(request, actor_name):
    return request.getfixturevalue(actor_name)


@pytest.fixture
def png():
    return image_upload()
