"""The one place Dastan runs ffmpeg and ffprobe: which binary, how it is started, and the
one error a failure raises.

Which binary: ``settings.DASTAN_FFMPEG``. Empty (the default) takes the one shipped in
the ``imageio-ffmpeg`` wheel, so every machine encodes with the same ffmpeg (9.x, with
libx264 and rubberband) whatever its distribution packages; a path or a name on ``PATH``
(``/usr/bin/ffmpeg``) takes that one. ffprobe is the ``ffprobe`` beside the chosen
ffmpeg; the wheel ships none, and then :func:`probe_duration_ms` decodes instead.

Argument lists, never shell strings; every child goes through :mod:`dastan.processes`
(it dies with the worker and stops when its job is cancelled). A failure raises
:class:`FFmpegFailed`, which keeps ffmpeg's return code and its last stderr lines.

The apps build their own argument lists: ``media/ffmpeg.py`` (the ladder, chunks,
audio renditions), ``localization/voice/ffmpeg.py`` (stretching, pitch, mixing).
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from dastan import processes
from dastan.errors import ConfigurationError, DastanError
from dastan.i18n import gettext

ProgressFn = Callable[[float, str], None]

TAIL_LINES = 12  # stderr lines an FFmpegFailed keeps


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the catalogues, as Django's gettext_noop does, without reading
    settings (Django's does, and bench scripts import this module without them)."""
    return message


def translated(message: str) -> str:
    """``message`` in the active language; as it is where Django is not configured (bench
    scripts and tools run ffmpeg without settings). Mark the text with gettext_noop."""
    return gettext(message) if settings.configured else message


_PLAYABLE = gettext_noop("Check that the file is audio or video ffmpeg can play.")
_HINT = gettext_noop("Check that the file plays in a media player; if it does, report this error with "
                    "the file's details from `ffprobe`.")


class FFmpegFailed(DastanError):
    """ffmpeg (or ffprobe) exited with an error, or ran past its time limit.

    ``returncode`` is its exit status (None when it was stopped for taking too long) and
    ``stderr_tail`` its last stderr lines; the message names what it was asked to do."""

    code = "ffmpeg_failed"
    status = 500

    def __init__(self, message: str, hint: str = "", *, returncode: int | None = None,
                 stderr_tail: str = "", **kwargs: Any) -> None:
        super().__init__(message, hint, **kwargs)
        self.returncode = returncode
        self.stderr_tail = stderr_tail

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_failed, (type(self), self.message, self.hint, self.code, self.status,
                                  self.field, self.returncode, self.stderr_tail))


def _rebuild_failed(cls: type[FFmpegFailed], message: str, hint: str, code: str, status: int,
                    field: str | None, returncode: int | None, stderr_tail: str) -> FFmpegFailed:
    return cls(message, hint, returncode=returncode, stderr_tail=stderr_tail, code=code,
               status=status, field=field)


def configured_binary() -> str:
    """``DASTAN_FFMPEG`` as set (``""``: the imageio-ffmpeg wheel's binary)."""
    if settings.configured:
        return str(settings.DASTAN_FFMPEG)
    return os.environ.get("DASTAN_FFMPEG", "")  # bench scripts and tools without Django


def ffmpeg_exe() -> str:
    """The path of the ffmpeg binary every caller runs. Raises ConfigurationError when
    ``DASTAN_FFMPEG`` names nothing runnable."""
    return _resolve(configured_binary())


def ffprobe_exe() -> str | None:
    """The ffprobe beside :func:`ffmpeg_exe`, or None (the imageio-ffmpeg wheel has none)."""
    beside = Path(ffmpeg_exe()).with_name("ffprobe")
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


@lru_cache(maxsize=8)
def _resolve(chosen: str) -> str:
    if not chosen:
        try:
            import imageio_ffmpeg

            return str(imageio_ffmpeg.get_ffmpeg_exe())
        except (ImportError, RuntimeError) as exc:
            raise ConfigurationError(
                translated(gettext_noop("No ffmpeg binary was found: the imageio-ffmpeg wheel is missing.")),
                translated(gettext_noop("Install the imageio-ffmpeg wheel, or set DASTAN_FFMPEG to an ffmpeg "
                                        "binary (e.g. /usr/bin/ffmpeg)."))) from exc
    found = shutil.which(chosen)
    if found is None:
        raise ConfigurationError(
            translated(gettext_noop("DASTAN_FFMPEG names '%(binary)s', which is not an ffmpeg this machine "
                                    "can run.")) % {"binary": chosen},
            translated(gettext_noop("Set DASTAN_FFMPEG to the path of an ffmpeg binary, or leave it empty for "
                                    "the imageio-ffmpeg wheel's.")))
    return str(Path(found).resolve())


def base_args(*, loglevel: str = "error") -> list[str]:
    """The start of every ffmpeg command: the binary, no banner, no stdin, overwrite.
    ``loglevel="info"`` where filters print their measurements (loudnorm, ebur128)."""
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", loglevel]


def _failed(*, what: str, returncode: int | None, stderr: str, hint: str) -> FFmpegFailed:
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    tail = lines[-TAIL_LINES:]
    last = " | ".join(tail[-4:]) or translated(gettext_noop("exit status %(code)s")) % {"code": returncode}
    # Translators: %(what)s is what ffmpeg was doing, in English (e.g. "encode chunk 3");
    # %(detail)s is ffmpeg's own last lines.
    return FFmpegFailed(translated(gettext_noop("ffmpeg could not %(what)s: %(detail)s")) % {"what": what, "detail": last},
                        hint or translated(_HINT),
                        returncode=returncode, stderr_tail="\n".join(tail))


