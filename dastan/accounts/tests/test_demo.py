from io import StringIO

import pytest
from django.test import Client

from dastan.accounts.demo import DEMO_PASSWORD, load_demo
from dastan.catalog.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_prints_one_account_per_role_and_the_operator_opens_the_admin_but_no_studio() -> None:
    for slug in ("lahore-lights", "steppe-pictures"):
        Organisation.objects.create(name=slug.title(), slug=slug, kind="studio", country="PK")
    out = StringIO()
    load_demo(out=out)
    load_demo(out=StringIO())  # safe to run again
    printed = out.getvalue()
    for line in ("zara     Administrator", "bilal    Editor", "sana     Viewer", "aigerim  Editor",
                 "ops      node operator"):
        assert line in printed, printed
    operator = Client()
    signed_in = operator.post("/studio/login/", {"username": "ops", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302, signed_in.content
    assert operator.get("/admin/").status_code == 200
    assert operator.get("/studio/").status_code == 403
