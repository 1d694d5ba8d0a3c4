"""Approved subtitles → a voice-over or dubbed audio track per language.

The one entry point is ``dub.render_voice_track(*, cues, language, original_audio, mode,
cache_dir, out_path, me_stem=None, target_lufs=-23.0, …) -> DubReport``. Its steps, one
module each, in the order they run:

- ``planner``    which installed voices speak a language, best first; Tajik: "subtitles only"
- ``casting``    a distinct voice (and pitch) per speaker, deterministic, overridable
- ``synthesis``  per-cue speech cached by content key; ``synthesize_track`` says which
                 cues were spoken again after an edit
- ``fitting``    stretch ≤ 1.25× (rubberband), borrow the gap, else flag with the overrun
- ``mix``        voice stem; ducked original (gain envelope) or the M&E stem
- ``loudness``   two-pass loudnorm to the target, then measured with ebur128

``ffmpeg`` holds the tempo and pitch filters; every ffmpeg command runs through
:mod:`dastan.ffmpeg` (one binary, one error). The engines
themselves live in ``localization/engines/`` (espeak.py, piper.py, festival.py).
"""