def run(args: Sequence[str], *, what: str, hint: str = "", timeout_s: float | None = None,
        text: bool = True) -> subprocess.CompletedProcess[Any]:
    """Run ``args`` (the full list, from :func:`base_args`, or ffprobe's) to the end and
    return what it wrote (``text=False``: stdout as bytes, for raw samples). Raises
    FFmpegFailed naming ``what`` it was doing (an infinitive: "read x.wav")."""
    extra: dict[str, Any] = {"text": True, "errors": "replace"} if text else {}
    try:
        done = processes.run(args, capture_output=True, timeout=timeout_s, **extra)
    except subprocess.TimeoutExpired as exc:
        # Translators: %(what)s is what ffmpeg was doing, in English (e.g. "read film.mov").
        raise FFmpegFailed(translated(gettext_noop("ffmpeg took over %(seconds)s s to %(what)s."))
                           % {"seconds": f"{timeout_s:g}", "what": what},
                           translated(gettext_noop("Try again on a less busy machine.")), returncode=None) from exc
    if done.returncode != 0:
        stderr = done.stderr if text else done.stderr.decode("utf-8", "replace")
        raise _failed(what=what, returncode=done.returncode, stderr=stderr, hint=hint)
    return done


def run_with_progress(args: Sequence[str], *, what: str, duration_s: float | None = None,
                      on_progress: ProgressFn | None = None, hint: str = "") -> None:
    """Run ffmpeg with ``args`` (the full list, from :func:`base_args`) and report progress
    as a fraction 0–1 of ``duration_s``, read from ``-progress pipe:1``. Raises
    FFmpegFailed naming ``what`` it was doing."""
    cmd = [*args[:1], "-progress", "pipe:1", "-nostats", *args[1:]]
    tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
    with processes.started(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           errors="replace") as proc:
        reader = threading.Thread(target=_drain, args=(proc.stderr, tail), daemon=True)
        reader.start()
        assert proc.stdout is not None
        for line in proc.stdout:
            key, _, value = line.strip().partition("=")
            # out_time_us is the slowest output's position ("N/A" until every output
            # has written a packet), so no output may hold its first packet back.
            if key == "out_time_us" and on_progress and duration_s and value.isdigit():
                done_s = int(value) / 1_000_000
                on_progress(min(1.0, done_s / duration_s), f"{what}: {done_s:.0f}/{duration_s:.0f} s")
        code = proc.wait()
        reader.join(timeout=5)
    if code != 0:
        raise _failed(what=what, returncode=code, stderr="\n".join(tail), hint=hint)


def _drain(stream: Any, tail: collections.deque[str]) -> None:
    for line in stream:
        tail.append(line.rstrip())


@lru_cache(maxsize=8)
def _version(exe: str) -> str:
    out = processes.run([exe, "-hide_banner", "-version"], capture_output=True, text=True).stdout
    match = re.search(r"ffmpeg version (\S+)", out)
    return match.group(1) if match else "unknown"


def version() -> str:
    """The chosen ffmpeg's version ("5.1.9-0+deb12u1", "n9.0.2-…"), for provenance."""
    return _version(ffmpeg_exe())


@lru_cache(maxsize=32)
def _listed(exe: str, what: str) -> tuple[str, ...]:
    # A failure raises (and is not cached): an empty list would stand for the process's life.
    done = run([exe, "-hide_banner", f"-{what}"], what=f"list its {what}", timeout_s=60)
    # " ..C rubberband  A->A  …", " V....D libx264  …": flags, then the name (the legend
    # above the list reads " T.. = Timeline support").
    names = {parts[1] for parts in map(str.split, done.stdout.splitlines()) if len(parts) >= 2}
    return tuple(sorted(names - {"="}))


def has_filter(name: str) -> bool:
    return name in _listed(ffmpeg_exe(), "filters")


def encoders() -> tuple[str, ...]:
    """The encoders the chosen ffmpeg has (``libx264``, ``h264_nvenc``, …)."""
    return _listed(ffmpeg_exe(), "encoders")


@lru_cache(maxsize=8)
def encoder_works(name: str) -> bool:
    """Whether encoder ``name`` really encodes on this machine: a few frames encoded to
    nothing. ffmpeg lists ``h264_nvenc`` wherever it was built with it; it encodes only
    with an NVIDIA GPU and its driver."""
    if name not in encoders():
        return False
    done = subprocess.run([*base_args(), "-f", "lavfi", "-i", "testsrc2=size=256x144:rate=25:duration=0.2",
                           "-c:v", name, "-f", "null", "-"], capture_output=True, timeout=120, check=False)
    return done.returncode == 0


def probe_duration_ms(path: Path) -> int:
    """Duration of a media file in integer milliseconds: ffprobe's when there is one,
    else the decoded length (ffmpeg's ``out_time_us`` at the end of a null encode)."""
    ffprobe = ffprobe_exe()
    if ffprobe:
        done = run([ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "json",
                    str(path)], what=f"read how long {path.name} is", hint=translated(_PLAYABLE))
        duration = json.loads(done.stdout).get("format", {}).get("duration")
        if duration not in (None, "N/A"):
            return round(float(duration) * 1000)
    done = run([*base_args(), "-i", str(path), "-progress", "pipe:1", "-nostats", "-f", "null", "-"],
               what=f"read {path.name}", hint=translated(_PLAYABLE))
    times = [int(v) for k, _, v in (line.partition("=") for line in done.stdout.splitlines())
             if k == "out_time_us" and v.isdigit()]
    if not times:
        raise FFmpegFailed(translated(gettext_noop("Could not tell how long %(name)s is.")) % {"name": path.name},
                           translated(gettext_noop("Check that the file holds a stream ffmpeg can decode.")))
    return round(times[-1] / 1000)
