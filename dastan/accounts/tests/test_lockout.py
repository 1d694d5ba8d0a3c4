"""Sign-in lockout (django-axes) on the studio's and the admin's sign-in pages: a user name
and address pair is paused after DASTAN_LOGIN_FAILURE_LIMIT wrong passwords, and the page
says in the viewer's language when to try again."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dastan.catalog.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"


@pytest.fixture
def user(settings: Any) -> Any:
    settings.AXES_FAILURE_LIMIT = 3
    person: Any = UserFactory(username="gulnara")
    person.set_password(PASSWORD)
    person.save()
    return person


def _fail(client: Client, url: str, username: str = "gulnara", times: int = 1) -> list[int]:
    return [client.post(url, {"username": username, "password": "wrong"}).status_code for _ in range(times)]


def test_studio_sign_in_is_paused_after_the_failure_limit_even_for_the_right_password(user: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.5")
    assert _fail(client, "/studio/login/", times=2) == [200, 200]
    locked = client.post("/studio/login/", {"username": "gulnara", "password": "wrong"})
    assert locked.status_code == 429
    assert 60 <= int(locked["Retry-After"]) <= 15 * 60
    page = locked.content.decode()
    assert "Sign-in paused" in page and "Try again in 15 min, after" in page and "UTC" in page
    right = client.post("/studio/login/", {"username": "gulnara", "password": PASSWORD})
    assert right.status_code == 429 and "_auth_user_id" not in client.session


def test_the_lockout_page_speaks_the_viewers_language(user: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.6")
    client.cookies["dastan_language"] = "ru"
    _fail(client, "/studio/login/", times=3)
    page = client.post("/studio/login/", {"username": "gulnara", "password": "wrong"}).content.decode()
    assert "Вход приостановлен" in page and "Попробуйте снова через 15 мин" in page


def test_lockout_holds_one_user_name_from_one_address_only(user: Any) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    _fail(attacker, "/studio/login/", times=3)
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    assert elsewhere.post("/studio/login/", {"username": "gulnara", "password": PASSWORD}).status_code == 302
    other: Any = UserFactory(username="timur")
    other.set_password(PASSWORD)
    other.save()
    assert attacker.post("/studio/login/", {"username": "timur", "password": PASSWORD}).status_code == 302


def test_a_successful_sign_in_clears_the_earlier_failures(user: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.8")
    _fail(client, "/studio/login/", times=2)
    assert client.post("/studio/login/", {"username": "gulnara", "password": PASSWORD}).status_code == 302
    client.post("/studio/logout/")
    assert _fail(client, "/studio/login/", times=2) == [200, 200]


def test_the_admin_sign_in_is_paused_too(user: Any) -> None:
    user.is_staff = True
    user.save()
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert _fail(client, "/admin/login/?next=/admin/", times=2) == [200, 200]
    assert _fail(client, "/admin/login/?next=/admin/") == [429]
    assert client.post("/admin/login/?next=/admin/",
                       {"username": "gulnara", "password": PASSWORD}).status_code == 429


def test_force_login_in_tests_and_session_pages_still_work(user: Any) -> None:
    client = Client()
    client.force_login(user)
    assert client.get("/studio/").status_code in (200, 403)
