"""The compute page lists the requests refused at the remote workers' door in the reader's
language (the refusal keeps its reason's id), and a row kept before the ids as stored."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dastan.accounts.models import NodeOperator
from dastan.signing.messages import Refused, record_refusal
from dastan.signing.models import RefusedRequest


@pytest.mark.django_db
def test_the_compute_page_says_a_refusal_in_the_readers_language(client: Client) -> None:
    record_refusal("compute", Refused.because("unsigned"), method="POST", path="/compute/schedule")
    RefusedRequest.objects.create(channel="compute", code="unsigned", reason="kept before reason ids")
    operator = User.objects.create_user("operator", password="x" * 12)
    NodeOperator.objects.create(user=operator)
    client.force_login(operator)
    client.cookies["dastan_language"] = "ru"
    page = client.get("/compute/workers/").content.decode()
    assert "/compute/schedule · запрос без HTTP-подписи сообщения (нет заголовков Signature и Signature-Input)" in page
    assert "· kept before reason ids</li>" in page
