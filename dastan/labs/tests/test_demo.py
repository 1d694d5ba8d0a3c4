"""The demo's labs: one programme with an open call (applications, a committee with a
conflict, scores) and a finished edition with alumni, loaded once."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from dastan.accounts.demo import load_demo as load_accounts
from dastan.catalog.demo import load_demo as load_catalog
from dastan.labs.demo import SLUG, load_demo
from dastan.labs.models import Application, Certificate, Programme

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_call_and_a_finished_edition_with_alumni_once() -> None:
    load_catalog(io.StringIO())
    load_accounts(io.StringIO())
    out = io.StringIO()
    load_demo(out)
    load_demo(io.StringIO())  # safe to run again
    assert Programme.objects.filter(slug=SLUG).count() == 1
    assert "/labs/calls/" in out.getvalue()
    assert Application.objects.filter(state="submitted").count() == 4
    assert Application.objects.filter(state="draft").count() == 1
    assert Certificate.objects.count() == 2
    page = Client().get(f"/labs/{SLUG}/").content.decode()
    assert "Nodira Yusupova" in page and "Arman Bekov" in page  # the finished edition's alumni
    assert "Ayesha Khan" not in page  # the open call's applicants are nobody's business yet
    assert "/titles/noori-jatt/" in page
    chair = Client()
    assert chair.post("/studio/login/", {"username": "chen", "password": "dastan-demo"}).status_code == 302
    call = Application.objects.get(applicant__username="ayesha").call_id
    ranking = chair.get(f"/labs/calls/{call}/committee/").content.decode()
    assert "Ayesha Khan" in ranking and "Oleg Volkov" in ranking
    # The hosts' desk: Lahore Lights' administrator runs both editions.
    host = Client()
    assert host.post("/studio/login/", {"username": "zara", "password": "dastan-demo"}).status_code == 302
    desk = host.get(f"/labs/host/editions/{Application.objects.get(applicant__username='ayesha').call.edition_id}/")
    assert desk.status_code == 200 and "Chen Jing" in desk.content.decode() and "/labs/host/" in out.getvalue()
    assert "Ayesha Khan" not in desk.content.decode()  # applicants' names are the committee's until selection
