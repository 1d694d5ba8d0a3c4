"""Adding a language to a published film without touching its video.

These two functions are the interface the localization app (subtitles, voice-over, dub)
calls when a track is approved. Each encodes or stores only the new track, writes a new
master beside the current one and switches the title's stream to it in one transaction
(package.publish_version). Viewers of the old version keep playing it; a failure at any
step leaves the current version as it was.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import av

from dastan.catalog.languages import native_name, normalize_code
from dastan.catalog.models import Title
from dastan.ffmpeg import ProgressFn, run_with_progress
from dastan.i18n import gettext
from dastan.jobs.context import atomic_under_lease
from dastan.media import ffmpeg, storage
from dastan.media.errors import InvalidTrack, NotPublished
from dastan.media.loudness import gain_filter, loudness_target, measure_source
from dastan.media.models import AudioRendition, Stream, SubtitleRendition, Version
from dastan.media.package import (
    current_version,
    measure_media_playlist,
    publish_version,
    subtitle_media_playlist,
    with_timestamp_map,
)
from dastan.media.transcode import picture_start_s, rendition_loudness

KIND_SUFFIX = {"dub": "dub", "voice-over": "voice-over"}


def _require_current(title: Title) -> Version:
    version = current_version(title)
    if version is None:
        raise NotPublished(
            gettext("'%(title)s' has no published stream yet, so no track can be added to it.") % {"title": title.slug},
            gettext("Ingest the film's master first (`dastan ingest FILE --title SLUG`) and wait for "
                    "its package job to finish."),
        )
    return version


def _lock_current(title: Title) -> Version:
    return Stream.objects.select_for_update().select_related("current__asset").get(title=title).current


def _check_audio_file(path: Path) -> None:
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise InvalidTrack(gettext("'%(name)s' has no sound in it.") % {"name": path.name},
                                   gettext("Give a WAV, FLAC, MP3, AAC or a video file with a sound track."),
                                   field="audio_file")
    except av.error.FFmpegError as exc:
        raise InvalidTrack(gettext("'%(name)s' is not an audio file Dastan can read (%(error)s).")
                           % {"name": path.name, "error": exc},
                           gettext("Give a WAV, FLAC, MP3 or AAC file."), field="audio_file") from exc


def add_audio_rendition(
    *,
    title: Title,
    language: str,
    audio_file: Path,
    kind: str = AudioRendition.Kind.DUB,
    provenance: dict[str, Any] | None = None,
    is_machine_made: bool | None = None,
    make_default: bool = False,
    on_progress: ProgressFn | None = None,
) -> Version:
    """Add a language of sound to ``title``'s published stream and publish a new version.

    - ``language``: BCP 47 code of one of Dastan's languages ('ru', 'zh-Hans', …).
    - ``audio_file``: any audio ffmpeg reads (WAV from the mixer, FLAC, AAC, …). It is
      encoded to AAC stereo 48 kHz in 4 s HLS segments, brought to the node's loudness
      target (loudness.loudness_target; measured and recorded on the rendition) and made
      exactly as long as the film (silence appended to a short track, a long one cut).
    - ``kind``: 'original', 'dub' or 'voice-over'.
    - ``provenance``: {"engine", "model", "version", "settings"} for machine-made sound;
      ``is_machine_made`` defaults to whether a provenance was given.
    - A rendition of the same language and kind in the current version is replaced; other
      tracks and the video are reused as they are.

    Returns the new current Version. Raises NotPublished, InvalidInput (language),
    InvalidTrack (the file) or FFmpegFailed; then nothing has changed.
    """
    code = normalize_code(language)
    if kind not in AudioRendition.Kind.values:
        raise InvalidTrack(gettext("'%(kind)s' is not a kind of audio track.") % {"kind": kind},
                           # Translators: the kinds are sent as they are; keep them in English.
                           gettext("Use 'original', 'dub' or 'voice-over'."), field="kind")
    current = _require_current(title)
    _check_audio_file(audio_file)
    duration_s = float(current.asset.probe["duration_s"])
    folder = f"titles/{title.slug}/audio/{code}-{kind}-{uuid.uuid4().hex[:10]}"
    with tempfile.TemporaryDirectory(prefix="dastan-audio-") as tmp:
        playlist = Path(tmp) / "index.m3u8"
        target = loudness_target()
        gain = gain_filter(measured=measure_source(source=audio_file, stream="0:a:0", target=target),
                           target=target)
        # the new sound goes under the picture as published, whatever encoder made it
        picture_delay_s = picture_start_s(min(current.video.all(), key=lambda v: v.height))
        run_with_progress(ffmpeg.audio_rendition_command(
            source=audio_file, playlist=playlist, duration_s=duration_s, filters=[gain] if gain else [],
            picture_delay_samples=round(picture_delay_s * ffmpeg.AUDIO_RATE_HZ)),
                          what=f"encode the {code} {kind} track", duration_s=duration_s,
                          on_progress=on_progress)
        measured = measure_media_playlist(playlist)
        loudness = rendition_loudness(Path(tmp))
        storage.store_tree(Path(tmp), folder)
    try:
        with atomic_under_lease():  # in a job: only while its attempt holds the lease
            # Read the current version again under the lock: a track added meanwhile by
            # another job is kept, not lost.
            current = _lock_current(title)
            others = [a for a in current.audio.all() if not (a.language == code and a.kind == kind)]
            name = _unique_name(native_name(code), kind, others)
            rendition = AudioRendition.objects.create(
                title=title, language=code, name=name, kind=kind,
                is_machine_made=bool(provenance) if is_machine_made is None else is_machine_made,
                provenance=provenance or {}, is_default=make_default, loudness=loudness,
                peak_bps=measured.peak_bps, average_bps=measured.average_bps,
                playlist_name=f"{folder}/index.m3u8")
            return publish_version(
                title=title, asset=current.asset, video=list(current.video.all()),
                audio=[*others, rendition], subtitles=list(current.subtitles.all()),
                note=f"added {code} {kind} audio")
    except BaseException:
        storage.delete_prefix(folder)
        raise


# --- issue 16 (dubbing): withdrawing a track whose consent was revoked ---------------------------
def remove_audio_rendition(*, title: Title, rendition_id: int, note: str = "") -> Version | None:
    """Publish a new version of ``title`` without the audio rendition ``rendition_id``
    (video and other tracks untouched). None when the current version does not carry it.
    Its files stay for viewers already playing the old version."""
    with atomic_under_lease():
        current = _lock_current(title)
        audio = list(current.audio.all())
        kept = [a for a in audio if a.pk != rendition_id]
        if len(kept) == len(audio):
            return None
        return publish_version(title=title, asset=current.asset, video=list(current.video.all()),
                               audio=kept, subtitles=list(current.subtitles.all()),
                               note=(note or f"withdrew audio rendition {rendition_id}")[:200])
# --- end issue 16 ---------------------------------------------------------------------------------


# --- issue 19 (workbench): withdrawing a published language ---------------------------------------
def remove_subtitle_rendition(*, title: Title, language: str, audio_rendition_ids: Sequence[int] = (),
                              note: str = "") -> Version | None:
    """The inverse of :func:`add_subtitle_rendition`: publish a new version of ``title``
    without its ``language`` subtitles (and without ``audio_rendition_ids``: a voice made
    from them), video and other tracks untouched, through the same ``publish_version``. The
    new master no longer lists the language; viewers already playing the old version keep
    its files. The new version is made from the current one, or from the latest when the
    title is unpublished, so publishing it again does not bring the language back.

    Returns the new Version, or None when no version carries the language or those
    renditions. The caller decides who may (localization's ``withdraw_track`` asks the
    permission model), as for every function of this interface."""
    code = normalize_code(language)
    dropped_audio = set(audio_rendition_ids)
    with atomic_under_lease():
        stream = Stream.objects.select_for_update().select_related("current__asset").filter(title=title).first()
        base = stream.current if stream else Version.objects.filter(title=title).order_by("-number").first()
        if base is None:
            return None
        subtitles, audio = list(base.subtitles.all()), list(base.audio.all())
        kept_subtitles = [s for s in subtitles if s.language != code]
        kept_audio = [a for a in audio if a.pk not in dropped_audio]
        if len(kept_subtitles) == len(subtitles) and len(kept_audio) == len(audio):
            return None
        return publish_version(title=title, asset=base.asset, video=list(base.video.all()), audio=kept_audio,
                               subtitles=kept_subtitles, note=(note or f"withdrew {code} subtitles")[:200])
# --- end issue 19 ---------------------------------------------------------------------------------


def _unique_name(base: str, kind: str, others: list[AudioRendition]) -> str:
    taken = {a.name for a in others}
    if base not in taken:
        return base
    return f"{base} ({KIND_SUFFIX.get(kind, kind)})"


def check_webvtt(text: str, *, filename: str) -> None:
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise InvalidTrack(gettext("'%(name)s' is not a WebVTT file (it must begin with 'WEBVTT').") % {"name": filename},
                           gettext("Export the subtitles as WebVTT (.vtt); SRT can be converted with "
                                   "the localization app."), field="vtt_file")
    if "-->" not in text:
        raise InvalidTrack(gettext("'%(name)s' has no subtitle cues.") % {"name": filename},
                           gettext("Export the track again; a cue looks like "
                                   "'00:00:01.000 --> 00:00:03.000'."), field="vtt_file")


def add_subtitle_rendition(
    *,
    title: Title,
    language: str,
    vtt_file: Path,
    machine_made: bool = False,
    label: str = "",
    c2pa_manifest: str = "",
) -> Version:
    """Add (or replace) the ``language`` subtitles of ``title`` and publish a new version.

    - ``vtt_file``: a UTF-8 WebVTT file, timed to the film.
    - ``machine_made`` marks machine translation/transcription in the master
      (CHARACTERISTICS 'org.dastan.machine-made'); ``label`` is what viewers read about
      it, e.g. 'machine-translated, reviewed by A. Karimova'.
    - ``c2pa_manifest``: URL of the signed sidecar manifest of machine-made text; the
      master names it (EXT-X-SESSION-DATA), as it does an AI voice's.

    Returns the new current Version. Raises NotPublished, InvalidInput (language) or
    InvalidTrack (the file); then nothing has changed.
    """
    code = normalize_code(language)
    current = _require_current(title)
    try:
        text = vtt_file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidTrack(gettext("'%(name)s' is not UTF-8 text.") % {"name": vtt_file.name},
                           gettext("Save the subtitles as UTF-8 WebVTT."), field="vtt_file") from exc
    check_webvtt(text, filename=vtt_file.name)
    duration_s = float(current.asset.probe["duration_s"])
    folder = f"titles/{title.slug}/subtitles/{code}-{uuid.uuid4().hex[:10]}"
    storage.write_text(f"{folder}/subtitles.vtt", with_timestamp_map(text))
    storage.write_text(f"{folder}/index.m3u8",
                       subtitle_media_playlist(vtt_filename="subtitles.vtt", duration_s=duration_s))
    try:
        with atomic_under_lease():  # in a job: only while its attempt holds the lease
            current = _lock_current(title)
            rendition = SubtitleRendition.objects.create(
                title=title, language=code, name=native_name(code), is_machine_made=machine_made,
                label=label[:200], playlist_name=f"{folder}/index.m3u8", c2pa_manifest=c2pa_manifest)
            others = [s for s in current.subtitles.all() if s.language != code]
            return publish_version(
                title=title, asset=current.asset, video=list(current.video.all()),
                audio=list(current.audio.all()), subtitles=[*others, rendition],
                note=f"added {code} subtitles")
    except BaseException:
        storage.delete_prefix(folder)
        raise
