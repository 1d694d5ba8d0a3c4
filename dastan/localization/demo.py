"""The demo's localization: the Noori Jatt scene's script as the studio's Urdu
subtitles, an Apertium draft into Hindi, and the ten translations entered by the demo's
human translator, reviewed and approved by the demo's reviewer, then published into
the film's HLS wherever the film has a stream."""

from __future__ import annotations

from typing import TextIO

from django.contrib.auth.models import User
from django.db import transaction

from dastan.accounts.models import Membership
from dastan.catalog.languages import CODES
from dastan.catalog.models import Organisation, Title
from dastan.demo_script import SCRIPT, SOURCE_LANGUAGE, lines_in
from dastan.localization import publishing, review, translation
from dastan.localization.models import SubtitleTrack
from dastan.localization.tracks import CueData, create_track

DEMO_TITLE = "noori-jatt"
DEMO_PASSWORD = "dastan-demo"
TARGETS = tuple(code for code in CODES if code != SOURCE_LANGUAGE)  # every other language


def demo_user(username: str, full_name: str, organisation: Organisation, role: str) -> User:
    first, _, last = full_name.partition(" ")
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, first_name=first,
                                        last_name=last)
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})
    return user


@transaction.atomic
def _localize(title: Title, out: TextIO) -> None:
    owner = title.owner
    assert owner is not None
    reviewer = demo_user("amina", "Amina Karimova", owner, Membership.Role.REVIEWER)
    translator = demo_user("dana", "Dana Seitkali", owner, Membership.Role.TRANSLATOR)
    source = create_track(
        title=title, language=SOURCE_LANGUAGE, origin=SubtitleTrack.Origin.UPLOAD, is_source=True,
        cues=[CueData(start, end, texts[SOURCE_LANGUAGE], speaker) for start, end, speaker, texts in SCRIPT],
        provenance={"engine": "upload", "file": "noori-jatt-scene-12.srt"})
    # The demo's lines are the film's as written; QC findings are shown on the desk, not fixed.
    demo_reason = "Demo scene: the film's lines as written, QC findings left for the desk to show."
    review.approve_track(track=source, reviewer=reviewer, override_reason=demo_reason)
    for language in TARGETS:
        # Apertium drafts where this node has a pair (ur→hi); elsewhere the track waits
        # for a translator, whose text then replaces the draft (both kept in history).
        track = translation.translate_track(source_track=source, target_language=language)
        draft = f"{track.provenance['engine']} draft revised" if track.origin == SubtitleTrack.Origin.MACHINE \
            else "no engine here: translated"
        track = translation.submit_human_translation(track=track, texts=lines_in(language), translator=translator)
        review.approve_track(track=track, reviewer=reviewer, override_reason=demo_reason)
        out.write(f"  {language:8} {draft} by Dana, approved by Amina\n")


VOICED = ("en", "ru", "kk", "hi", "zh-Hans", "tg")


def _voice_overs(title: Title, out: TextIO) -> None:
    """Voice-overs of the approved tracks, approved by the demo's reviewer: Piper for
    English, Festival for Russian, espeak-ng for the rest; Tajik says why it has none."""
    from dastan.localization.dubbing import approve_voice_track, dub_track
    from dastan.localization.models import VoiceTrack

    reviewer = User.objects.get(username="amina")
    for language in VOICED:
        track = SubtitleTrack.objects.get(title=title, language=language)
        if VoiceTrack.objects.filter(subtitle_track=track).exists():
            continue
        voice, report = dub_track(track=track)
        if report is None:
            out.write(f"  voice {language:8} {voice.reason}\n")
            continue
        voice = approve_voice_track(voice=voice, reviewer=reviewer)
        out.write(f"  voice {language:8} {voice.loudness['integrated_lufs']:.1f} LUFS, "
                  f"{voice.fit_counts['flagged']} cues too long → {voice.get_state_display()}\n")


def load_demo(*, out: TextIO) -> None:
    title = Title.objects.filter(slug=DEMO_TITLE).select_related("owner").first()
    if title is None or title.owner is None:
        out.write("Localization demo skipped: the catalog demo has no 'noori-jatt'.\n")
        return
    if not SubtitleTrack.objects.filter(title=title).exists():
        out.write("Demo subtitles for 'Noori Jatt' (Urdu source, ten translations):\n")
        _localize(title, out)
    published = 0
    if publishing.has_stream(title):
        for track in SubtitleTrack.objects.filter(title=title, state=SubtitleTrack.State.APPROVED):
            publishing.publish_track(track=track)
            published += 1
    if published:
        out.write(f"  published {published} subtitle tracks into the film's stream\n")
    if publishing.has_stream(title):
        _voice_overs(title, out)
    out.write(f"Demo reviewer: amina / {DEMO_PASSWORD}; translator: dana / {DEMO_PASSWORD}\n")


def demo_cues(language: str) -> list[CueData]:
    return [CueData(start, end, texts[language], speaker) for start, end, speaker, texts in SCRIPT]



