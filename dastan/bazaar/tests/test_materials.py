"""A teaser or rough cut goes through the media pipeline as the owner's unpublished title
and is attached to the project privately: the owner's people see and play it, nobody
else learns it exists; another organisation's title or a freelancer's project is refused
with the reason, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dastan.accounts.permissions import NotFoundForUser
from dastan.bazaar.errors import InvalidPitch
from dastan.bazaar.materials import attach_material, project_materials
from dastan.bazaar.models import ProjectMaterial
from dastan.bazaar.tests.factories import org_profile, person_profile, project
from dastan.catalog.tests.factories import make_title

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_teaser_is_attached_privately_and_listed_to_the_owners_people_only() -> None:
    owner, producer = org_profile(name="Lahore Lantern", country="PK")
    _other, stranger = org_profile(name="Chengdu Pixel", country="CN")
    pitch = project(owner=owner, user=producer, title="The Caravan", slug="the-caravan", visibility="public")
    make_title(names={"ur": "Caravan teaser"}, owner=owner.organisation, slug="caravan-teaser", published=False)
    made = attach_material(user=producer, project_id=pitch.pk, kind="teaser", label="Teaser, March cut",
                           title_slug="caravan-teaser")
    assert [m.pk for m in project_materials(user=producer, project_id=pitch.pk)] == [made.pk]
    with pytest.raises(NotFoundForUser):
        project_materials(user=stranger, project_id=pitch.pk)

    answer = _client(producer).get("/api/v1/bazaar/projects/the-caravan/materials")
    assert answer.status_code == 200
    assert answer.json() == [{"id": made.pk, "kind": "teaser", "label": "Teaser, March cut",
                              "title": "caravan-teaser", "watch_url": "/media/watch/caravan-teaser/"}]
    assert _client(stranger).get("/api/v1/bazaar/projects/the-caravan/materials").status_code == 404
    own_page = _client(producer).get("/bazaar/projects/the-caravan/").content.decode()
    assert 'href="/media/watch/caravan-teaser/"' in own_page
    public_page = Client().get("/bazaar/projects/the-caravan/").content.decode()
    assert "caravan-teaser" not in public_page and "March cut" not in public_page


def test_what_cannot_be_attached_is_refused_with_the_reason_and_nothing_is_stored() -> None:
    owner, producer = org_profile(name="Lahore Lantern", country="PK")
    other, stranger = org_profile(name="Chengdu Pixel", country="CN")
    pitch = project(owner=owner, user=producer, slug="the-caravan")
    make_title(names={"zh-Hans": "别人的片花"}, owner=other.organisation, slug="their-teaser", published=False)
    with pytest.raises(InvalidPitch, match="has no title 'their-teaser'") as err:
        attach_material(user=producer, project_id=pitch.pk, kind="teaser", label="x", title_slug="their-teaser")
    assert "Upload the film in the studio first" in err.value.hint
    with pytest.raises(InvalidPitch, match="scripts are added as scripts|not a material"):
        attach_material(user=producer, project_id=pitch.pk, kind="script", label="x", title_slug="their-teaser")
    writer, freelancer = person_profile(name="Parisa Tehrani")
    solo = project(owner=writer, user=freelancer, slug="solo")
    with pytest.raises(InvalidPitch, match="freelancer"):
        attach_material(user=freelancer, project_id=solo.pk, kind="teaser", label="x", title_slug="their-teaser")
    refused = _client(stranger).post("/api/v1/bazaar/projects/the-caravan/materials", content_type="application/json",
                                     data={"kind": "teaser", "label": "x", "title": "their-teaser"})
    assert refused.status_code in (403, 404)
    assert ProjectMaterial.objects.count() == 0
