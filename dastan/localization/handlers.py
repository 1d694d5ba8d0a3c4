"""Job handlers of the localization app: load by id, call the domain function."""

from __future__ import annotations

from typing import Any

from dastan.catalog.models import Title
from dastan.errors import NotFound
from dastan.i18n import gettext
from dastan.jobs.context import JobContext
from dastan.jobs.registry import job_handler
from dastan.localization import publishing, sources, translation
from dastan.localization.models import SubtitleTrack
from dastan.localization.waveform import compute_waveform


def _title(ctx: JobContext) -> Title:
    return Title.objects.select_related("owner").get(pk=ctx.params["title_id"])


@job_handler("localization.transcribe", needs=("asr",))
def transcribe(ctx: JobContext) -> dict[str, Any]:
    title = _title(ctx)
    ctx.progress(5, "listening to the film")
    track = sources.transcribe_title(title=title, language=ctx.params.get("language") or None)
    return {"track_id": track.pk, "language": track.language, "cues": track.cues.count()}


def _source_track(title: Title) -> SubtitleTrack:
    source = SubtitleTrack.objects.filter(title=title, is_source=True).first()
    if source is None:
        raise NotFound(gettext("'%(title)s' has no source-language subtitles to translate from.") % {"title": title.slug},
                       gettext("Upload subtitles or a script, or run speech recognition first."))
    return source


@job_handler("localization.align_script", needs=("asr",))
def align_script(ctx: JobContext) -> dict[str, Any]:
    title = _title(ctx)
    ctx.progress(5, "listening to the film to time the script")
    track = sources.align_script_file(title=title, data=ctx.params["script"].encode(),
                                      language=ctx.params["language"])
    return {"track_id": track.pk, "language": track.language, "cues": track.cues.count()}


@job_handler("localization.translate", needs=("mt",))
def translate(ctx: JobContext) -> dict[str, Any]:
    title = _title(ctx)
    ctx.progress(10, f"translating into {ctx.params['language']}")
    source_id = ctx.params.get("source_track_id")  # a pivot ordered through the API
    source = (SubtitleTrack.objects.select_related("title", "title__owner").get(pk=source_id) if source_id
              else _source_track(title))
    # "redraft": the title page's re-run of a machine draft (orders.rerun_draft checked it).
    track = translation.translate_track(source_track=source, target_language=ctx.params["language"],
                                        redraft=bool(ctx.params.get("redraft")))
    return {"track_id": track.pk, "state": track.state, "origin": track.origin,
            "engine": track.provenance.get("engine", "")}


@job_handler("localization.publish")
def publish(ctx: JobContext) -> dict[str, Any]:
    track = SubtitleTrack.objects.filter(title_id=ctx.params["title_id"], language=ctx.params["language"]).first()
    if track is None or track.state not in (SubtitleTrack.State.APPROVED, SubtitleTrack.State.PUBLISHED):
        state = track.get_state_display() if track else "missing"
        # Not a failure: viewers see the track once people approve it, and approving
        # publishes it from the review desk.
        return {"published": False, "reason": f"waiting for approval ({state})"}
    publishing.publish_track(track=track)
    return {"published": True, "track_id": track.pk}


@job_handler("localization.dub", needs=("tts",))
def dub(ctx: JobContext) -> dict[str, Any]:
    from dastan.localization.dubbing import dub_track, order_voice

    track = SubtitleTrack.objects.filter(title_id=ctx.params["title_id"], language=ctx.params["language"]).first()
    if track is None or track.state not in (SubtitleTrack.State.APPROVED, SubtitleTrack.State.PUBLISHED):
        if track is not None:  # the order stays on the track: its approval makes the voice
            order_voice(track=track, by=None, mode=ctx.params.get("mode", "voice-over"))
        return {"dubbed": False, "reason": "the subtitles are waiting for approval; the voice follows it"}
    ctx.progress(10, f"speaking the {track.language} cues")
    voice, report = dub_track(track=track, mode=ctx.params.get("mode", "voice-over"))
    if report is None:
        return {"dubbed": False, "reason": voice.reason}
    return {"dubbed": True, "state": voice.state, "loudness": voice.loudness, "fit": voice.fit_counts,
            "synthesized": list(report.synthesized_indices)}


@job_handler("localization.publish_voice", needs=("transcode",))
def publish_voice(ctx: JobContext) -> dict[str, Any]:
    """An approved voice into the film's HLS (its new version is recorded under the lease)."""
    from dastan.localization.dubbing import publish_voice_track
    from dastan.localization.models import VoiceTrack

    voice = VoiceTrack.objects.select_related("subtitle_track__title").get(pk=ctx.params["voice_id"])
    if voice.state == VoiceTrack.State.PUBLISHED:
        return {"published": True, "skipped": "already published"}
    ctx.progress(10, f"encoding the {voice.subtitle_track.language} voice")
    voice = publish_voice_track(voice=voice)
    return {"published": True, "voice_id": voice.pk}


@job_handler("localization.waveform", needs=("transcode",))
def waveform(ctx: JobContext) -> dict[str, Any]:
    """The editor's waveform peaks, shot changes and speech onsets of one film."""
    ctx.progress(5, "reading the film's sound")
    peaks = compute_waveform(title=_title(ctx), asset_id=ctx.params["asset_id"])
    return {"waveform_id": peaks.pk, "pixels": peaks.length, "shot_changes": len(peaks.shot_changes_ms),
            "speech_onsets": len(peaks.speech_onsets_ms)}
