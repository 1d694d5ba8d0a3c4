"""Content credentials: a published AI voice track and machine-translated subtitles carry
a C2PA manifest signed with the node's key that verifies with the c2pa library; a
tampered copy fails; `dastan credentials verify FILE` says the same."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import m3u8
import pytest
from django.test import Client

from dastan.catalog.models import Organisation, Title
from dastan.cli import main
from dastan.credentials.manifests import SYNTHETIC, verify_file
from dastan.credentials.models import ContentCredential
from dastan.credentials.services import verify_upload
from dastan.localization.dubbing import dub_track
from dastan.localization.models import SubtitleTrack, VoiceTrack
from dastan.localization.publishing import publish_track
from dastan.localization.review import approve_track
from dastan.localization.tracks import CueData, create_track
from dastan.media import storage
from dastan.media.playback import build_master_playlist

pytestmark = [pytest.mark.django_db]


def _copy(name: str, to: Path) -> Path:
    with storage.local_copy(name) as path:
        shutil.copy(path, to)
    return to


@pytest.mark.slow
def test_a_published_ai_voice_track_verifies_and_a_tampered_copy_fails(
        published_film: Title, studio: Organisation, member: Callable[..., Any], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    studio.voice_tracks_need_approval = False
    studio.save()
    reviewer = member("amina", "reviewer")
    track = create_track(title=published_film, language="ru", origin=SubtitleTrack.Origin.MACHINE,
                         provenance={"engine": "apertium", "model": "en-ru", "version": "3.8"},
                         cues=[CueData(500, 2000, "Караван пришёл.", "ANNA"), CueData(2500, 4000, "На рассвете.", "B")])
    track = approve_track(track=track, reviewer=reviewer)
    voice, _ = dub_track(track=track)
    assert voice.state == VoiceTrack.State.PUBLISHED

    credential = ContentCredential.objects.get(subject=f"voice:{voice.pk}")
    signed = _copy(credential.asset_name, tmp_path / "voice.wav")
    result, _ = verify_upload(path=signed)
    assert result.ok and result.state == "Trusted", result
    assert result.summary["digital_source_type"] == SYNTHETIC
    assert {m["engine"] for m in result.summary["made_by"]} & {"festival", "espeak-ng", "piper"}, result.summary
    assert result.summary["source"]["subtitles_track"] == track.pk

    tampered = tmp_path / "tampered.wav"
    data = bytearray(signed.read_bytes())
    data[len(data) // 3] ^= 0x55  # one byte of sound changed
    tampered.write_bytes(bytes(data))
    bad, _ = verify_upload(path=tampered)
    assert not bad.ok and bad.state == "Invalid"
    assert any("dataHash.mismatch" in f for f in bad.failures), bad.failures

    # the playlist points at the sidecar manifest (an HLS segment cannot carry one)
    master = m3u8.loads(build_master_playlist(title=published_film))
    assert f'URI="/credentials/{credential.asset_sha256}.c2pa"' in master.dumps()

    # the player's content-credentials panel names it too
    page = Client().get(f"/titles/{published_film.slug}/").content.decode()
    assert 'class="ai-credentials"' in page and f"/credentials/{credential.asset_sha256}.c2pa" in page

    assert main(["credentials", "verify", str(signed)]) == 0
    assert "Trusted (verifies)" in capsys.readouterr().out
    assert main(["credentials", "verify", str(tampered)]) == 1
    assert "does NOT verify" in capsys.readouterr().out


@pytest.mark.slow
def test_machine_translated_subtitles_carry_credentials_naming_engine_and_reviewer(
        published_film: Title, member: Callable[..., Any], tmp_path: Path) -> None:
    reviewer = member("amina", "reviewer")
    track = create_track(title=published_film, language="kk", origin=SubtitleTrack.Origin.MACHINE,
                         provenance={"engine": "apertium", "model": "en-kk", "version": "3.8"},
                         cues=[CueData(500, 2000, "Керуен келді.")])
    publish_track(track=approve_track(track=track, reviewer=reviewer))
    credential = ContentCredential.objects.get(subject=f"subtitles:{track.pk}")
    vtt = _copy(credential.asset_name, tmp_path / "kk.vtt")
    result, found = verify_upload(path=vtt)
    assert found == credential and result.ok, result
    assert result.summary["made_by"][0]["engine"] == "apertium" and result.summary["approved_by"] == ["Amina"]
    vtt.write_text(vtt.read_text(encoding="utf-8").replace("Керуен", "Kerуен"), encoding="utf-8")
    assert not verify_upload(path=vtt)[0].ok


def _session_data(master: str) -> dict[str, str]:
    """DATA-ID → URI of the master's EXT-X-SESSION-DATA lines."""
    found = {}
    for line in master.splitlines():
        if line.startswith("#EXT-X-SESSION-DATA:"):
            attrs = dict(part.split("=", 1) for part in line.split(":", 1)[1].split(","))
            found[attrs["DATA-ID"].strip('"')] = attrs["URI"].strip('"')
    return found


@pytest.mark.slow
def test_the_master_names_the_manifest_of_machine_subtitles_and_the_segment_players_get_verifies(
        published_film: Title, member: Callable[..., Any], tmp_path: Path) -> None:
    """As for an AI voice: the master playlist points at the signed sidecar manifest of
    machine-translated subtitles (a WebVTT segment cannot carry one), the manifest it names
    is served, and the very WebVTT the stream serves verifies against it. People's
    subtitles get no manifest."""
    reviewer = member("amina", "reviewer")
    machine = create_track(title=published_film, language="kk", origin=SubtitleTrack.Origin.MACHINE,
                           provenance={"engine": "apertium", "model": "en-kk", "version": "3.8"},
                           cues=[CueData(500, 2000, "Керуен келді.")])
    publish_track(track=approve_track(track=machine, reviewer=reviewer))
    people = create_track(title=published_film, language="ru", origin=SubtitleTrack.Origin.HUMAN,
                          cues=[CueData(500, 2000, "Караван пришёл.")])
    publish_track(track=approve_track(track=people, reviewer=reviewer, override_reason="a short test line"))

    credential = ContentCredential.objects.get(subject=f"subtitles:{machine.pk}")
    named = _session_data(build_master_playlist(title=published_film))
    assert named["org.c2pa.manifest.kk.subtitles"] == f"/credentials/{credential.asset_sha256}.c2pa"
    assert not [k for k in named if k.startswith("org.c2pa.manifest.ru.")], named  # people's text: no manifest

    served = Client().get(named["org.c2pa.manifest.kk.subtitles"])
    assert served.status_code == 200 and served["Content-Type"] == "application/c2pa"
    from dastan.media.models import SubtitleRendition

    rendition = SubtitleRendition.objects.get(title=published_film, language="kk")
    segment = _copy(rendition.playlist_name.replace("index.m3u8", "subtitles.vtt"), tmp_path / "segment.vtt")
    assert "X-TIMESTAMP-MAP" in segment.read_text(encoding="utf-8")  # as HLS serves it
    result = verify_file(path=segment, manifest=served.content)
    assert result.ok and result.summary["made_by"][0]["engine"] == "apertium", result
