"""Transcoding a mezzanine: one ffmpeg run for the whole ladder, the audio tracks and the
storyboard, then the renditions recorded from what ffmpeg actually wrote."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import av
from django.conf import settings
from django.db import transaction

from dastan.catalog.languages import BY_CODE, native_name
from dastan.ffmpeg import ProgressFn, encoder_works, run_with_progress
from dastan.i18n import gettext
from dastan.media import ffmpeg, storage
from dastan.media.errors import MediaError
from dastan.media.ladder import DOWNMIX_RULE, LadderPlan, plan_ladder
from dastan.media.loudness import gain_filter, loudness_target, measure_rendition, measure_source
from dastan.media.models import AudioRendition, MediaAsset, VideoRendition
from dastan.media.package import PlaylistMeasure, avc_codecs, measure_media_playlist
from dastan.media.probe import AudioTrack, ProbeResult
from dastan.media.thumbnails import (
    STORYBOARD_WIDTH_PX,
    make_poster,
    storyboard_interval_s,
    write_storyboard_vtt,
)


@dataclass(frozen=True, slots=True)
class TranscodeResult:
    plan: LadderPlan
    out_dir: Path
    encoder: str = "libx264"  # the H.264 encoder the ladder used (the job's result records it)


def x264_preset() -> str:
    # veryfast by default (REFERENCES.md: ultrafast 2.2x, medium 0.41x real time on 2 cores)
    return str(getattr(settings, "DASTAN_X264_PRESET", "veryfast"))


def video_encoder() -> str:
    """The H.264 encoder of a whole-film ladder on this machine (``DASTAN_VIDEO_ENCODER``):
    ``auto`` takes NVENC where it really encodes (a GPU worker: ``dastan.ffmpeg.encoder_works``),
    else x264; a named one is used as named, and NVENC named where it cannot encode is
    refused with the fix. A long film's chunks always use x264: every chunk of one film,
    on whichever machine, must come out alike, and a partner's chunk is compared with an
    x264 encode on the node."""
    chosen = str(getattr(settings, "DASTAN_VIDEO_ENCODER", "auto") or "auto")
    if chosen == "auto":
        return "h264_nvenc" if encoder_works("h264_nvenc") else "libx264"
    if chosen not in ffmpeg.VIDEO_ENCODERS:
        raise MediaError(gettext("DASTAN_VIDEO_ENCODER is %(value)s, which is not an encoder Dastan uses.")
                         % {"value": repr(chosen)},
                         gettext("Set DASTAN_VIDEO_ENCODER to auto, libx264 or h264_nvenc."),
                         code="video_encoder_unknown")
    if not encoder_works(chosen):
        raise MediaError(gettext("This machine cannot encode with %(encoder)s.") % {"encoder": chosen},
                         gettext("Set DASTAN_VIDEO_ENCODER=auto (NVENC where a GPU is, x264 elsewhere), "
                                 "or run this job on a GPU worker."),
                         code="video_encoder_unavailable")
    return chosen


def transcode_source(*, source: Path, probe: ProbeResult, out_dir: Path,
                     on_progress: ProgressFn | None = None) -> TranscodeResult:
    """Encode ``source`` into ``out_dir`` (see ffmpeg.ladder_command for the layout),
    plus ``thumbs/storyboard.vtt`` and ``thumbs/poster.jpg``. Raises FFmpegFailed."""
    encoder = video_encoder()  # first: an encoder this machine lacks is refused before any work
    plan = plan_ladder(probe)
    interval = storyboard_interval_s(probe.duration_s)
    target = loudness_target()
    # loudnorm's first pass: one read of each sound track (audio only, cheap beside the
    # video), so the encode applies one linear gain instead of a running compressor.
    gains = {track.index: gain_filter(measured=measure_source(
        source=source, stream=f"0:a:{track.index}", filters=[f for f in (track.downmix,) if f],
        target=target), target=target) for track in plan.audio}
    delay_s = ffmpeg.picture_delay_s(preset=x264_preset(), frame_rate=plan.frame_rate, encoder=encoder)
    args = ffmpeg.ladder_command(source=source, plan=plan, out_dir=out_dir, preset=x264_preset(),
                                 storyboard_every_s=interval, storyboard_width=STORYBOARD_WIDTH_PX,
                                 audio_filters=gains,
                                 picture_delay_samples=round(delay_s * ffmpeg.AUDIO_RATE_HZ), encoder=encoder)
    run_with_progress(args, what=f"encode the ladder ({encoder})", duration_s=probe.duration_s,
                      on_progress=on_progress)
    aspect = probe.display_width / probe.display_height
    tile_h = max(2, round(STORYBOARD_WIDTH_PX / aspect / 2) * 2)
    thumbs = out_dir / "thumbs"
    ffmpeg.tile_storyboard(thumbs_dir=thumbs)
    write_storyboard_vtt(thumbs_dir=thumbs, duration_s=probe.duration_s, interval_s=interval,
                         tile_width=STORYBOARD_WIDTH_PX, tile_height=tile_h)
    make_poster(source=source, duration_s=probe.duration_s, out=thumbs / "poster.jpg",
                width=min(1280, plan.rungs[-1].width))
    return TranscodeResult(plan=plan, out_dir=out_dir, encoder=encoder)


def probe_from_summary(summary: dict[str, object]) -> ProbeResult:
    fields = {k: v for k, v in summary.items() if k in ProbeResult.__dataclass_fields__}
    fields["audio"] = tuple(AudioTrack(**t) for t in summary["audio"])  # type: ignore[attr-defined]
    return ProbeResult(**fields)  # type: ignore[arg-type]


def transcode_asset(*, asset: MediaAsset, work_dir: Path,
                    on_progress: ProgressFn | None = None) -> TranscodeResult:
    probe = probe_from_summary(asset.probe)
    with storage.local_copy(asset.storage_name) as source:
        return transcode_source(source=source, probe=probe, out_dir=work_dir, on_progress=on_progress)


def publish_transcode(*, asset: MediaAsset, result: TranscodeResult) -> None:
    """Store the encoded files and record the renditions (store_transcode, then
    record_renditions)."""
    store_transcode(asset=asset, result=result)
    record_renditions(asset=asset, result=result)


def store_transcode(*, asset: MediaAsset, result: TranscodeResult) -> None:
    """Copy the encoded files under the asset's folder; nothing refers to them until
    record_renditions, so a retry may write them again."""
    if asset.state != MediaAsset.State.TRANSCODED:
        storage.store_tree(result.out_dir, asset.folder)


@dataclass(frozen=True, slots=True)
class RenditionMeasures:
    """What the rendition rows record of a local transcode, measured before the rows are
    written: the loudness of a long film's sound takes a while, and a job measuring inside
    its publish transaction would hold the database (and miss its heartbeats) meanwhile."""

    video: dict[str, tuple[PlaylistMeasure, str]]  # rung name → (bitrates, RFC 6381 codecs)
    audio: dict[int, tuple[PlaylistMeasure, dict[str, object]]]  # track index → (bitrates, loudness)


def measure_renditions(*, result: TranscodeResult) -> RenditionMeasures:
    video = {}
    for rung in result.plan.rungs:
        playlist = result.out_dir / "v" / rung.name / "index.m3u8"
        video[rung.name] = (measure_media_playlist(playlist), avc_codecs(playlist.parent / "init.mp4"))
    audio = {track.index: (measure_media_playlist(result.out_dir / "a" / str(track.index) / "index.m3u8"),
                           rendition_loudness(result.out_dir / "a" / str(track.index)))
             for track in result.plan.audio}
    return RenditionMeasures(video=video, audio=audio)


def record_renditions(*, asset: MediaAsset, result: TranscodeResult,
                      measures: RenditionMeasures | None = None) -> None:
    """The rendition rows of a stored transcode, from ``measures`` (measured from the local
    output when not given). Idempotent: a second call for a transcoded asset changes nothing."""
    if asset.state == MediaAsset.State.TRANSCODED:
        return
    measures = measures or measure_renditions(result=result)
    with transaction.atomic():
        for rung in result.plan.rungs:
            measured, codecs = measures.video[rung.name]
            VideoRendition.objects.create(
                asset=asset, width=rung.width, height=rung.height, frame_rate=result.plan.frame_rate,
                bitrate_kbps=rung.bitrate_kbps, peak_bps=measured.peak_bps,
                average_bps=measured.average_bps, codecs=codecs,
                playlist_name=f"{asset.folder}/v/{rung.name}/index.m3u8")
        for track in result.plan.audio:
            _record_source_track(asset, track.index, downmix=track.downmix, measured=measures.audio[track.index])
        MediaAsset.objects.filter(pk=asset.pk).update(state=MediaAsset.State.TRANSCODED)
    asset.state = MediaAsset.State.TRANSCODED


def _record_source_track(asset: MediaAsset, index: int, *, downmix: str,
                         measured: tuple[PlaylistMeasure, dict[str, object]]) -> None:
    info = next(t for t in asset.probe["audio"] if t["index"] == index)
    language = info["language"] or (asset.title.original_language if index == 0 else "und")
    name = native_name(language) if language.lower() in BY_CODE else (info["title"] or f"Audio {index + 1}")
    bitrates, loudness = measured
    provenance = {"source": asset.source_filename, "track": index, "layout": info["layout"]}
    if downmix:
        provenance["downmix"] = {"rule": DOWNMIX_RULE, "filter": downmix}
    AudioRendition.objects.create(
        title=asset.title, asset=asset, language=language, name=name,
        kind=AudioRendition.Kind.ORIGINAL, is_machine_made=False, is_default=index == 0,
        peak_bps=bitrates.peak_bps, average_bps=bitrates.average_bps,
        provenance=provenance, loudness=loudness,
        playlist_name=f"{asset.folder}/a/{index}/index.m3u8")


def picture_start_s(video: VideoRendition) -> float:
    """When a published rung shows its first frame, read from its stored init segment
    and first media segment (raw times, as an HLS player places them)."""
    folder = video.playlist_name.rsplit("/", 1)[0]
    with storage.local_copy(f"{folder}/init.mp4") as init, \
            storage.local_copy(f"{folder}/seg_00000.m4s") as segment, \
            tempfile.TemporaryDirectory(prefix="dastan-start-") as tmp:
        joined = Path(tmp) / "start.mp4"
        joined.write_bytes(init.read_bytes() + segment.read_bytes())
        with av.open(str(joined), options={"ignore_editlist": "1"}) as container:
            stream = container.streams.video[0]
            tick = float(stream.time_base or 0)
            times = [p.pts * tick for _, p in zip(range(8), container.demux(stream)) if p.pts is not None]
    return min(times, default=0.0)


def rendition_loudness(rendition_dir: Path) -> dict[str, object]:
    """What an audio rendition records of its loudness: measured on the encoded AAC,
    beside the target it was normalised to."""
    target = loudness_target()
    return {**measure_rendition(rendition_dir=rendition_dir).as_dict(),
            "target_lufs": target.integrated_lufs, "max_true_peak_dbtp": target.max_true_peak_dbtp,
            "method": "ffmpeg loudnorm, two passes (linear gain)"}


def poster_name(asset: MediaAsset) -> str:
    return f"{asset.folder}/thumbs/poster.jpg"


def storyboard_name(asset: MediaAsset) -> str:
    return f"{asset.folder}/thumbs/storyboard.vtt"
