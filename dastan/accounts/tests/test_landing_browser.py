"""Each role's first page after signing in, as Chromium shows it in English and in Urdu
(right to left): the desk the role opens, the header's places, no refusal. Screenshots go
to test-output/screenshots/landing-<role>-<language>.png for a person to look at."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from dastan.accounts.models import Membership, NodeOperator
from dastan.catalog.models import Organisation
from dastan.catalog.tests.factories import UserFactory, make_title
from dastan_testing.shared import SCREENSHOTS, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = {  # role → (where it lands, a place its header must offer)
    "admin": ("/studio/", "compute"), "editor": ("/studio/", "studio"), "translator": ("/studio/", "tasks"),
    "reviewer": ("/studio/review/", "review"), "distributor": ("/rights/titles/steppe/", "rights"),
    "viewer": ("/", "labs"), "operator": ("/admin/", "federation"),
}


def test_each_roles_landing_page_in_english_and_urdu(live_server: Any) -> None:
    studio = Organisation.objects.create(name="Lahore Lights", slug="lahore-lights", kind="studio", country="PK")
    make_title(names={"ur": "دالا", "en": "Steppe"}, owner=studio, slug="steppe")
    sessions = {}
    for role in ROLES:
        user: Any = UserFactory(username=role, is_staff=role == "operator")
        if role == "operator":
            NodeOperator.objects.create(user=user)
        else:
            Membership.objects.create(user=user, organisation=studio, role=role)
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        for role, (landing, place) in ROLES.items():
            for language in ("en", "ur"):
                context = browser.new_context(viewport={"width": 1200, "height": 800})
                context.add_cookies([
                    {"name": settings.SESSION_COOKIE_NAME, "value": sessions[role], "url": live_server.url},
                    {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
                page = context.new_page()
                response = page.goto(live_server.url + "/studio/home/", wait_until="load")
                assert response is not None and response.status == 200, (role, language, response)
                assert page.url == live_server.url + landing, (role, page.url)
                if landing != "/admin/":  # the admin is Django's own page, without the header
                    assert page.locator(f'.places [data-place="{place}"]').is_visible(), (role, language)
                    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ur" else "ltr")
                assert "You may not open this page" not in page.content()
                page.screenshot(path=str(SCREENSHOTS / f"landing-{role}-{language}.png"))
                context.close()
