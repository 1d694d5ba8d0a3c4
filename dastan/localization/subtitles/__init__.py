"""Subtitles: cues, style profiles, segmentation to broadcast rules, QC, files in and out.

Pure functions over frozen values; nothing here touches the database. Start with
:func:`segment.segment_transcript`, :func:`qc.check_cues`, :func:`formats.read_subtitles`
and :func:`webvtt.write_webvtt`.
"""
