"""Where a film's source-language text comes from: speech recognition, an uploaded
subtitle file, or an uploaded script aligned to the audio."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from dastan.accounts.permissions import Action, check
from dastan.catalog.languages import normalize_code
from dastan.catalog.models import Title
from dastan.i18n import gettext
from dastan.localization.engines.base import Transcript
from dastan.localization.engines.registry import get_transcriber
from dastan.localization.errors import TrackAlreadyReviewed
from dastan.localization.models import SubtitleTrack, WaveformPeaks
from dastan.localization.profiles import profile_for
from dastan.localization.subtitles.align import cues_from_script
from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.formats import read_script, read_subtitles
from dastan.localization.subtitles.repair import Repair
from dastan.localization.subtitles.segment import segment_transcript
from dastan.localization.subtitles.shots import SCENE_THRESHOLD, detect_shot_changes
from dastan.localization.tracks import CueData, create_track
from dastan.media.models import MediaAsset
from dastan.media.storage import local_copy

Progress = Callable[[float, str], None]


def to_cue_data(cues: Sequence[Cue]) -> list[CueData]:
    return [CueData(c.start_ms, c.end_ms, "\n".join(c.lines), c.speaker) for c in cues]


def import_subtitle_file(*, title: Title, language: str, data: bytes, filename: str = "",
                         author: Any = None, replace: bool = False) -> SubtitleTrack:
    """A studio's subtitle file (SRT, WebVTT, ASS/SSA, TTML) as the title's ``language``
    track. A broken file raises SubtitleFileInvalid naming the line; nothing is stored.

    ``author`` (None: the system) must be allowed to edit the owner's subtitles. A track
    people already approved or published is only replaced with ``replace=True``: its
    approvals are voided and its text goes back to review, so what viewers see stays
    what people approved."""
    code = normalize_code(language)
    if author is not None:
        check(user=author, action=Action.TRANSLATE, organisation=title.owner, hidden=not title.is_published)
    existing = SubtitleTrack.objects.filter(title=title, language=code).first()
    reviewed = (SubtitleTrack.State.APPROVED, SubtitleTrack.State.PUBLISHED)
    if existing is not None and existing.state in reviewed and not replace:
        raise TrackAlreadyReviewed(
            # Translators: %(state)s is the track's state in lower case, e.g. "approved" or "published".
            gettext("The %(language)s subtitles of '%(title)s' are %(state)s; a file would replace text that "
                    "people approved.")
            % {"language": code, "title": title.slug, "state": existing.get_state_display().lower()},
            # Translators: replace=true is an API parameter; keep it as it is.
            gettext("Edit its cues in the review desk, or send the file again with replace=true: "
                    "the track then goes back to review."), field="language")
    document = read_subtitles(data=data, language=code, filename=filename,
                              film_duration_ms=film_duration_ms(title=title))
    return create_track(title=title, language=code, origin=SubtitleTrack.Origin.UPLOAD,
                        cues=to_cue_data(document.cues), is_source=code == title.original_language,
                        author=author, provenance={"engine": "upload", "file": filename,
                                                   "format": document.format, "encoding": document.encoding,
                                                   "repairs": _stored_repairs(document.repairs)})


# A provenance is shown with every track; a file with thousands of repairs keeps the
# first ones and says how many more there were.
MAX_STORED_REPAIRS = 500


def _stored_repairs(repairs: Sequence[Repair]) -> list[dict[str, str | int]]:
    stored = [r.as_dict() for r in repairs[:MAX_STORED_REPAIRS]]
    if len(repairs) > MAX_STORED_REPAIRS:
        stored.append({"line": 0, "action": "more",
                       "message": f"{len(repairs) - MAX_STORED_REPAIRS} more repairs not listed."})
    return stored


def film_duration_ms(*, title: Title) -> int | None:
    """The length of the title's latest packaged version, or None before one exists."""
    from dastan.media.models import Version

    version = Version.objects.filter(title=title).select_related("asset").order_by("-number").first()
    duration_s = version.asset.probe.get("duration_s") if version is not None else None
    return round(float(duration_s) * 1000) if duration_s else None


@contextmanager
def speech_audio(*, title: Title, language: str | None = None) -> Iterator[Path]:
    """The title's sound in ``language`` (default: its original language) as a 16 kHz
    mono WAV, for speech recognition."""
    from dastan.media.audio import extract_audio_track

    with TemporaryDirectory(prefix="dastan-asr-") as tmp:
        yield extract_audio_track(title=title, language=language, out=Path(tmp) / "speech.wav", channels=1,
                                  sample_rate_hz=16000)


def transcribe(*, title: Title, language: str | None = None) -> Transcript:
    with speech_audio(title=title, language=language) as wav:
        return get_transcriber().transcribe(audio=wav, language=language, word_timestamps=True)


def film_rate_and_cuts(*, title: Title) -> tuple[float, tuple[int, ...]]:
    """The frame rate of the title's latest film and its shot changes, which cue timing
    snaps to: the ones the editor's peaks job stored, else found now with ffmpeg's scene
    score. (25.0, ()) before the title has a film."""
    asset = MediaAsset.objects.filter(title=title).order_by("-created_at").first()
    if asset is None:
        return 25.0, ()
    fps = float(asset.probe.get("frame_rate") or 25.0)
    stored = WaveformPeaks.objects.filter(title=title, asset_id=asset.pk).first()
    if stored is not None:
        return fps, tuple(stored.shot_changes_ms)
    with local_copy(asset.storage_name) as film:
        return fps, detect_shot_changes(video=film, threshold=SCENE_THRESHOLD)


def transcribe_title(*, title: Title, language: str | None = None) -> SubtitleTrack:
    """Speech recognition → subtitles to the language's style profile, as the title's
    source track, in review (machine text is never shown before people approve it).
    Cue starts and ends snap to the film's shot changes, by the profile's frame rules."""
    transcript = transcribe(title=title, language=language or title.original_language)
    code = normalize_code(transcript.language)
    fps, cuts = film_rate_and_cuts(title=title)
    profile = profile_for(language=code, organisation=title.owner, fps=fps)
    cues = segment_transcript(transcript=transcript, profile=profile, shot_changes_ms=cuts)
    return create_track(title=title, language=code, origin=SubtitleTrack.Origin.ASR,
                        cues=to_cue_data(cues), is_source=code == title.original_language,
                        provenance={**transcript.provenance.as_dict(),
                                    "language_probability": round(transcript.language_probability, 3)})


def align_script_file(*, title: Title, data: bytes, language: str | None = None,
                      author: Any = None) -> SubtitleTrack:
    """A script without timings, timed by aligning it to what speech recognition hears."""
    code = normalize_code(language or title.original_language)
    lines = read_script(data=data, language=code)
    transcript = transcribe(title=title, language=code)
    fps, cuts = film_rate_and_cuts(title=title)
    profile = profile_for(language=code, organisation=title.owner, fps=fps)
    cues = cues_from_script(script_lines=lines, transcript=transcript, profile=profile, shot_changes_ms=cuts)
    return create_track(title=title, language=code, origin=SubtitleTrack.Origin.UPLOAD,
                        cues=to_cue_data(cues), is_source=code == title.original_language, author=author,
                        provenance={"engine": "script-alignment", "timing": transcript.provenance.as_dict()})
