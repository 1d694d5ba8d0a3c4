"""The demo loads a small market — organisations from several countries, two projects,
one script under NDA — once, and its pages open."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.test import Client

from dastan.bazaar.demo import DEMO_PASSWORD, load_demo
from dastan.bazaar.models import Profile, Project, Script, ScriptGrant

pytestmark = pytest.mark.django_db


def test_the_demo_market_loads_once_and_its_pages_open(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    load_demo(out=out)
    load_demo(out=out)  # safe to run again
    assert "loaded already" in out.getvalue()
    assert len(set(Profile.objects.values_list("country", flat=True))) >= 4
    assert Project.objects.count() == 2 and Script.objects.count() == 1
    assert ScriptGrant.objects.get().recipient.username == "parisa"
    assert "The Caravan to Samarkand" in Client().get("/bazaar/").content.decode()
    parisa = Client()
    assert parisa.post("/studio/login/", {"username": "parisa", "password": DEMO_PASSWORD}).status_code == 302
    script = Script.objects.get()
    assert "I accept these terms" in parisa.get(f"/bazaar/scripts/{script.pk}/").content.decode()
