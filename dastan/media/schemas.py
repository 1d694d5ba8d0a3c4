"""API shapes of the media app."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class VideoOut(Schema):
    width: int
    height: int
    bitrate_kbps: int
    codecs: str


class AudioOut(Schema):
    language: str
    name: str
    kind: str
    is_machine_made: bool
    provenance: dict[str, object]  # with "downmix": {"rule", "filter"} for a downmixed 5.1
    # measured on the encoded track: integrated_lufs, true_peak_dbtp, lra_lu, target_lufs,
    # max_true_peak_dbtp, method; {} for tracks encoded before loudness was measured
    loudness: dict[str, object]


class SubtitleOut(Schema):
    language: str
    name: str
    is_machine_made: bool
    label: str


class StreamOut(Schema):
    title: str
    version: int
    published_at: datetime
    master_url: str
    watch_url: str
    corrections: list[str]
    video: list[VideoOut]
    audio: list[AudioOut]
    subtitles: list[SubtitleOut]
