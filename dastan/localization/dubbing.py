"""Approved subtitles become a voice-over (or dub) audio track, published beside the
original in the film's HLS, labelled as AI voice and carrying every model's provenance.

The renderer (``voice.dub.render_voice_track``) keeps a per-cue cache under
``DASTAN_HOME/voice-cache``, so dubbing again after an edit speaks only the cues that
changed. A language with no voice gets an honest "subtitles only" record, not an error
nobody sees.
"""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from django.conf import settings
from django.utils import timezone

from dastan.accounts.permissions import Action
from dastan.credentials.manifests import SYNTHETIC
from dastan.credentials.models import ContentCredential
from dastan.credentials.services import issue_for_audio, manifest_url
from dastan.errors import InvalidInput
from dastan.i18n import gettext
from dastan.jobs.context import atomic_under_lease
from dastan.jobs.models import Job
from dastan.localization.access import check_track
from dastan.localization.errors import EngineUnavailable
from dastan.localization.models import Cue, SubtitleTrack, VoiceTrack
from dastan.localization.publishing import TrackNotApproved, has_stream
from dastan.localization.voice.cues import VoiceCue
from dastan.localization.voice.dub import DubMode, DubReport, render_voice_track

APPROVED = (SubtitleTrack.State.APPROVED, SubtitleTrack.State.PUBLISHED)


def voice_cache_dir(track: SubtitleTrack) -> Path:
    return Path(settings.DASTAN_HOME) / "voice-cache" / track.title.slug / track.language


def voice_cues(track: SubtitleTrack) -> list[VoiceCue]:
    return [VoiceCue(index=c.index, start_ms=c.start_ms, end_ms=c.end_ms, text=" ".join(c.text.split()),
                     speaker=c.speaker) for c in track.cues.all() if c.text.strip()]


def dub_track(*, track: SubtitleTrack, mode: str = DubMode.VOICE_OVER, me_stem: Path | None = None
              ) -> tuple[VoiceTrack, DubReport | None]:
    """Render ``track``'s voice and record it; publish it unless the organisation's policy
    wants a listener's approval first. Raises TrackNotApproved for unapproved subtitles."""
    if track.state not in APPROVED:
        raise TrackNotApproved(
            gettext("The %(language)s subtitles are not approved, so they cannot be voiced yet.")
            % {"language": track.language},
            gettext("Approve the subtitle track in the review desk; voice is made from approved text only."))
    with TemporaryDirectory(prefix="dastan-dub-") as tmp:
        from dastan.media.audio import extract_audio_track

        original = extract_audio_track(title=track.title, out=Path(tmp) / "original.wav")
        out = Path(tmp) / f"{track.language}-{mode}.wav"
        try:
            report = render_voice_track(cues=voice_cues(track), language=track.language, original_audio=original,
                                        mode=mode, me_stem=me_stem, cache_dir=voice_cache_dir(track), out_path=out)
        except EngineUnavailable as exc:
            voice, _ = VoiceTrack.objects.update_or_create(
                subtitle_track=track, defaults={"mode": str(mode), "state": VoiceTrack.State.UNAVAILABLE,
                                                "reason": f"Subtitles only: {exc.message}"[:300]})
            return voice, None
        from dastan.media.storage import store_file

        folder = f"titles/{track.title.slug}/voice/{track.language}-{mode}"
        name = store_file(out, f"{folder}/mix.wav")
        cue_audio = {str(c.index): store_file(c.wav, f"{folder}/cues/{c.index}.wav") for c in report.cues}
    voice = _record(track, report, name, str(mode), cue_audio)
    if not _needs_approval(track) and has_stream(track.title):
        voice = publish_voice_track(voice=voice)
    return voice, report


# Inside a job: recorded only while the job's attempt holds its lease, so a cancelled or
# overtaken dubbing changes nothing.
@atomic_under_lease()
def _record(track: SubtitleTrack, report: DubReport, storage_name: str, mode: str,
            cue_audio: dict[str, str]) -> VoiceTrack:
    overruns = {c.index: c.overrun_ms for c in report.flagged}
    for cue in Cue.objects.filter(track=track):
        value = overruns.get(cue.index)
        if cue.dub_overrun_ms != value:
            cue.dub_overrun_ms = value
            cue.save(update_fields=["dub_overrun_ms"])
    loudness = report.loudness
    voice, _ = VoiceTrack.objects.update_or_create(subtitle_track=track, defaults={
        "mode": mode, "state": VoiceTrack.State.IN_REVIEW, "reason": "", "storage_name": storage_name,
        "duration_ms": report.duration_ms, "rendered_at": timezone.now(), "approved_by": None,
        "loudness": {"integrated_lufs": loudness.integrated_lufs, "true_peak_dbtp": loudness.true_peak_dbtp,
                     "lra_lu": loudness.lra_lu, "target_lufs": loudness.target_lufs},
        "fit_counts": {"untouched": report.counts.untouched, "stretched": report.counts.stretched,
                       "borrowed": report.counts.borrowed, "flagged": report.counts.flagged},
        "provenance": [p.as_dict() for p in report.provenance],
        "casting": {role.speaker: role.voice_id for role in report.casting.roles},
        "cue_audio": cue_audio,
    })
    return voice


