from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dastan.accounts.tokens import issue_api_token
from dastan.catalog import services
from dastan.catalog.tests.factories import OrganisationFactory, UserFactory, make_title, member_of

pytestmark = pytest.mark.django_db


def auth(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user=user)}"}


@pytest.fixture
def studio() -> Any:
    return OrganisationFactory(slug="lahore-lights", name="Lahore Lights", country="PK")


def new_title(**overrides: Any) -> dict[str, Any]:
    body = {"slug": "noori-jatt", "owner": "lahore-lights", "original_language": "ur",
            "country_of_origin": "PK", "name": "نوری جٹ", "is_published": True}
    return {**body, **overrides}


def test_list_is_paginated_and_filtered_by_country_genre_and_language(client: Client) -> None:
    drama = services.ensure_genre(slug="drama", names={"en": "Drama", "ru": "Драма"})
    make_title(slug="pk", names={"ur": "نوری جٹ", "en": "Noori Jatt"}, country="PK", genres=[drama])
    make_title(slug="kz", names={"kk": "Дала әні"}, country="KZ")
    make_title(slug="ru", names={"ru": "Северный ветер"}, country="RU")
    body = client.get("/api/v1/catalog/titles", {"page_size": "2", "language": "ru"}).json()
    assert (body["count"], body["pages"], len(body["items"])) == (3, 2, 2)
    assert client.get("/api/v1/catalog/titles", {"page": 2, "page_size": 2}).json()["items"][0]["slug"] == "pk"
    assert [t["slug"] for t in client.get("/api/v1/catalog/titles", {"country": "kz"}).json()["items"]] == ["kz"]
    by_genre = client.get("/api/v1/catalog/titles", {"genre": "drama", "language": "ru"}).json()["items"]
    assert [(t["slug"], t["genres"][0]["name"]) for t in by_genre] == [("pk", "Драма")]
    by_lang = client.get("/api/v1/catalog/titles", {"original_language": "ru"}).json()["items"]
    assert [t["slug"] for t in by_lang] == ["ru"]


def test_search_endpoint_finds_across_scripts(client: Client) -> None:
    make_title(slug="noori-jatt", names={"ur": "نوری جٹ"})
    found = client.get("/api/v1/catalog/search", {"q": "Noori Jatt", "language": "en"}).json()
    assert [(t["slug"], t["text"]["name"], t["text"]["is_fallback"]) for t in found] == \
        [("noori-jatt", "نوری جٹ", True)]


def test_detail_gives_texts_credits_and_the_fallback_language(client: Client) -> None:
    title = make_title(slug="noori-jatt", names={"ur": "نوری جٹ", "en": "Noori Jatt"})
    services.add_credit(title=title, name="بلال احمد", latin_name="Bilal Ahmad", role="director")
    body = client.get("/api/v1/catalog/titles/noori-jatt", {"language": "kk"}).json()
    assert body["card"]["text"]["language"] == "en" and body["card"]["text"]["is_fallback"]
    assert {t["language"]: t["origin"] for t in body["texts"]} == {"ur": "original", "en": "human"}
    assert body["credits"] == [{"name": "بلال احمد", "latin_name": "Bilal Ahmad", "role": "director",
                                "character": ""}]


def test_language_comes_from_the_interface_language_cookie(client: Client) -> None:
    make_title(slug="t", names={"ur": "نوری جٹ", "ru": "Нури Джатт"})
    client.cookies["dastan_language"] = "ru"
    assert client.get("/api/v1/catalog/titles/t").json()["card"]["text"]["name"] == "Нури Джатт"


def test_unknown_title_names_the_slug_and_how_to_find_one(client: Client) -> None:
    response = client.get("/api/v1/catalog/titles/nope")
    assert response.status_code == 404
    assert response.json()["code"] == "title_not_found" and "search" in response.json()["hint"]


