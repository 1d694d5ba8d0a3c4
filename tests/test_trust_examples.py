"""The examples an outside tester found with two organisations on one node (issue 11), one
test each; the kinds they stand for are tested as a whole by test_permissions_matrix.py
(every endpoint × identity) and test_api_fuzz.py. The tus, playback and revocation
examples are in dastan/media/tests (test_tus*.py, test_publication.py, test_playback.py)
and dastan/rights/tests/test_playback_media.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dastan.accounts.models import Membership
from dastan.accounts.tokens import issue_api_token
from dastan.catalog.models import Organisation, Title
from dastan.catalog.tests.factories import make_title
from dastan.localization.models import CueRevision, GlossaryTerm, SubtitleTrack
from dastan.localization.tracks import CueData, create_track
from dastan.media.upload import access_title_for_upload
from dastan.rights.actions import grant_licence
from dastan.rights.tests.factories import terms

pytestmark = pytest.mark.django_db
SRT = b"1\n00:00:01,000 --> 00:00:02,000\nB's words on A's film.\n"


def _person(org: Organisation, role: str, name: str, **flags: Any) -> tuple[User, Client]:
    user = User.objects.create_user(name, password="x" * 12, **flags)
    Membership.objects.create(user=user, organisation=org, role=role)
    return user, Client(headers={"Authorization": f"Bearer {issue_api_token(user=user)}"})


@pytest.fixture
def two_studios() -> dict[str, Any]:
    a = Organisation.objects.create(name="Lahore Lights", slug="lahore-lights", kind="studio", country="PK")
    b = Organisation.objects.create(name="Almaty Dubbing", slug="almaty-dubbing", kind="studio", country="KZ")
    film = make_title(names={"ur": "نوری"}, owner=a, slug="noori")
    published = create_track(title=film, language="ru", origin="human", cues=[CueData(1000, 2000, "Нури пришла.")])
    SubtitleTrack.objects.filter(pk=published.pk).update(state=SubtitleTrack.State.PUBLISHED)
    draft = create_track(title=film, language="kk", origin="human", cues=[CueData(1000, 2000, "Жоба мәтіні.")])
    GlossaryTerm.objects.create(organisation=a, source_language="ur", target_language="ru", source_term="نوری",
                                target_term="Нури", note="spelling agreed with the distributor's lawyer")
    grant_licence.execute(terms=terms("PK-KZ-SVOD", title_id=film.pk, contract_reference="LL-2026-017"),
                          licensor=a)
    return {"a": a, "b": b, "film": film, "published": published, "draft": draft,
            "b_editor": _person(b, Membership.Role.EDITOR, "b-editor"),
            "a_editor": _person(a, Membership.Role.EDITOR, "a-editor")}


def test_another_organisations_token_cannot_replace_a_published_track_and_its_history_stays(
        two_studios: dict[str, Any]) -> None:
    track = two_studios["published"]
    revisions = CueRevision.objects.filter(cue__track=track).count()
    _, b = two_studios["b_editor"]
    response = b.post("/api/v1/localization/titles/noori/tracks",
                      {"language": "ru", "file": SimpleUploadedFile("b.srt", SRT)})
    assert response.status_code == 403 and response.json()["code"] == "not_a_member"
    assert "Lahore Lights" in response.json()["message"]
    track.refresh_from_db()
    assert track.state == SubtitleTrack.State.PUBLISHED
    assert [c.text for c in track.cues.all()] == ["Нури пришла."]
    assert CueRevision.objects.filter(cue__track=track).count() == revisions


def test_the_owners_file_replaces_a_reviewed_track_only_when_asked_and_the_track_goes_back_to_review(
        two_studios: dict[str, Any]) -> None:
    _, a = two_studios["a_editor"]
    first = a.post("/api/v1/localization/titles/noori/tracks",
                   {"language": "ru", "file": SimpleUploadedFile("new.srt", SRT)})
    assert first.status_code == 409 and first.json()["code"] == "track_already_reviewed"
    assert "replace=true" in first.json()["hint"]
    second = a.post("/api/v1/localization/titles/noori/tracks",
                    {"language": "ru", "replace": "true", "file": SimpleUploadedFile("new.srt", SRT)})
    assert second.status_code == 200 and second.json()["state"] == SubtitleTrack.State.IN_REVIEW


def test_another_organisations_token_reads_no_draft_track_no_glossary_and_no_licence(
        two_studios: dict[str, Any]) -> None:
    _, b = two_studios["b_editor"]
    draft = b.get(f"/api/v1/localization/tracks/{two_studios['draft'].pk}")
    assert draft.status_code == 404 and "Жоба мәтіні" not in draft.content.decode()
    listed = b.get("/api/v1/localization/titles/noori/tracks").json()
    assert [t["language"] for t in listed] == ["ru"]  # the published one only
    glossary = b.get("/api/v1/localization/organisations/lahore-lights/glossary")
    assert glossary.status_code == 403 and "lawyer" not in glossary.content.decode()
    licences = b.get("/api/v1/rights/licences")
    assert licences.status_code == 200 and licences.json() == []
    assert b.get("/api/v1/rights/licences/PK-KZ-SVOD").status_code == 404
    assert b.get("/api/v1/rights/licences/PK-KZ-SVOD/revisions").status_code == 404


def test_the_staff_flag_gives_no_right_to_upload_or_publish_another_organisations_film(
        two_studios: dict[str, Any]) -> None:
    rights_manager, _ = _person(two_studios["b"], Membership.Role.DISTRIBUTOR, "timur-b", is_staff=True)
    from dastan.accounts.permissions import NotAllowed
    from dastan.media.publishing import publish_title

    with pytest.raises(NotAllowed, match="not a member of Lahore Lights"):
        access_title_for_upload(user=rights_manager, slug="noori")
    with pytest.raises(NotAllowed, match="not a member of Lahore Lights"):
        publish_title(title=Title.objects.get(slug="noori"), by=rights_manager)


@pytest.mark.parametrize("which", ["other", "missing"])
def test_the_review_desk_answers_404_as_a_page_for_another_organisations_or_a_missing_track(
        two_studios: dict[str, Any], which: str) -> None:
    user, _ = two_studios["b_editor"]
    client = Client()
    client.force_login(user)
    track_id = two_studios["draft"].pk if which == "other" else 987654
    response = client.get(f"/studio/review/{track_id}/", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "What to do:" in response.content.decode()


def test_the_rights_chart_answers_403_with_the_role_to_ask_for_instead_of_500(two_studios: dict[str, Any]) -> None:
    user, _ = two_studios["a_editor"]
    client = Client()
    client.force_login(user)
    response = client.get("/rights/titles/noori/chart.svg", headers={"Accept": "text/html"})
    assert response.status_code == 403
    assert "rights manager" in response.content.decode()


def test_a_refusal_page_speaks_the_viewers_language(two_studios: dict[str, Any]) -> None:
    user, _ = two_studios["a_editor"]
    client = Client(headers={"Accept-Language": "ru", "Accept": "text/html"})
    client.force_login(user)
    response = client.get("/rights/titles/noori/chart.svg")
    assert response.status_code == 403
    assert "Ваша роль в Lahore Lights" in response.content.decode()
