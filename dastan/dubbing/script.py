"""The dubbing script: per character, every line with its timecodes, the original line,
the translated line and notes, as CSV (for the studio's tools) and PDF (for the booth).

Made only from an approved (or published) subtitle track: actors record approved text.
The original line is the source track's cue overlapping the most in time (a translation
may merge or split cues, so indices do not always match).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dastan.accounts.permissions import Action
from dastan.dubbing.casting import characters
from dastan.dubbing.models import CastRole
from dastan.i18n import gettext
from dastan.localization.access import check_track
from dastan.localization.models import Cue, SubtitleTrack
from dastan.localization.publishing import TrackNotApproved

APPROVED = (SubtitleTrack.State.APPROVED, SubtitleTrack.State.PUBLISHED)
COLUMNS = ("character", "cast", "cue", "start", "end", "original", "translation", "notes")


@dataclass(frozen=True, slots=True)
class ScriptLine:
    character: str
    cast: str  # "Dana Karimova (actor)", "espeak-ng:ru (synthetic)", "" when not cast
    index: int
    start: str  # HH:MM:SS:FF at the track's frame rate
    end: str
    original: str
    translation: str
    notes: str


def timecode(ms: int, fps: float) -> str:
    frames_per_s = max(1, round(fps))
    total_frames = round(ms * frames_per_s / 1000)
    s, f = divmod(total_frames, frames_per_s)
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}:{f:02d}"


def _original(cue: Cue, source: list[Cue]) -> str:
    best = max(source, key=lambda s: min(s.end_ms, cue.end_ms) - max(s.start_ms, cue.start_ms), default=None)
    if best is None or min(best.end_ms, cue.end_ms) <= max(best.start_ms, cue.start_ms):
        return ""
    return " ".join(best.text.split())


def cast_label(role: CastRole | None) -> str:
    if role is None:
        return ""
    if role.kind == CastRole.Kind.ACTOR and role.consent is not None:
        return f"{role.consent.person_name} (actor)"
    return f"{role.voice_id} (synthetic)"


def dubbing_script(*, user: Any, track: SubtitleTrack) -> list[ScriptLine]:
    """The script's lines, character by character in order of first line, then by time.
    Raises TrackNotApproved for a track not approved yet, NotFound/NotAllowed as the track."""
    check_track(user=user, track=track, action=Action.VIEW_DRAFTS)
    if track.state not in APPROVED:
        raise TrackNotApproved(
            gettext("The %(language)s subtitles are not approved, so there is no dubbing script yet.")
            % {"language": track.language},
            gettext("Approve the track in the review desk; actors record approved text only."))
    source = list(track.source_track.cues.all()) if track.source_track is not None else []
    roles = {r.speaker: r for r in CastRole.objects.filter(track=track).select_related("consent")}
    cues = [c for c in track.cues.prefetch_related("comments").order_by("start_ms", "index") if c.text.strip()]
    lines = []
    for speaker in characters(track):
        for cue in (c for c in cues if c.speaker == speaker):
            notes = [c.text for c in cue.comments.all() if not c.resolved]
            if cue.dub_overrun_ms:
                notes.append(f"{cue.dub_overrun_ms} ms longer than the cue allows")
            lines.append(ScriptLine(character=speaker or "(narrator)", cast=cast_label(roles.get(speaker)),
                                    index=cue.index, start=timecode(cue.start_ms, track.fps),
                                    end=timecode(cue.end_ms, track.fps), original=_original(cue, source),
                                    translation=" / ".join(x for x in cue.text.split("\n") if x.strip()),
                                    notes="; ".join(notes)))
    return lines


def script_csv(lines: list[ScriptLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for x in lines:
        writer.writerow([x.character, x.cast, x.index, x.start, x.end, x.original, x.translation, x.notes])
    return out.getvalue()


def script_pdf(lines: list[ScriptLine], *, heading: str) -> bytes:
    """A booth script: one section per character, a table of its lines. The font is
    DejaVu Sans (Cyrillic, Latin; Debian's fonts-dejavu) so Russian or Kazakh lines print."""
    font = _font()
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=11)
    head = ParagraphStyle("head", fontName=font, fontSize=14, leading=18, spaceAfter=6)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), title=heading, author="Dastan")
    story: list[Any] = [Paragraph(heading, head)]
    for character in dict.fromkeys(x.character for x in lines):
        mine = [x for x in lines if x.character == character]
        cast = mine[0].cast or "not cast yet"
        story.append(Paragraph(f"{character} — {cast}", head))
        rows = [[Paragraph(h, body) for h in ("#", "in", "out", "original", "translation", "notes")]]
        rows += [[Paragraph(str(x.index), body), Paragraph(x.start, body), Paragraph(x.end, body),
                  Paragraph(x.original, body), Paragraph(x.translation, body), Paragraph(x.notes, body)]
                 for x in mine]
        table = Table(rows, colWidths=[25, 70, 70, 220, 220, 160], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [table, Spacer(1, 12)]
    doc.build(story)
    return buf.getvalue()


def _font() -> str:
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                 "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"):
        if Path(path).exists():
            if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("DejaVu", path))
            return "DejaVu"
    return "Helvetica"  # Latin only: a node without fonts-dejavu prints Cyrillic as boxes
