"""A job's failure, and what the ingest found to correct, are said in the language of
whoever reads them, not in the worker's: the rows keep the message ids and values
(dastan.i18n), and the pipeline page, its JSON and the jobs API say them again in the
viewer's language; rows from before keep their text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from dastan.accounts.tokens import issue_api_token
from dastan.catalog.tests.factories import OrganisationFactory, make_title, member_of
from dastan.jobs.models import Job, JobState
from dastan.jobs.services import run_queued_jobs, submit_job
from dastan.media.models import MediaAsset
from dastan.media.tests.films import film

pytestmark = pytest.mark.django_db

GONE = "uploads/gone.mp4"


@pytest.fixture
def failed_ingest() -> tuple[Any, Any, Job]:
    """A film whose uploaded bytes expired before its ingest ran in the (in-process) worker."""
    studio = OrganisationFactory(name="Lollywood Pictures", slug="lollywood")
    editor = member_of(studio, username="ayesha")
    title = make_title(names={"en": "Gone Film"}, owner=studio, slug="gone")
    job = submit_job(kind="media.ingest", target=title, created_by=editor,
                     params={"title_id": title.pk, "filename": "gone.mp4", "source_name": GONE})
    submit_job(kind="media.transcode", target=title, created_by=editor, params={}, parents=[job])
    run_queued_jobs(worker="studio-1")
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    return editor, title, job


def page(client: Client, url: str, language: str) -> str:
    client.cookies["dastan_language"] = language
    return client.get(url).content.decode()


def test_the_failure_is_stored_in_english_with_its_message_id_and_values(failed_ingest: Any) -> None:
    job = failed_ingest[2]
    assert job.error_code == "source_missing"
    assert job.error_message == f"The uploaded file '{GONE}' is no longer in the media storage."
    assert job.error_message_i18n == {
        "msgid": "The uploaded file '%(name)s' is no longer in the media storage.", "params": {"name": GONE}}
    assert job.error_hint_i18n["msgid"].startswith("Upload the film again")


@pytest.mark.parametrize(("language", "message", "hint"), [
    ("ru", f"Загруженного файла '{GONE}' больше нет в медиахранилище.", "Загрузите фильм ещё раз"),
    ("ur", f"اپ لوڈ شدہ فائل '{GONE}' اب میڈیا اسٹوریج میں نہیں ہے۔", "فلم دوبارہ اپ لوڈ کریں"),
    ("en", f"The uploaded file '{GONE}' is no longer in the media storage.", "Upload the film again"),
])
def test_the_pipeline_page_says_a_workers_failure_in_the_viewers_language(
        failed_ingest: Any, language: str, message: str, hint: str) -> None:
    editor, title, _ = failed_ingest
    client = Client()
    client.force_login(editor)
    html = page(client, f"/studio/titles/{title.slug}/", language)
    assert message.replace("'", "&#x27;") in html and hint in html
    if language != "en":
        assert "is no longer in the media storage" not in html and "Upload the film again" not in html
    pipeline = client.get(f"/studio/titles/{title.slug}/pipeline.json").json()
    assert message in str(pipeline) and hint in str(pipeline)


def test_the_jobs_api_answers_in_the_language_the_client_asks_for(failed_ingest: Any) -> None:
    editor, _, job = failed_ingest
    token = issue_api_token(user=editor)
    answer = Client().get(f"/api/v1/jobs/{job.pk}", HTTP_AUTHORIZATION=f"Bearer {token}",
                          HTTP_ACCEPT_LANGUAGE="ru").json()
    assert answer["error_message"] == f"Загруженного файла '{GONE}' больше нет в медиахранилище."
    assert answer["error_hint"].startswith("Загрузите фильм ещё раз")
    english = Client().get(f"/api/v1/jobs/{job.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert english["error_message"] == f"The uploaded file '{GONE}' is no longer in the media storage."


def test_a_job_cancelled_for_its_failed_parent_says_so_in_the_viewers_language(failed_ingest: Any) -> None:
    editor, _, job = failed_ingest
    child = Job.objects.get(parents=job)
    assert child.state == JobState.CANCELLED and child.error_code == "parent_failed"
    assert child.error_message == f"Not run: job #{job.pk} (media.ingest) it depends on did not succeed."
    token = issue_api_token(user=editor)
    answer = Client().get(f"/api/v1/jobs/{child.pk}", HTTP_AUTHORIZATION=f"Bearer {token}",
                          HTTP_ACCEPT_LANGUAGE="ru").json()
    assert f"#{job.pk}" in answer["error_message"] and "Not run" not in answer["error_message"]


def test_a_row_failed_before_message_ids_were_kept_shows_its_stored_text() -> None:
    studio = OrganisationFactory(name="Lollywood Pictures", slug="lollywood")
    editor = member_of(studio, username="ayesha")
    title = make_title(names={"en": "Old Film"}, owner=studio, slug="old")
    job = submit_job(kind="media.ingest", target=title, created_by=editor, params={})
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, error_message="'x.mp4' is not a video.",
                                         error_hint="Export the film again.")
    client = Client()
    client.force_login(editor)
    html = page(client, f"/studio/titles/{title.slug}/", "ru")
    assert "&#x27;x.mp4&#x27; is not a video." in html and "Export the film again." in html


# --- what the ingest corrects (the media QC's findings) -------------------------------------------

@pytest.fixture
def corrected_ingest(tmp_path: Path) -> tuple[Any, Any]:
    """A master with non-square pixels and two sound tracks, ingested by the worker."""
    studio = OrganisationFactory(name="Lollywood Pictures", slug="lollywood")
    editor = member_of(studio, username="ayesha")
    title = make_title(names={"en": "Wide Film"}, owner=studio, slug="wide")
    master = film(tmp_path / "wide.mp4", seconds=2, size="320x180", video_filter="setsar=4/3",
                  audio=(("sine=frequency=440", "eng"), ("sine=frequency=660", "rus")))
    job = submit_job(kind="media.ingest", target=title, created_by=editor,
                     params={"title_id": title.pk, "filename": "wide.mp4", "path": str(master)})
    run_queued_jobs(worker="studio-1")
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error_message
    return editor, title


def test_the_corrections_are_stored_in_english_with_their_message_ids(corrected_ingest: Any) -> None:
    probe = MediaAsset.objects.get(title=corrected_ingest[1]).probe
    assert probe["corrections"] == ["non-square pixels made square",
                                    "audio tracks kept, each as its own language: 2"]
    assert probe["corrections_i18n"] == [
        {"msgid": "non-square pixels made square"},
        {"msgid": "audio tracks kept, each as its own language: %(count)s", "params": {"count": 2}}]


@pytest.mark.parametrize(("language", "heading", "notes"), [
    ("ru", "Исправлено при подготовке потока",
     ["неквадратные пиксели сделаны квадратными", "звуковые дорожки сохранены, каждая как отдельный язык: 2"]),
    ("ur", "اسٹریم بناتے وقت کی گئی درستیاں",
     ["غیر مربع پکسلز کو مربع بنایا گیا", "آڈیو ٹریک رکھے گئے، ہر ایک اپنی زبان کے طور پر: 2"]),
    ("en", "Corrected on the way to the stream",
     ["non-square pixels made square", "audio tracks kept, each as its own language: 2"]),
])
def test_the_pipeline_page_lists_the_corrections_in_the_viewers_language(
        corrected_ingest: Any, language: str, heading: str, notes: list[str]) -> None:
    editor, title = corrected_ingest
    client = Client()
    client.force_login(editor)
    html = page(client, f"/studio/titles/{title.slug}/", language)
    assert heading in html
    for note in notes:
        assert f'<li dir="auto">{note}</li>' in html


def test_an_asset_from_before_shows_its_corrections_as_stored(corrected_ingest: Any) -> None:
    editor, title = corrected_ingest
    asset = MediaAsset.objects.get(title=title)
    asset.probe = {**asset.probe, "corrections": ["rotated by 90° as the phone recorded it"]}
    del asset.probe["corrections_i18n"]
    asset.save()
    client = Client()
    client.force_login(editor)
    assert '<li dir="auto">rotated by 90° as the phone recorded it</li>' in page(
        client, f"/studio/titles/{title.slug}/", "ru")
