"""Consent: a human dub is published only where every actor's consent covers it, and
revoking a consent takes the published dub back into review and off the stream at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import m3u8
import pytest

from dastan.catalog.models import Organisation
from dastan.dubbing.casting import cast_character
from dastan.dubbing.consent import record_consent
from dastan.dubbing.errors import ConsentMissing
from dastan.dubbing.mixing import mix_human_dub
from dastan.dubbing.models import Consent, HumanDub
from dastan.dubbing.publishing import approve_human_dub, publish_human_dub
from dastan.dubbing.revocation import revoke_consent
from dastan.dubbing.stems import deliver_stems
from dastan.errors import InvalidInput
from dastan.localization.dubbing import voice_cues
from dastan.localization.models import SubtitleTrack
from dastan.media.playback import build_master_playlist

from .conftest import CUES, FILM_S, cue_stem, espeak

pytestmark = [pytest.mark.django_db]


def _consent(studio: Organisation, by: Any, name: str, territories: list[str], **kw: Any) -> Consent:
    return record_consent(by=by, organisation=studio, person_name=name, starts_on=date.today() - timedelta(days=1),
                          ends_on=date.today() + timedelta(days=365), languages=["ru"], territories=territories,
                          clickthrough_text=f"I, {name}, agree that my recorded voice is used in this dub.", **kw)


def test_a_consent_needs_evidence_and_keeps_the_click_through_hash(
        studio: Organisation, member: Callable[..., Any]) -> None:
    producer = member("lola", "editor")
    with pytest.raises(InvalidInput, match="exactly one piece of evidence"):
        record_consent(by=producer, organisation=studio, person_name="Dana", starts_on=date.today())
    consent = _consent(studio, producer, "Dana Karimova", ["KZ"])
    assert consent.evidence_kind == Consent.Evidence.CLICK_THROUGH and len(consent.evidence_sha256) == 64
    assert not consent.allows_cloning and not consent.allows_synthesis  # off unless said


@pytest.mark.slow
def test_publishing_outside_an_actors_territory_is_refused_and_revoking_sends_it_back_to_review(
        ru_track: SubtitleTrack, studio: Organisation, member: Callable[..., Any], tmp_path: Path) -> None:
    producer, reviewer = member("lola", "editor"), member("amina", "reviewer")
    anna = _consent(studio, producer, "Dana Karimova", ["KZ", "UZ"])
    boris = _consent(studio, producer, "Timur Aliev", [])
    cast_character(by=producer, track=ru_track, speaker="ANNA", consent=anna)
    cast_character(by=producer, track=ru_track, speaker="BORIS", consent=boris)
    lines = {start: espeak(text, tmp_path / f"l{start}.wav") for start, _, _, text in CUES}
    stems = {"ANNA": cue_stem(tmp_path / "ANNA.wav", [(500, lines[500]), (4500, lines[4500])]),
             "BORIS": cue_stem(tmp_path / "BORIS.wav", [(2500, lines[2500]), (6500, lines[6500])])}
    me = cue_stem(tmp_path / "me.wav", [(0, lines[500])])  # a stand-in bed: quiet speech is sound enough
    delivery = deliver_stems(by=producer, track=ru_track, studio="Samarkand Sound", stems=stems,
                             cues=voice_cues(ru_track), film_ms=FILM_S * 1000, me_stem=me)
    assert delivery.report["ok"], delivery.report["problems"]
    dub = mix_human_dub(by=producer, track=ru_track, delivery=delivery, mode="full-dub")
    assert abs(dub.loudness["integrated_lufs"] - (-23.0)) <= 1.0 and dub.loudness["true_peak_dbtp"] <= -1.0
    dub = approve_human_dub(dub=dub, reviewer=reviewer)

    with pytest.raises(ConsentMissing, match=r"Dana Karimova's consent does not cover the territory CN"):
        publish_human_dub(dub=dub, by=reviewer, territories=["CN", "KZ"])
    assert HumanDub.objects.get(pk=dub.pk).state == HumanDub.State.APPROVED

    dub = publish_human_dub(dub=dub, by=reviewer, territories=["KZ", "UZ"])
    master = m3u8.loads(build_master_playlist(title=ru_track.title))
    ru = [m for m in master.media if m.type == "AUDIO" and m.language == "ru"]
    assert len(ru) == 1 and "org.dastan.dub" in ru[0].characteristics
    assert "machine-made" not in ru[0].characteristics  # people spoke every line
    from dastan.media.models import AudioRendition

    assert dub.rendition_id is not None
    rendition = AudioRendition.objects.get(pk=dub.rendition_id)
    assert rendition.provenance["label"] == "Human dub — Samarkand Sound"
    assert rendition.provenance["performers"] == ["Dana Karimova", "Timur Aliev"]

    withdrawn = revoke_consent(by=producer, consent=anna, reason="She asked to withdraw.")
    assert [d.pk for d in withdrawn] == [dub.pk]
    dub.refresh_from_db()
    assert dub.state == HumanDub.State.CONSENT_REVIEW and "Dana Karimova revoked" in dub.reason
    master = m3u8.loads(build_master_playlist(title=ru_track.title))
    assert not [m for m in master.media if m.type == "AUDIO" and m.language == "ru"]
    with pytest.raises(Exception, match="not approved"):
        publish_human_dub(dub=dub, by=reviewer, territories=["KZ"])
    dub = approve_human_dub(dub=dub, reviewer=reviewer)
    with pytest.raises(ConsentMissing, match="Dana Karimova revoked their consent"):
        publish_human_dub(dub=dub, by=reviewer, territories=["KZ"])
