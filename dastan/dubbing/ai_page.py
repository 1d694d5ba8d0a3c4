"""A title's public AI page: which of its published tracks machines made or helped make,
who approved them, which voices are actors' and which synthetic, and the content
credentials of each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dastan.catalog.models import Title
from dastan.credentials.models import ContentCredential
from dastan.credentials.services import manifest_url
from dastan.dubbing.models import HumanDub
from dastan.dubbing.publishing import human_dub_label
from dastan.dubbing.script import cast_label
from dastan.localization.models import SubtitleTrack, VoiceTrack
from dastan.localization.publishing import viewer_label


@dataclass(frozen=True, slots=True)
class AiTrack:
    language: str
    what: str  # "AI voice-over", "Human dub — Samarkand Sound", "Machine-translated subtitles"
    made_by: str  # engines and models, or "" for people
    voices: str  # "ANNA: Dana Karimova (actor); BORIS: espeak-ng:ru (synthetic)"
    approved_by: str
    credentials_url: str  # '' when the track has none (made by people)


@dataclass(frozen=True, slots=True)
class AiPage:
    title: Title
    tracks: tuple[AiTrack, ...]


def _engines(provenance: list[dict[str, Any]]) -> str:
    return ", ".join(dict.fromkeys(f"{p.get('engine', '')} {p.get('model', '')}".strip() for p in provenance))


def _who(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def ai_page(*, title: Title) -> AiPage:
    """What the public may know: published tracks only (the caller checked the title is
    public)."""
    creds = {c.subject: manifest_url(c) for c in ContentCredential.objects.filter(title=title)}
    rows: list[AiTrack] = []
    for voice in (VoiceTrack.objects.filter(subtitle_track__title=title, state=VoiceTrack.State.PUBLISHED)
                  .select_related("subtitle_track", "approved_by")):
        voices = "; ".join(f"{speaker or 'narrator'}: {voice_id} (synthetic)" for speaker, voice_id in voice.casting.items())
        rows.append(AiTrack(language=voice.subtitle_track.language, what="AI voice-over" if voice.mode == "voice-over"
                            else "AI dub", made_by=_engines(voice.provenance), voices=voices,
                            approved_by=_who(voice.approved_by), credentials_url=creds.get(f"voice:{voice.pk}", "")))
    for dub in (HumanDub.objects.filter(track__title=title, state=HumanDub.State.PUBLISHED)
                .select_related("track", "approved_by").prefetch_related("track__cast_roles__consent")):
        voices = "; ".join(f"{r.speaker or 'narrator'}: {cast_label(r)}" for r in dub.track.cast_roles.all())
        if dub.booth_speech_is_synthetic:  # the demo: synthesized speech played into the booth, no actor
            people = sorted({r.consent.person_name for r in dub.track.cast_roles.all() if r.consent})
            voices = ("synthesized speech recorded through the booth (no actor)"
                      + (f"; consent on record: {', '.join(people)}" if people else ""))
        rows.append(AiTrack(language=dub.track.language, what=human_dub_label(dub), made_by=_engines(dub.ai_provenance),
                            voices=voices, approved_by=_who(dub.approved_by),
                            credentials_url=creds.get(f"human_dub:{dub.pk}", "")))
    for track in SubtitleTrack.objects.filter(title=title, state=SubtitleTrack.State.PUBLISHED,
                                              origin__in=(SubtitleTrack.Origin.MACHINE, SubtitleTrack.Origin.ASR)):
        rows.append(AiTrack(language=track.language, what=viewer_label(track),
                            made_by=_engines([track.provenance]), voices="", approved_by="",
                            credentials_url=creds.get(f"subtitles:{track.pk}", "")))
    return AiPage(title=title, tracks=tuple(sorted(rows, key=lambda r: (r.language, r.what))))
