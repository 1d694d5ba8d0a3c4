"""A human dub with a character cast to a synthetic voice: the actor's takes and the
machine's lines are mixed together at their cues (measured on the mix), the dub is
labelled "human + AI", and its content credentials name the AI cues and the engine."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from dastan.catalog.models import Organisation
from dastan.credentials.manifests import ASSISTED
from dastan.credentials.models import ContentCredential
from dastan.credentials.services import verify_upload
from dastan.dubbing.casting import cast_character
from dastan.dubbing.measure import decode_mono, speech_spans_ms
from dastan.dubbing.mixing import mix_human_dub
from dastan.dubbing.publishing import approve_human_dub, publish_human_dub
from dastan.dubbing.takes import record_take_file
from dastan.dubbing.tests.factories import actor_consent
from dastan.errors import InvalidInput
from dastan.ffmpeg import base_args
from dastan.localization.models import SubtitleTrack
from dastan.media import storage
from dastan.media.models import AudioRendition

from .conftest import CUES, FILM_S, espeak

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
SYNTHETIC_VOICE = "espeak-ng:ru+m3"


def quiet_me_stem(out: Path) -> Path:
    """A music-and-effects stem far below speech (-50 dBFS hum), as long as the film."""
    subprocess.run(
        [
            *base_args(),
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=110:duration={FILM_S}:sample_rate=48000",
            "-af",
            "volume=-50dB",
            "-ac",
            "1",
            "-c:a",
            "pcm_s16le",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    return out


def test_casting_a_voice_the_node_lacks_is_refused_with_the_voices_it_has(
    ru_track: SubtitleTrack, member: Callable[..., Any]
) -> None:
    with pytest.raises(
        InvalidInput, match=r"Voice 'espeak-ng:xx' cannot speak ru on this node"
    ) as refused:
        cast_character(
            by=member("lola", "editor"), track=ru_track, speaker="BORIS", voice_id="espeak-ng:xx"
        )
    assert SYNTHETIC_VOICE in refused.value.hint


def test_a_synthetic_character_is_spoken_into_the_human_mix_and_credited_as_ai(
    ru_track: SubtitleTrack, studio: Organisation, member: Callable[..., Any], tmp_path: Path
) -> None:
    producer, reviewer = member("lola", "editor"), member("amina", "reviewer")
    dana = actor_consent(by=producer, organisation=studio, territories=())
    cast_character(by=producer, track=ru_track, speaker="ANNA", consent=dana)
    cast_character(by=producer, track=ru_track, speaker="BORIS", voice_id=SYNTHETIC_VOICE)
    for cue in ru_track.cues.filter(speaker="ANNA"):  # the actor records her lines; BORIS has none
        record_take_file(
            by=producer,
            cue=cue,
            recording=espeak(cue.text, tmp_path / f"{cue.pk}.wav"),
            preroll_ms=0,
        )
    progress: list[tuple[float, str]] = []

    dub = mix_human_dub(
        by=producer,
        track=ru_track,
        mode="full-dub",
        me_stem=quiet_me_stem(tmp_path / "me.wav"),
        on_progress=lambda pct, what: progress.append((pct, what)),
    )

    assert dub.has_synthetic_cues and not dub.booth_speech_is_synthetic
    assert [(c["index"], c["speaker"], c["voice_id"]) for c in dub.ai_cues] == [
        (2, "BORIS", SYNTHETIC_VOICE),
        (4, "BORIS", SYNTHETIC_VOICE),
    ]
    assert dub.cue_sources["2"] == f"synthetic:{SYNTHETIC_VOICE}" and dub.cue_sources[
        "1"
    ].startswith("take:")
    assert {p["engine"] for p in dub.ai_provenance} == {"espeak-ng"}
    assert [pct for pct, _ in progress] == sorted(pct for pct, _ in progress) and len(progress) >= 4
    with storage.local_copy(dub.storage_name) as mixed:
        samples, rate = decode_mono(Path(mixed))
    starts = [s for s, _ in speech_spans_ms(samples, rate)]
    offsets = [min(starts, key=lambda s: abs(s - start)) - start for start, _, _, _ in CUES]
    assert all(abs(o) <= 250 for o in offsets), (
        offsets,
        starts,
    )  # the actor's and the machine's lines alike
    print(
        f"speech onsets against cue starts (ms), ANNA's takes and BORIS's synthetic lines: {offsets}; "
        f"{dub.loudness['integrated_lufs']} LUFS"
    )

    dub = publish_human_dub(
        dub=approve_human_dub(dub=dub, reviewer=reviewer), by=reviewer, territories=["KZ"]
    )
    assert dub.rendition_id is not None
    rendition = AudioRendition.objects.get(pk=dub.rendition_id)
    assert rendition.is_machine_made and rendition.provenance["made_by"] == "human + AI"
    assert rendition.provenance["label"] == "Human dub with AI voice" and rendition.provenance[
        "ai_cues"
    ] == [2, 4]

    credential = ContentCredential.objects.get(subject=f"human_dub:{dub.pk}")
    signed = tmp_path / "signed.wav"
    with storage.local_copy(credential.asset_name) as path:
        shutil.copy(path, signed)
    result, _ = verify_upload(path=signed)
    assert result.ok, result
    assert (
        result.summary["digital_source_type"] == ASSISTED
        and result.summary["source"]["made_by"] == "human + AI"
    )
    assert [c["index"] for c in result.summary["source"]["ai_cues"]] == [2, 4]
    assert [m["engine"] for m in result.summary["made_by"]] == ["espeak-ng", "people"]
    assert result.summary["approved_by"] == ["Amina"]

    page = Client().get(f"/titles/{ru_track.title.slug}/ai/").content.decode()
    assert "ANNA: Dana Karimova (actor)" in page and f"BORIS: {SYNTHETIC_VOICE} (synthetic)" in page
    assert "no actor" not in page  # an actor did record; only BORIS is synthetic
