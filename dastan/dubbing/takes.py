"""Booth takes: a recording of one cue, uploaded resumably (the node's tus server), cut to
the cue's timeline, measured, and judged in words an actor can act on.

The booth records from ``preroll_ms`` before the cue starts (the countdown, with the
guide playing), so the node cuts that much off the front: the take's time 0 is the cue's
start. It then measures where speech starts (against 0), how long it runs (against the
cue), and how loud it is, and says what to fix: "starts 400 ms late", "1.3 s longer than
the cue allows", "too quiet".
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max

from dastan.accounts.permissions import Action
from dastan.dubbing.measure import clipped_runs, decode_mono, peak_dbfs, rms_dbfs, speech_spans_ms
from dastan.dubbing.models import Take
from dastan.errors import InvalidInput, NotFound
from dastan.ffmpeg import base_args, run
from dastan.i18n import gettext
from dastan.localization.access import access_cue, check_track
from dastan.localization.models import Cue
from dastan.media import storage
from dastan.media.upload import access_upload

RATE_HZ = 48000
ONSET_TOLERANCE_MS = 150  # earlier or later than this, the actor is told
LENGTH_TOLERANCE_MS = 300  # speech may run this far past the cue's end
QUIET_RMS_DBFS = -40.0  # speech quieter than this needs a closer microphone or more gain


@dataclass(frozen=True, slots=True)
class TakeMeasurement:
    onset_ms: int | None  # speech start against the cue start (+ late, - early); None: no speech
    speech_ms: int  # from the first word to the last
    cue_ms: int
    over_ms: int  # how far speech runs past the cue's end (0 when it fits)
    peak_dbfs: float
    rms_dbfs: float  # of the speech itself
    clipped: bool
    advice: tuple[str, ...]


def measure_take(*, wav: Path, cue_ms: int) -> TakeMeasurement:
    """Measure a take whose time 0 is the cue's start."""
    samples, rate = decode_mono(wav, rate_hz=RATE_HZ)
    spans = speech_spans_ms(samples, rate)
    if not spans:
        return TakeMeasurement(onset_ms=None, speech_ms=0, cue_ms=cue_ms, over_ms=0, peak_dbfs=peak_dbfs(samples),
                               rms_dbfs=rms_dbfs(samples), clipped=False,
                               advice=("No speech was heard: check the microphone is chosen and not muted.",))
    onset, end = spans[0][0], spans[-1][1]
    speech = samples[onset * rate // 1000: end * rate // 1000]
    over = max(0, onset + (end - onset) - cue_ms)
    advice = []
    if onset > ONSET_TOLERANCE_MS:
        advice.append(f"starts {onset} ms late")
    elif onset < -ONSET_TOLERANCE_MS:
        advice.append(f"starts {-onset} ms early")
    if over > LENGTH_TOLERANCE_MS:
        advice.append(f"{over / 1000:.1f} s longer than the mouth movement allows")
    level = rms_dbfs(speech)
    if level < QUIET_RMS_DBFS:
        advice.append("too quiet: come closer to the microphone or raise its gain")
    clipped = clipped_runs(speech) > 0
    if clipped:
        advice.append("clips: step back from the microphone or lower its gain")
    return TakeMeasurement(onset_ms=onset, speech_ms=end - onset, cue_ms=cue_ms, over_ms=over,
                           peak_dbfs=peak_dbfs(speech), rms_dbfs=level, clipped=clipped,
                           advice=tuple(advice) or ("in sync and on level",))


def _cut(source: Path, out: Path, *, preroll_ms: int) -> Path:
    """The recording from ``preroll_ms`` on, as 48 kHz mono WAV (any codec the browser
    recorded: WebM/Opus, Ogg, MP4/AAC, WAV)."""
    run([*base_args(), "-i", str(source), "-af", f"atrim=start={preroll_ms / 1000:.3f},asetpts=PTS-STARTPTS",
         "-ac", "1", "-ar", str(RATE_HZ), "-c:a", "pcm_s16le", str(out)], what="read the booth take")
    return out


def record_take(*, by: Any, cue_id: int, upload_id: Any, preroll_ms: int) -> Take:
    """Keep a finished booth upload as the cue's next take, measured; the newest take of
    a cue is the chosen one until the actor chooses another. Raises NotAllowed without
    RECORD_DUB, NotFound for an upload that is not the caller's, InvalidInput for an
    upload not finished yet or a preroll outside 0–10 s."""
    cue: Cue = access_cue(user=by, cue_id=cue_id, action=Action.RECORD_DUB)

    upload = access_upload(upload_id=upload_id, user=by)
    if upload.state != upload.State.COMPLETE or not upload.storage_name:
        raise InvalidInput(gettext("The take has not finished uploading."),
                           gettext("Let the upload finish (it resumes by itself)."),
                           field="upload_id")
    if not 0 <= preroll_ms <= 10_000:
        raise InvalidInput(gettext("A pre-roll of %(ms)s ms cannot be right.") % {"ms": preroll_ms},
                           gettext("Send 0 to 10000 ms."),
                           field="preroll_ms")
    with storage.local_copy(upload.storage_name) as raw:
        return record_take_file(by=by, cue=cue, recording=Path(raw), preroll_ms=preroll_ms)


def record_take_file(*, by: Any, cue: Cue, recording: Path, preroll_ms: int) -> Take:
    """Cut, measure and keep ``recording`` as the cue's next (chosen) take; the caller
    checked RECORD_DUB on the cue's track."""
    with tempfile.TemporaryDirectory(prefix="dastan-take-") as tmp:
        wav = _cut(recording, Path(tmp) / "take.wav", preroll_ms=preroll_ms)
        measurement = measure_take(wav=wav, cue_ms=cue.end_ms - cue.start_ms)
        with transaction.atomic():
            number = (Take.objects.filter(cue=cue).aggregate(n=Max("number"))["n"] or 0) + 1
            name = storage.store_file(wav, f"titles/{cue.track.title.slug}/dubbing/{cue.track.language}/takes/"
                                           f"{cue.index}-{number}.wav")
            Take.objects.filter(cue=cue).update(chosen=False)
            return Take.objects.create(track=cue.track, cue=cue, number=number, storage_name=name, chosen=True,
                                       measurement=asdict(measurement), created_by=by)


def choose_take(*, by: Any, take_id: int) -> Take:
    """Mark a take as its cue's chosen one."""
    take = Take.objects.select_related("track__title__owner").filter(pk=take_id).first()
    if take is None:
        raise NotFound(gettext("There is no take #%(take)s.") % {"take": take_id},
                       gettext("List the cue's takes in the booth."))
    check_track(user=by, track=take.track, action=Action.RECORD_DUB)
    with transaction.atomic():
        Take.objects.filter(cue_id=take.cue_id).update(chosen=False)
        Take.objects.filter(pk=take.pk).update(chosen=True)
    take.chosen = True
    return take
