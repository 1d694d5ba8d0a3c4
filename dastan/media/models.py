"""Uploads, mezzanines (the validated master file of a title), renditions and the
published versions of a title's stream.

A :class:`Version` is an immutable set of renditions with its own master playlist. A
title's :class:`Stream` points at its current version; switching that pointer is the one
write that publishes, so viewers of an older version keep their playlists and segments.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Upload(models.Model):
    """A resumable (tus 1.0) upload; its bytes grow under DASTAN_HOME/uploads/ until done,
    then move into the media storage (``storage_name``) where any worker can read them."""

    class State(models.TextChoices):
        RECEIVING = "receiving", "Receiving"
        COMPLETE = "complete", "Complete"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads")
    length_bytes = models.BigIntegerField()
    offset_bytes = models.BigIntegerField(default=0)
    filename = models.CharField(max_length=255, blank=True, default="")
    # tus Upload-Metadata, decoded: {"filename": ..., "title": "<slug>", ...}
    metadata = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.RECEIVING)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    # Where the finished bytes wait in the media storage for their ingest; emptied once the
    # ingest has kept them as a mezzanine (or they expired), so "pending" is queryable.
    storage_name = models.CharField(max_length=500, blank=True, default="")
    # Whose quota the upload counts against: the title's owner, else the uploader's one
    # organisation; none for an uploader of no organisation (counted per uploader).
    organisation = models.ForeignKey("catalog.Organisation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"upload {self.id} ({self.offset_bytes}/{self.length_bytes})"


class MediaQuota(models.Model):
    """An organisation's own upload quota, where it differs from
    DASTAN_UPLOAD_QUOTA_BYTES. Kept in the media app (not a field on Organisation) so the
    catalog's tables do not depend on media."""

    organisation = models.OneToOneField("catalog.Organisation", on_delete=models.CASCADE,
                                        related_name="+", primary_key=True)
    quota_bytes = models.BigIntegerField(help_text="stored mezzanines plus pending uploads may not exceed this")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.quota_bytes} bytes"


class MediaAsset(models.Model):
    """A mezzanine: a source file that passed validation, kept in storage unchanged."""

    class State(models.TextChoices):
        STORED = "stored", "Stored"
        TRANSCODED = "transcoded", "Transcoded"

    title = models.ForeignKey("catalog.Title", on_delete=models.CASCADE, related_name="media_assets")
    upload = models.ForeignKey(Upload, null=True, blank=True, on_delete=models.SET_NULL)
    source_filename = models.CharField(max_length=255)
    storage_name = models.CharField(max_length=500, help_text="name in the default storage")
    sha256 = models.CharField(max_length=64)
    size_bytes = models.BigIntegerField()
    # A summary of the probe (see probe.ProbeResult.as_dict): duration, streams, flags.
    probe = models.JSONField(default=dict)
    state = models.CharField(max_length=12, choices=State.choices, default=State.STORED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["title", "sha256"], name="one_asset_per_file")]

    def __str__(self) -> str:
        return f"{self.title} {self.sha256[:12]}"

    @property
    def folder(self) -> str:
        return f"titles/{self.title.slug}/a{self.pk}"


class VideoRendition(models.Model):
    """One rung of the ladder: an HLS fMP4 media playlist of H.264 video only."""

    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="video_renditions")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    frame_rate = models.FloatField()
    bitrate_kbps = models.PositiveIntegerField(help_text="target bitrate of the encoder")
    peak_bps = models.PositiveIntegerField(help_text="highest segment bitrate: BANDWIDTH")
    average_bps = models.PositiveIntegerField(help_text="AVERAGE-BANDWIDTH")
    codecs = models.CharField(max_length=40, help_text="RFC 6381, e.g. avc1.64001f")
    playlist_name = models.CharField(max_length=500)

    class Meta:
        ordering = ["height"]

    def __str__(self) -> str:
        return f"{self.width}x{self.height} {self.bitrate_kbps} kb/s"


class AudioRendition(models.Model):
    """One language of sound: AAC stereo in its own HLS media playlist."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", "Original"
        DUB = "dub", "Dub"
        VOICE_OVER = "voice-over", "Voice-over"

    title = models.ForeignKey("catalog.Title", on_delete=models.CASCADE, related_name="audio_renditions")
    asset = models.ForeignKey(MediaAsset, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="audio_renditions", help_text="set for tracks of the mezzanine")
    language = models.CharField(max_length=16, help_text="BCP 47, e.g. 'ru', 'zh-Hans'; 'und' if unknown")
    name = models.CharField(max_length=100, help_text="the language named in its own script")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ORIGINAL)
    is_machine_made = models.BooleanField(default=False)
    # {"engine": ..., "model": ..., "version": ..., "settings": {...}} for machine-made sound
    provenance = models.JSONField(default=dict, blank=True)
    is_default = models.BooleanField(default=False)
    channels = models.PositiveSmallIntegerField(default=2)
    # Measured on the encoded track: {"integrated_lufs", "true_peak_dbtp", "lra_lu",
    # "target_lufs", "max_true_peak_dbtp", "method"}; {} for tracks made before it was.
    loudness = models.JSONField(default=dict, blank=True)
    peak_bps = models.PositiveIntegerField(default=0)
    average_bps = models.PositiveIntegerField(default=0)
    codecs = models.CharField(max_length=40, default="mp4a.40.2")
    playlist_name = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.language} {self.kind}"


class SubtitleRendition(models.Model):
    """A WebVTT subtitle track with a one-segment HLS media playlist."""

    title = models.ForeignKey("catalog.Title", on_delete=models.CASCADE, related_name="subtitle_renditions")
    language = models.CharField(max_length=16)
    name = models.CharField(max_length=100)
    is_machine_made = models.BooleanField(default=False)
    label = models.CharField(max_length=200, blank=True, default="",
                             help_text="e.g. 'machine-translated, reviewed by A. Karimova'")
    playlist_name = models.CharField(max_length=500)
    # issue 16: the signed sidecar manifest of machine-made text, which the master names
    # (a WebVTT segment cannot carry a C2PA manifest); '' for people's subtitles.
    c2pa_manifest = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.language} subtitles"


class Version(models.Model):
    """A published, immutable set of renditions of a title with its master playlist."""

    title = models.ForeignKey("catalog.Title", on_delete=models.CASCADE, related_name="stream_versions")
    number = models.PositiveIntegerField()
    asset = models.ForeignKey(MediaAsset, on_delete=models.PROTECT, related_name="versions")
    master_name = models.CharField(max_length=500)
    video = models.ManyToManyField(VideoRendition, related_name="versions")
    audio = models.ManyToManyField(AudioRendition, related_name="versions")
    subtitles = models.ManyToManyField(SubtitleRendition, related_name="versions", blank=True)
    note = models.CharField(max_length=200, blank=True, default="", help_text="what changed")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "number"]
        constraints = [models.UniqueConstraint(fields=["title", "number"], name="one_version_number")]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class Stream(models.Model):
    """The pointer to a title's current version: one row per title, swapped atomically."""

    title = models.OneToOneField("catalog.Title", on_delete=models.CASCADE, related_name="stream")
    current = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.title} → v{self.current.number}"
