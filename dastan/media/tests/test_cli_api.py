"""`dastan ingest` and /api/v1/media call the same domain functions as the jobs."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from dastan.catalog.models import Title
from dastan.cli import main
from dastan.media.models import Stream


@pytest.fixture
def committed_title(transactional_db: None) -> Title:
    return Title.objects.create(slug="cli-film", original_language="ru", country_of_origin="KZ",
                                is_published=True)


def test_dastan_ingest_publishes_a_film_and_prints_where_to_watch_it(
        committed_title: Title, small_film: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(small_film), "--title", "cli-film"]) == 0
    out = capsys.readouterr()
    assert "published cli-film version 1: /media/watch/cli-film/" in out.out
    assert "media.transcode" in out.err  # the progress bars
    assert Stream.objects.get(title=committed_title).current.number == 1


def test_dastan_ingest_of_an_unlisted_title_packages_it_without_publishing_and_says_so(
        committed_title: Title, small_film: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Title.objects.filter(pk=committed_title.pk).update(is_published=False)
    assert main(["ingest", str(small_film), "--title", "cli-film"]) == 0
    assert "packaged cli-film version 1; viewers see it once the title is published" in capsys.readouterr().out
    assert Client().get("/media/watch/cli-film/master.m3u8").status_code == 404


def test_dastan_ingest_of_a_silent_film_prints_the_reason_and_the_fix(
        committed_title: Title, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from dastan.media.tests.films import film

    silent = film(tmp_path / "silent.mp4", seconds=2, audio=())
    assert main(["ingest", str(silent), "--title", "cli-film"]) == 2
    err = capsys.readouterr().err
    assert "error: 'silent.mp4' has no sound track." in err
    assert "fix: Export the master with its sound" in err
    assert not Stream.objects.filter(title=committed_title).exists()


def test_the_api_describes_the_current_stream_with_its_languages(
        committed_title: Title, bilingual_film: Path) -> None:
    assert main(["ingest", str(bilingual_film), "--title", "cli-film"]) == 0
    body = Client().get("/api/v1/media/titles/cli-film/stream").json()
    assert body["version"] == 1 and body["master_url"] == "/media/watch/cli-film/master.m3u8"
    assert [(a["language"], a["name"], a["kind"]) for a in body["audio"]] == \
        [("en", "English", "original"), ("ru", "Русский", "original")]
    assert all(a["loudness"]["integrated_lufs"] == pytest.approx(-23.0, abs=0.5)
               and a["loudness"]["true_peak_dbtp"] <= -1.0 for a in body["audio"])
    assert [v["height"] for v in body["video"]] == [240, 360]


def test_the_api_says_when_a_title_has_no_stream_yet(committed_title: Title) -> None:
    response = Client().get("/api/v1/media/titles/cli-film/stream")
    assert response.status_code == 404
    assert response.json()["code"] == "not_published"