# A full dub needs the film's music-and-effects stem: the dubbing desk orders it, not this.
VOICE_MODES = (DubMode.VOICE_OVER.value,)


def order_voice(*, track: SubtitleTrack, by: Any, mode: str = DubMode.VOICE_OVER) -> Job | None:
    """Order ``track``'s voice, whichever route made its text (an engine, a person, a
    person through a pivot): the order stays on the track, and the voice is made (a job)
    from approved text only — now if people approved it, else when they do
    (:func:`voice_after_approval`). Returns the job, or None while the text waits for its
    approval. Raises NotAllowed/NotFound unless ``by`` orders localization for the owner
    (``by=None``: the system, for an order already checked); InvalidInput for another mode."""
    if by is not None:
        check_track(user=by, track=track, action=Action.ORDER_LOCALIZATION)
    if str(mode) not in VOICE_MODES:
        # Translators: a kind of voice is e.g. voice-over or dubbing.
        raise InvalidInput(gettext("'%(mode)s' is not a kind of voice.") % {"mode": mode},
                           gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(VOICE_MODES)}, field="mode")
    if track.voice_mode != str(mode):
        track.voice_mode = str(mode)
        track.save(update_fields=["voice_mode", "updated_at"])
    if track.state not in APPROVED:
        return None
    return _submit_dub(track, created_by=by)


def voice_after_approval(*, track: SubtitleTrack, by: Any = None) -> Job | None:
    """Called when people approve ``track``: the voice ordered with it is made now."""
    if not track.voice_mode or track.state not in APPROVED:
        return None
    return _submit_dub(track, created_by=by)


def _submit_dub(track: SubtitleTrack, *, created_by: Any) -> Job:
    from dastan.jobs.services import submit_job

    return submit_job(kind="localization.dub", target=track.title, created_by=created_by,
                      params={"title_id": track.title_id, "language": track.language, "mode": track.voice_mode})


def _needs_approval(track: SubtitleTrack) -> bool:
    owner = track.title.owner
    return owner is None or owner.voice_tracks_need_approval


def approve_voice_track(*, voice: VoiceTrack, reviewer: Any) -> VoiceTrack:
    """A listener's approval; when the film has a stream, queues the job that publishes
    the voice (encoding it is minutes of ffmpeg: never inside a web request)."""
    check_track(user=reviewer, track=voice.subtitle_track, action=Action.REVIEW)
    voice.state, voice.approved_by = VoiceTrack.State.APPROVED, reviewer
    voice.save(update_fields=["state", "approved_by"])
    if has_stream(voice.subtitle_track.title):
        from dastan.jobs.services import submit_job

        submit_job(kind="localization.publish_voice", target=voice.subtitle_track.title,
                   params={"voice_id": voice.pk}, created_by=reviewer)
    return voice


def publish_voice_track(*, voice: VoiceTrack) -> VoiceTrack:
    """Add the voice to the film's HLS audio group (video untouched), marked machine-made."""
    from dastan.media.renditions import add_audio_rendition
    from dastan.media.storage import local_copy

    track = voice.subtitle_track
    kind = "voice-over" if voice.mode == DubMode.VOICE_OVER else "dub"
    with local_copy(voice.storage_name) as wav:
        credential = _credential(voice=voice, wav=wav, kind=kind)  # issue 16: C2PA content credentials
        add_audio_rendition(title=track.title, language=track.language, audio_file=wav, kind=kind,
                            is_machine_made=True,
                            provenance={"engine": "dastan-voice", "models": voice.provenance,
                                        "loudness": voice.loudness, "subtitles_track": track.pk,
                                        "c2pa": {"sha256": credential.asset_sha256,
                                                 "manifest": manifest_url(credential)}})
    voice.state, voice.published_at = VoiceTrack.State.PUBLISHED, timezone.now()
    voice.save(update_fields=["state", "published_at"])
    return voice


# --- issue 16: content credentials of the AI voice ------------------------------------------------
def _credential(*, voice: VoiceTrack, wav: Path, kind: str) -> ContentCredential:
    """Sign the voice as it is published: every voice model that spoke it, the approved
    subtitles it was made from, the listener who approved it (if the policy asked one)."""
    track = voice.subtitle_track
    approver = voice.approved_by
    return issue_for_audio(
        title=track.title, language=track.language, kind=f"ai-{kind}", subject=f"voice:{voice.pk}", wav=wav,
        made_by=[{"engine": str(p.get("engine", "")), "model": str(p.get("model", "")),
                  "version": str(p.get("version", ""))} for p in voice.provenance],
        source={"subtitles_track": track.pk, "language": track.language, "subtitles_origin": track.origin},
        approved_by=[approver.get_full_name() or approver.get_username()] if approver else [],
        digital_source=SYNTHETIC)
