"""/api/v1/rights: rights managers of the licensor change licences; decisions for anyone."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from dastan.accounts.models import Membership
from dastan.accounts.tokens import issue_api_token
from dastan.rights.models import Licence, LicenceRevision

from .factories import distributor_of, make_title, make_user, owner_of

pytestmark = pytest.mark.django_db

BODY = {"ref": "KZ-SVOD-14", "title": "steppe", "licence_type": "SVOD", "territories": ["Central Asia"],
        "territories_excluded": ["TM"], "start": "2027-03-01", "end": "2027-08-31", "exclusive": True,
        "audio_languages": ["kk", "ru"]}


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=user)}")


def test_a_rights_manager_grants_amends_and_revokes_with_every_revision_listed() -> None:
    title = make_title(slug="steppe")
    client = _client(distributor_of(owner_of(title)))
    created = client.post("/api/v1/rights/licences", BODY, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["countries"] == ["KG", "KZ", "TJ", "UZ"]
    amended = client.put("/api/v1/rights/licences/KZ-SVOD-14", {**BODY, "end": "2027-12-31"},
                         content_type="application/json")
    assert amended.json()["terms"]["End"] == "2027-12-31" and amended.json()["revision"] == 2
    assert client.delete("/api/v1/rights/licences/KZ-SVOD-14").json()["revoked"] is True
    revisions = client.get("/api/v1/rights/licences/KZ-SVOD-14/revisions").json()
    assert [(r["number"], r["terms"]["End"], r["terms"]["Revoked"]) for r in revisions] == [
        (1, "2027-08-31", "No"), (2, "2027-12-31", "No"), (3, "2027-12-31", "Yes")]


def test_someone_without_the_rights_manager_role_is_refused_and_nothing_is_stored() -> None:
    title = make_title(slug="steppe")
    editor = distributor_of(owner_of(title), role=Membership.Role.EDITOR)
    for client in (_client(editor), _client(make_user())):
        response = client.post("/api/v1/rights/licences", BODY, content_type="application/json")
        assert response.status_code == 403
        assert "rights manager" in response.json()["hint"]
    assert not Licence.objects.exists()


def test_a_clashing_licence_is_refused_with_409_naming_the_licence_it_clashes_with() -> None:
    title = make_title(slug="steppe")
    client = _client(distributor_of(owner_of(title)))
    client.post("/api/v1/rights/licences", BODY, content_type="application/json")
    response = client.post("/api/v1/rights/licences", {**BODY, "ref": "UZ-SVOD-1", "territories": ["UZ"]},
                           content_type="application/json")
    assert response.status_code == 409
    assert response.json()["message"].startswith(
        "Licence UZ-SVOD-1 clashes with exclusive licence KZ-SVOD-14 in Uzbekistan")
    assert LicenceRevision.objects.count() == 1


def test_a_bad_country_code_names_the_field_and_the_fix() -> None:
    title = make_title(slug="steppe")
    response = _client(distributor_of(owner_of(title))).post(
        "/api/v1/rights/licences", {**BODY, "territories": ["KZ", "QQ"]}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["message"] == "'QQ' is not a country code nor a territory group."


def test_a_refusal_and_a_decision_reach_the_client_in_its_language() -> None:
    title = make_title(slug="steppe")
    client = _client(distributor_of(owner_of(title)))
    client.post("/api/v1/rights/licences", BODY, content_type="application/json")
    refused = client.post("/api/v1/rights/licences", {**BODY, "territories": ["KZ", "QQ"]},
                          content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru")
    assert refused.status_code == 422
    assert refused.json()["message"] == "«QQ» — не код страны и не группа территорий."
    assert refused.json()["hint"].startswith("Используйте код ISO 3166-1 alpha-2")
    tm = Client().get("/api/v1/rights/decision", {"title": "steppe", "territory": "TM", "at": "2027-05-01T00:00:00Z"},
                      HTTP_ACCEPT_LANGUAGE="ur").json()
    assert tm["reason"] == "ترکمانستان کے لیے لائسنس نہیں: KZ-SVOD-14 کے تحت خارج۔"


def test_the_decision_endpoint_answers_with_the_reason_for_a_given_territory() -> None:
    title = make_title(slug="steppe")
    _client(distributor_of(owner_of(title))).post("/api/v1/rights/licences", BODY,
                                              content_type="application/json")
    kz = Client().get("/api/v1/rights/decision", {"title": "steppe", "territory": "KZ",
                                                  "at": "2027-05-01T00:00:00Z", "audio": "ru,en"}).json()
    assert kz["allowed"] and kz["allowed_audio"] == ["ru"] and kz["licence_ref"] == "KZ-SVOD-14"
    tm = Client().get("/api/v1/rights/decision", {"title": "steppe", "territory": "TM",
                                                  "at": "2027-05-01T00:00:00Z"}).json()
    assert tm["reason"] == "Not licensed for Turkmenistan: excluded by KZ-SVOD-14."
    catalog = Client().get("/api/v1/rights/catalog", {"territory": "KZ", "at": "2027-01-01T00:00:00Z"})
    assert catalog.json()["coming"][0] == {"title": "steppe", "opens_at": "2027-02-28T19:00:00Z",
                                           "opens_on": "2027-03-01"}


def test_an_avails_file_posted_as_text_is_planned_on_dry_run() -> None:
    title = make_title(slug="steppe")
    client = _client(distributor_of(owner_of(title)))
    text = "LicenceRef,Title,LicenseType,Territory,Start\nKZ-1,steppe,SVOD,KZ,2027-01-01\n"
    response = client.post("/api/v1/rights/avails?dry_run=true", text, content_type="text/csv")
    assert response.json()["changes"] == ["line 2: grant KZ-1"] and not Licence.objects.exists()
    bad = client.post("/api/v1/rights/avails", text.replace("KZ,", "XQ,"), content_type="text/csv")
    assert bad.status_code == 422 and json.loads(bad.content)["code"] == "avails_rejected"


def test_the_admin_shows_a_licence_with_its_revisions_but_cannot_change_it() -> None:
    from django.contrib.auth import get_user_model

    title = make_title(slug="steppe")
    _client(distributor_of(owner_of(title))).post("/api/v1/rights/licences", BODY,
                                                   content_type="application/json")
    admin_user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client = Client()
    client.force_login(admin_user)
    licence = Licence.objects.get()
    page = client.get(f"/admin/rights/licence/{licence.pk}/change/")
    assert page.status_code == 200 and "KZ-SVOD-14" in page.content.decode()
    client.post(f"/admin/rights/licence/{licence.pk}/change/", {"ref": "HACKED"})
    assert Licence.objects.get().ref == "KZ-SVOD-14"


def test_an_avails_dry_run_by_api_shows_the_distributors_mapping_and_every_row() -> None:
    title = make_title(slug="steppe")
    client = _client(distributor_of(owner_of(title)))
    text = "\ufeffTitle ID;Country;Avail Start;Rights\nsteppe;KZ;2027-01-01;SVOD\nsteppe;KZ;2027-01-01;SVOD\n"
    body = client.post("/api/v1/rights/avails?dry_run=true", text.encode(), content_type="text/csv").json()
    assert body["mapping"] == ["Title ID → Title", "Country → Territory", "Avail Start → Start",
                               "Rights → LicenseType",
                               "LicenceRef: made from Title, LicenseType, Territory and Start"]
    assert body["rows"] == ["line 2: grant steppe-SVOD-KZ-20270101",
                            ("line 3 (LicenceRef): steppe-SVOD-KZ-20270101 repeats line 2 exactly; "
                            "the repeat is skipped. (skipped)")]
    assert body["summary"].endswith(", 1 skipped") and not Licence.objects.exists()


def test_an_avails_import_by_api_takes_column_choices_in_the_query() -> None:
    title = make_title(slug="steppe")
    client = _client(distributor_of(owner_of(title)))
    text = "Title ID;Pays;Début;Rights\nsteppe;KZ;2027-01-01;SVOD\n"
    body = client.post("/api/v1/rights/avails?dry_run=true&map=Pays%3DTerritory&map=D%C3%A9but%3DStart",
                       text.encode(), content_type="text/csv").json()
    assert "Pays → Territory" in body["mapping"] and body["rows"] == ["line 2: grant steppe-SVOD-KZ-20270101"]


@pytest.mark.parametrize(("language", "line"), [
    ("ru", "строка 3 (LicenceRef): KZ-1 уже есть в строке 2 с другими условиями."),
    ("ur", "سطر 3 (LicenceRef): KZ-1 سطر 2 پر دوسری شرائط کے ساتھ پہلے سے موجود ہے۔"),
])
def test_an_avails_files_bad_rows_reach_the_importer_in_their_language_each_with_a_stable_code(
        language: str, line: str) -> None:
    title = make_title(slug="steppe")
    client = _client(distributor_of(owner_of(title)))
    text = ("LicenceRef,Title,LicenseType,Territory,Start\nKZ-1,steppe,SVOD,KZ,2027-01-01\n"
            "KZ-1,steppe,SVOD,UZ,2027-01-01\nKZ-2,nowhere,SVOD,KZ,2027-01-01\n")
    refused = client.post("/api/v1/rights/avails", text, content_type="text/csv", HTTP_ACCEPT_LANGUAGE=language)
    assert refused.status_code == 422 and refused.json()["code"] == "avails_rejected"
    problems = refused.json()["problems"]
    assert [(p["line"], p["column"], p["code"]) for p in problems] == [
        (3, "LicenceRef", "repeated_ref"), (4, "Title", "invalid_licence")]
    assert problems[0]["text"] == line
    assert not Licence.objects.exists()
