"""The demo's human dub, honestly labelled: no actor recorded it. The Uzbek lines of the
Noori Jatt scene are spoken by espeak-ng and fed through the booth's own take pipeline
(cut, measured, chosen), mixed as a voice-over, approved and published beside the AI
voice-overs. Because the "recordings" are synthesized speech, the dub is labelled
"Human dub with AI voice", marked machine-made and carries content credentials; the
consent on record is the demo booth operator's, and says what the takes really are."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import TextIO

from django.contrib.auth.models import User

from dastan import processes
from dastan.catalog.models import Title
from dastan.dubbing.casting import cast_character, characters
from dastan.dubbing.consent import record_consent
from dastan.dubbing.mixing import mix_human_dub
from dastan.dubbing.models import Consent, HumanDub
from dastan.dubbing.publishing import approve_human_dub, human_dub_label, publish_human_dub
from dastan.dubbing.takes import record_take_file
from dastan.ffmpeg import base_args, run
from dastan.localization.demo import DEMO_TITLE, demo_user
from dastan.localization.models import SubtitleTrack
from dastan.localization.publishing import has_stream

LANGUAGE = "uz"
PREROLL_MS = 500
CREDIT = "Dastan demo booth (espeak-ng speech played into the booth; no actor)"
CONSENT_TEXT = ("Demo record: the takes of this dub are espeak-ng speech fed through the booth, not a person's "
                "voice. I, the demo booth operator, consent to their use in this demo node.")


def _speak(text: str, out: Path) -> Path:
    raw = out.with_suffix(".raw.wav")
    processes.run(["espeak-ng", "-v", LANGUAGE, "-s", "165", "-w", str(raw), text], check=True, capture_output=True)
    run([*base_args(), "-i", str(raw), "-af", f"adelay={PREROLL_MS}:all=1", "-ar", "48000", "-ac", "1", str(out)],
        what="put the demo take's preroll in front")
    return out


def load_demo(*, out: TextIO) -> None:
    title = Title.objects.filter(slug=DEMO_TITLE).select_related("owner").first()
    track = SubtitleTrack.objects.filter(title__slug=DEMO_TITLE, language=LANGUAGE).first()
    if title is None or title.owner is None or track is None or not has_stream(title):
        out.write("Dubbing demo skipped: no streamed 'noori-jatt' with Uzbek subtitles.\n")
        return
    if HumanDub.objects.filter(track=track).exists():
        out.write("Dubbing demo: the booth dub is already there; kept.\n")
        return
    producer = demo_user("lola", "Lola Yusupova", title.owner, "editor")
    reviewer = User.objects.get(username="amina")
    consent = Consent.objects.filter(organisation=title.owner, person_name__startswith="Demo booth operator").first()
    if consent is None:
        consent = record_consent(by=producer, organisation=title.owner,
                                 person_name="Demo booth operator (no actor: synthesized speech)",
                                 starts_on=date(2026, 1, 1), languages=[LANGUAGE], territories=["UZ", "KZ", "KG"],
                                 clickthrough_text=CONSENT_TEXT)
    for speaker in characters(track):
        cast_character(by=producer, track=track, speaker=speaker, consent=consent)
    with tempfile.TemporaryDirectory(prefix="dastan-booth-demo-") as tmp:
        for cue in track.cues.order_by("start_ms"):
            take = record_take_file(by=producer, cue=cue, recording=_speak(cue.text, Path(tmp) / f"{cue.pk}.wav"),
                                    preroll_ms=PREROLL_MS)
            out.write(f"  booth take cue {cue.index}: {'; '.join(take.measurement['advice'])}\n")
    dub = mix_human_dub(by=producer, track=track, mode="voice-over", studio_credit=CREDIT, synthetic_speech=True)
    dub = approve_human_dub(dub=dub, reviewer=reviewer)
    dub = publish_human_dub(dub=dub, by=reviewer, territories=consent.territories)
    out.write(f"Dubbing demo: {human_dub_label(dub)} [{LANGUAGE}] published for {', '.join(dub.territories)}, "
              f"{dub.loudness['integrated_lufs']:.1f} LUFS; consent #{consent.pk} ({consent.person_name}); "
              f"see /titles/{DEMO_TITLE}/ai/\n")
