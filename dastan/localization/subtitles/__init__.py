"""Subtitles: cues, style profiles, segmentation to broadcast rules, QC, files in and out.

Pure functions over frozen values; nothing here touches the database or stores files.
Times are integer milliseconds; languages are the catalogue's BCP 47 codes.

The calls other parts of Dastan make, one module each:

* ``profiles.default_profile(language=, audience="adult", fps=24.0) -> StyleProfile``;
  ``profile_to_dict(profile=)`` / ``profile_from_dict(data=)`` for stored overrides
  (raises ``InvalidInput`` naming the field); ``StyleProfile.with_fps(fps)``.
* ``shots.detect_shot_changes(video=, threshold=0.3) -> tuple[int, ...]`` (ffmpeg).
* ``segment.segment_transcript(transcript=, profile=, shot_changes_ms=()) -> tuple[Cue, ...]``
  from an engines ``Transcript`` (word times or plain segments).
* ``align.align_script(script_lines=, transcript=) -> ScriptAlignment`` and
  ``align.cues_from_script(script_lines=, transcript=, profile=, shot_changes_ms=())``.
* ``qc.check_cues(cues=, profile=, source_cues=(), source_language="", glossary=None,
  shot_changes_ms=(), rules=None) -> tuple[QcIssue, ...]``; ``qc.RULES`` names them.
* ``translated.translated_cues(source_cues=, texts=, profile=, glossary=None)``: a
  translation's texts as target cues on the source's times, lines broken anew.
* ``glossary.enforce_glossary(source_text=, target_text=, glossary=) -> str`` and
  ``find_missing_terms(...)``.
* ``formats.read_subtitles(data=, language=None, filename="", allow_overlaps=False,
  film_duration_ms=None) -> SubtitleDocument`` with ``repairs`` by line (:mod:`.repair`;
  raises ``SubtitleFileInvalid`` with the line and the fix for what cannot be read);
  ``formats.read_script(data=, language=None) -> tuple[str, ...]``;
  ``formats.write_subtitles(cues=, fmt=, language=) -> str`` for srt, vtt, ass, ssa, ttml.
* ``webvtt.write_webvtt(cues=, language=, align="center", line_percent=None,
  speakers=False) -> str``: right-to-left safe for ur and fa.
* ``counting.count_chars(text)``, ``counting.reading_chars(lines)``: lengths as readers
  see them, in any script.
"""