def test_member_creates_a_title_and_adds_a_translation(client: Client, studio: Any) -> None:
    headers = auth(member_of(studio))
    response = client.post("/api/v1/catalog/titles", new_title(), content_type="application/json", headers=headers)
    assert response.status_code == 201, response.json()
    response = client.put("/api/v1/catalog/titles/noori-jatt/texts/zh-Hans", {"name": "努里·贾特"},
                          content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["origin"] == "human"
    assert client.get("/api/v1/catalog/search", {"q": "努里"}).json()[0]["slug"] == "noori-jatt"


def test_non_member_gets_403_naming_the_organisation(client: Client, studio: Any) -> None:
    response = client.post("/api/v1/catalog/titles", new_title(), content_type="application/json",
                           headers=auth(UserFactory()))
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "not_a_member" and body["field"] == "owner"
    assert "Lahore Lights" in body["message"] and "Ask an administrator" in body["hint"]


def test_non_member_cannot_change_another_studios_title(client: Client, studio: Any) -> None:
    make_title(slug="noori-jatt", names={"ur": "نوری جٹ"}, owner=studio)
    other = member_of(OrganisationFactory())
    response = client.patch("/api/v1/catalog/titles/noori-jatt", {"year": 2022},
                            content_type="application/json", headers=auth(other))
    assert response.status_code == 403 and "Lahore Lights" in response.json()["message"]


def test_member_updates_year_and_genres(client: Client, studio: Any) -> None:
    services.ensure_genre(slug="action", names={"en": "Action"})
    make_title(slug="noori-jatt", names={"ur": "نوری جٹ"}, owner=studio)
    response = client.patch("/api/v1/catalog/titles/noori-jatt", {"year": 2022, "genres": ["action"]},
                            content_type="application/json", headers=auth(member_of(studio)))
    assert response.status_code == 200, response.json()
    assert response.json()["card"]["year"] == 2022 and response.json()["card"]["genres"][0]["slug"] == "action"


def test_writing_without_a_token_is_401_with_the_fix(client: Client) -> None:
    response = client.post("/api/v1/catalog/titles", new_title(), content_type="application/json")
    assert response.status_code == 401 and "create_api_token" in response.json()["hint"]


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"slug": "Not A Slug"}, "slug", "not valid"),
    ({"country_of_origin": "ZZ"}, "country_of_origin", "two-letter"),
    ({"original_language": "de"}, "original_language", "Use one of"),
    ({"owner": "nobody"}, "owner", "organisations"),
    ({"genres": ["western"]}, "genres", "genre slugs"),
    ({"kind": "episode"}, "parent", "Set 'parent'"),
])
def test_every_error_names_the_field_and_the_fix(client: Client, studio: Any, change: dict[str, Any],
                                                 field: str, words: str) -> None:
    response = client.post("/api/v1/catalog/titles", new_title(**change), content_type="application/json",
                           headers=auth(member_of(studio)))
    body = response.json()
    assert response.status_code in (404, 422), body
    assert body["field"] == field
    assert words in body["message"] + body["hint"]


def test_openapi_document_is_valid_openapi_3(client: Client) -> None:
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/catalog/search" in document["paths"]


@pytest.mark.parametrize(("query", "field", "words"), [
    ({"page_size": "500"}, "page_size", "at most 100"),
    ({"language": "de"}, "language", "Use one of"),
])
def test_list_errors_name_the_query_parameter_and_the_fix(client: Client, query: dict[str, str], field: str,
                                                          words: str) -> None:
    response = client.get("/api/v1/catalog/titles", query)
    assert response.status_code == 422
    assert response.json()["field"] == field and words in response.json()["hint"]


def test_a_stranger_cannot_write_texts_for_another_studios_title(client: Client, studio: Any) -> None:
    make_title(slug="noori-jatt", names={"ur": "نوری جٹ"}, owner=studio)
    response = client.put("/api/v1/catalog/titles/noori-jatt/texts/ru", {"name": "Нури"},
                          content_type="application/json", headers=auth(UserFactory()))
    assert response.status_code == 403 and response.json()["field"] == "language"
    assert client.get("/api/v1/catalog/titles/noori-jatt", {"language": "ru"}).json()["card"]["text"]["language"] == "ur"


@pytest.mark.parametrize(("language", "message", "hint"), [
    ("ru", "В этом каталоге нет фильма «nope».", "Проверьте слаг;"),
    ("ur", "اس کیٹلاگ میں 'nope' نامی کوئی عنوان نہیں۔", "slug جانچیں؛"),
])
def test_an_unknown_title_is_refused_in_the_askers_language_with_the_same_code(
        client: Client, language: str, message: str, hint: str) -> None:
    response = client.get("/api/v1/catalog/titles/nope", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert response.json()["code"] == "title_not_found"
    assert response.json()["message"] == message and response.json()["hint"].startswith(hint)


@pytest.mark.parametrize(("language", "message"), [
    ("ru", "Эпизод должен входить в сезон."),
    ("ur", "قسط کو کسی سیزن کا حصہ ہونا چاہیے۔"),
])
def test_a_misplaced_episode_is_refused_in_the_members_language(
        client: Client, studio: Any, language: str, message: str) -> None:
    response = client.post("/api/v1/catalog/titles", new_title(kind="episode"), content_type="application/json",
                           headers=auth(member_of(studio)), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_title" and response.json()["message"] == message
