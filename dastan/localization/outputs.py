"""A track as the API answers it (shared by the API modules)."""

from __future__ import annotations

from typing import Any

from dastan.localization.models import SubtitleTrack
from dastan.localization.review import current_approvals


def track_out(track: SubtitleTrack) -> dict[str, Any]:
    task = getattr(track, "task", None)
    return {
        "id": track.pk, "title": track.title.slug, "language": track.language, "is_source": track.is_source,
        "origin": track.origin, "state": track.state, "is_machine_made": track.is_machine_made,
        "provenance": track.provenance, "pivot_language": track.pivot_language,
        "approvals_required": track.approvals_required, "approvals": current_approvals(track),
        "cue_count": track.cues.count(), "task_reason": task.reason if task else None,
        "updated_at": track.updated_at,
    }
