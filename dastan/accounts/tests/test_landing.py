"""After signing in, each person lands on the desk their roles open, not on a refusal."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from dastan.accounts.models import Membership
from dastan.accounts.tests.factories import (
    MembershipFactory,
    NodeOperatorFactory,
    OrganisationFactory,
    UserFactory,
)
from dastan.catalog.tests.factories import make_title

pytestmark = pytest.mark.django_db


PLACES = {
    Membership.Role.ADMIN: ["studio", "review", "tasks", "rights", "compute", "bazaar", "labs"],
    Membership.Role.EDITOR: ["studio", "review", "tasks", "bazaar", "labs"],
    Membership.Role.TRANSLATOR: ["studio", "review", "tasks", "bazaar", "labs"],
    Membership.Role.REVIEWER: ["review", "tasks", "bazaar", "labs"],
    Membership.Role.DISTRIBUTOR: ["rights", "bazaar", "labs"],
    Membership.Role.VIEWER: ["bazaar", "labs"],
    "operator": ["compute", "federation", "bazaar", "labs"],
    "nobody": ["bazaar", "labs"],
}


@pytest.mark.parametrize(("role", "landing"), [
    (Membership.Role.ADMIN, "/studio/"), (Membership.Role.EDITOR, "/studio/"),
    (Membership.Role.TRANSLATOR, "/studio/"), (Membership.Role.REVIEWER, "/studio/review/"),
    (Membership.Role.DISTRIBUTOR, "/rights/titles/steppe/"), (Membership.Role.VIEWER, "/"),
    ("operator", "/admin/"), ("nobody", "/"),
])
def test_signing_in_lands_on_the_desk_the_role_opens_and_that_desk_opens(role: str, landing: str) -> None:
    studio = OrganisationFactory.create(name="Steppe Pictures", country="KZ")
    make_title(names={"kk": "Дала"}, owner=studio, slug="steppe")
    user: Any = UserFactory(username="person", is_staff=role == "operator", password="x" * 12)
    if role == "operator":
        NodeOperatorFactory.create(user=user)
    elif role != "nobody":
        MembershipFactory.create(user=user, organisation=studio, role=role)
    client = Client()
    signed_in = client.post("/studio/login/", {"username": "person", "password": "x" * 12}, follow=True)
    assert signed_in.redirect_chain[-1][0] == landing
    assert signed_in.status_code == 200
    # Every page's header lists the places the roles open, each of which opens; and a way out.
    page = client.get("/").content.decode()
    shown = re.findall(r'data-place="([a-z]+)"', page)
    assert shown == PLACES[role], shown
    for href in re.findall(r'<a href="([^"]+)"[^>]*data-place=', page):
        assert client.get(href).status_code == 200, href
    assert "Sign out" in page
    assert 'data-place=' not in Client().get("/").content.decode()  # nobody signed in: no places
