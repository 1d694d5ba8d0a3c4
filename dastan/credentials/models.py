"""Content credentials the node signed: one row per machine-made or machine-assisted
artefact that reaches viewers (an AI voice track, machine-translated subtitles)."""

from __future__ import annotations

from django.db import models


class ContentCredential(models.Model):
    """A C2PA manifest signed with the node's key over one artefact.

    ``manifest_name`` is the sidecar manifest (``.c2pa``), kept for every artefact: an HLS
    segment cannot carry one, so the playlist points at it. ``asset_name`` is the signed
    master file with the manifest embedded (WAV for sound; a ZIP holding the WebVTT for
    subtitles, C2PA having no text format)."""

    title = models.ForeignKey("catalog.Title", on_delete=models.CASCADE, related_name="content_credentials")
    language = models.CharField(max_length=16)
    kind = models.CharField(max_length=20, help_text="'voice', 'subtitles', 'human_dub'")
    subject = models.CharField(max_length=60, help_text="what it belongs to, e.g. 'voice:12'")
    asset_sha256 = models.CharField(max_length=64, db_index=True, help_text="of the artefact as made")
    asset_name = models.CharField(max_length=500)
    manifest_name = models.CharField(max_length=500)
    # what made it (engine, model, version), from what, approved by whom: as signed
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} {self.asset_sha256[:12]}"
