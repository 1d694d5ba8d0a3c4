"""The review desk: source and target side by side with the film at each cue, edits,
approvals and comments. Views read through selectors and call the domain functions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dastan.accounts.permissions import Action
from dastan.catalog.languages import BY_CODE, LANGUAGES
from dastan.catalog.texts import choose_text
from dastan.errors import InvalidInput, NotFound
from dastan.flash import act_and_return
from dastan.localization import assignments, dubbing, pipeline, pivots, review, selectors, tracks
from dastan.localization.access import access_cue, access_track
from dastan.localization.models import CueRevision, SubtitleTrack, VoiceTrack
from dastan.localization.notifications import notifications_for
from dastan.localization.publishing import has_stream
from dastan.localization.qc_messages import localized
from dastan.media.models import MediaAsset


def _context(**extra: object) -> dict[str, object]:
    return {"interface_languages": LANGUAGES, **extra}


@login_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    return render(request, "localization/desk.html", _context(
        awaiting=selectors.tracks_awaiting_review(user=request.user).select_related("title"),
        tasks=selectors.open_tasks(user=request.user)))


@login_required
@require_GET
def track_desk(request: HttpRequest, track_id: int) -> HttpResponse:
    track = access_track(user=request.user, track_id=track_id, action=Action.VIEW_DRAFTS)
    source = {c.index: c for c in track.source_track.cues.all()} if track.source_track else {}
    # Through a pivot: the original's line at the same time, beside the pivot's.
    original = pivots.original_track(track)
    original_cues = list(original.cues.all()) if original else []
    issues: dict[int, list[Any]] = {}
    for issue in selectors.qc_for_track(track=track):  # in the reader's language
        issues.setdefault(issue.cue_index, []).append(localized(issue))
    history: dict[int, list[CueRevision]] = {}
    for rev in CueRevision.objects.filter(cue__track=track).select_related("author", "cue").order_by("created_at"):
        history.setdefault(rev.cue.index, []).append(rev)
    voice = VoiceTrack.objects.filter(subtitle_track=track).first()
    name = choose_text(title=track.title, texts=track.title.texts.all(), language=get_language() or "en")
    rows = [{"cue": c, "source": source.get(c.index), "original": _at_time(original_cues, c.start_ms, c.end_ms),
             "issues": issues.get(c.index, []),
             "history": history.get(c.index, []), "comments": list(c.comments.select_related("author")),
             "cue_audio": bool(voice and str(c.index) in voice.cue_audio),
             "unknown_words": track.provenance.get("unknown_words", {}).get(str(c.index), [])}
            for c in track.cues.all()]
    return render(request, "localization/track.html", _context(
        track=track, name=name, rows=rows, voice=voice, original=original, route=pivots.route_of(track), approvals=review.current_approvals(track),
        reviews=track.reviews.select_related("reviewer"),
        qc_errors=any(i.severity == "error" for found in issues.values() for i in found),
        export_formats=[("srt", "SRT"), ("vtt", "WebVTT"), ("ttml", "TTML"), ("ass", "ASS")],
        line_profiles=[("", _("as approved")), ("house", _("the house profile")), ("bbc", _("BBC, 37 characters")),
                       ("ebu-stl", _("EBU STL, 37 characters")), ("one-line", _("one line"))]))


def _at_time(cues: list[Any], start_ms: int, end_ms: int) -> Any:
    """The cue that overlaps [start, end] most (a pivot's timing may differ from the original's)."""
    best, overlap = None, 0
    for cue in cues:
        shared = min(end_ms, cue.end_ms) - max(start_ms, cue.start_ms)
        if shared > overlap:
            best, overlap = cue, shared
    return best


def _act(request: HttpRequest, track_id: int, action: Any, done: str, anchor: str = "") -> HttpResponseRedirect:
    return act_and_return(request, action, done=done, to=reverse("localization:track", args=[track_id]) + anchor)


@login_required
@require_POST
def edit_cue(request: HttpRequest, track_id: int, cue_id: int) -> HttpResponse:
    cue = access_cue(user=request.user, cue_id=cue_id, action=Action.VIEW_DRAFTS)

    def change() -> None:
        tracks.edit_cue(cue=cue, author=request.user, text=request.POST.get("text", cue.text).replace("\r\n", "\n"),
                        start_ms=_ms(request.POST.get("start_ms"), cue.start_ms),
                        end_ms=_ms(request.POST.get("end_ms"), cue.end_ms))

    return _act(request, track_id, change, _("Cue %(n)s saved.") % {"n": cue.index}, f"#cue-{cue.index}")


def _ms(value: str | None, default: int) -> int:
    from dastan.errors import InvalidInput

    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(_("'%(value)s' is not a time in milliseconds.") % {"value": value},
                           _("Write a whole number, e.g. 12500.")) from None


@login_required
@require_POST
def decide(request: HttpRequest, track_id: int) -> HttpResponse:
    track = access_track(user=request.user, track_id=track_id, action=Action.VIEW_DRAFTS)
    comment = request.POST.get("comment", "")
    if request.POST.get("verdict") == "approve":
        def approve() -> None:
            approved = review.approve_track(track=track, reviewer=request.user, comment=comment,
                                            override_reason=request.POST.get("override_reason", ""))
            from dastan.localization.publishing import has_stream, publish_track

            if approved.state == SubtitleTrack.State.APPROVED and has_stream(approved.title):
                publish_track(track=approved, by=request.user)

        return _act(request, track_id, approve, _("Your approval is recorded."))
    return _act(request, track_id, lambda: review.request_changes(track=track, reviewer=request.user, comment=comment),
                _("The track was sent back with your comment."))


@login_required
@require_POST
def align_script(request: HttpRequest, track_id: int) -> HttpResponse:
    """The desk's way to time a script: the file goes to the same order as the API's (a job
    that makes the script's language a track, in review); a file that cannot be read is
    refused here, naming the problem, and nothing is queued."""
    track = access_track(user=request.user, track_id=track_id, action=Action.VIEW_DRAFTS)
    upload = request.FILES.get("script")

    def order() -> None:
        if upload is None:
            raise InvalidInput(_("Choose the script file to align."),
                               _("A plain-text file, one line per subtitle."), field="script")
        pipeline.order_script_alignment(title=track.title, data=upload.read(),
                                        language=request.POST.get("language") or track.language, by=request.user)

    return _act(request, track_id, order, _("The script is being timed; its track will come to the review desk."))


@login_required
@require_POST
def comment(request: HttpRequest, track_id: int, cue_id: int) -> HttpResponse:
    cue = access_cue(user=request.user, cue_id=cue_id, action=Action.VIEW_DRAFTS)
    return _act(request, track_id, lambda: review.comment_on_cue(cue=cue, author=request.user,
                                                                 text=request.POST.get("text", "")),
                _("Comment added."), f"#cue-{cue.index}")


def _voice(request: HttpRequest, track_id: int) -> VoiceTrack:
    """The track's voice, if the person sees the owner's drafts (NotFound otherwise)."""
    track = access_track(user=request.user, track_id=track_id, action=Action.VIEW_DRAFTS)
    voice = VoiceTrack.objects.select_related("subtitle_track__title").filter(subtitle_track=track).first()
    if voice is None:
        raise NotFound(_("This subtitle track has no voice track yet."),
                       _("Order a voice-over of the approved track first."))
    return voice


@login_required
@require_POST
def approve_voice(request: HttpRequest, track_id: int) -> HttpResponse:
    voice = _voice(request, track_id)
    return _act(request, track_id, lambda: dubbing.approve_voice_track(voice=voice, reviewer=request.user),
                _("The voice-over is approved."))


@login_required
@require_GET
def voice_audio(request: HttpRequest, track_id: int, part: str) -> FileResponse:
    """The whole voice mix ('mix') or one cue's speech ('3'), for listening before approval."""
    from django.core.files.storage import default_storage
    from django.http import Http404

    voice = _voice(request, track_id)
    name = voice.storage_name if part == "mix" else voice.cue_audio.get(part)
    if not name:
        raise Http404("No such cue in the voice track.")
    return FileResponse(default_storage.open(name, "rb"), content_type="audio/wav")


def editor_strings() -> dict[str, str]:
    """The editor script's words, in the person's interface language."""
    return {
        "start": _("Start"), "end": _("End"), "original": _("Original"), "translation": _("Translation"),
        "glossary": _("Glossary"), "memory": _("Memory"), "cpl": _("Characters per line"),
        "cps": _("Reading speed"), "duration": _("Duration"), "gap": _("Gap"),
        "qc": _("QC"),  # its messages come from the server, in this language (qc_messages.py)
        "unsaved": _("Not saved yet…"), "saving": _("Saving…"), "saved": _("Saved"),
        "conflict": _("Someone else changed this cue while you typed. Their text:"),
        "keep_mine": _("Keep mine"), "take_theirs": _("Take theirs"),
        "no_dictionary": _("No spelling dictionary for this language on this node."),
        "bad_timecode": _("Write times as HH:MM:SS.mmm, HH:MM:SS:FF or a number."),
        "playhead_outside": _("The playhead is outside this cue."),
        "split_done": _("Split."), "merge_done": _("Merged."), "submitted": _("Submitted for review."),
        "playing": _("Playing"), "paused": _("Paused"),
    }


def editor_shortcuts() -> list[tuple[str, str]]:
    return [("Alt+K · Ctrl+Space", _("Play or pause")), ("Alt+J", _("Back 1 second")),
            ("Alt+L", _("Forward 1 second")), ("Alt+I · Alt+[", _("Set the start at the playhead")),
            ("Alt+O · Alt+]", _("Set the end at the playhead")), ("Alt+S", _("Split the cue at the playhead")),
            ("Alt+M", _("Merge with the next cue")), ("Alt+↓", _("Next cue")), ("Alt+↑", _("Previous cue")),
            ("Ctrl+Enter", _("Approve the cue and go to the next")),
            ("Alt+1 · Alt+2 · Alt+3", _("Insert a memory match")),
            ("Alt+P", _("Correct the first spelling flag")), ("Alt+T", _("Timecodes or frames")),
            ("Alt+H", _("Show or hide this help")), ("Ctrl+Shift+Enter", _("Submit for review"))]


@login_required
@require_GET
def editor(request: HttpRequest, track_id: int) -> HttpResponse:
    track = access_track(user=request.user, track_id=track_id, action=Action.VIEW_DRAFTS)
    has_film = MediaAsset.objects.filter(title=track.title).exists()
    config = {"track_id": track.pk, "strings": editor_strings(), "csrf": get_token(request),
              "target_dir": "rtl" if (lang := BY_CODE.get(track.language)) and lang.rtl else "ltr", "has_film": has_film,
              "has_stream": has_stream(track.title)}
    return render(request, "localization/editor.html", _context(
        track=track, route=pivots.route_of(track), config=config, shortcuts=editor_shortcuts(),
        has_stream=config["has_stream"]))


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """A translator's queue across titles and organisations, a manager's late list, and
    the person's notifications."""
    return render(request, "localization/queue.html", _context(
        tasks=assignments.translator_queue(user=request.user), late=assignments.late_tasks(user=request.user),
        notifications=notifications_for(user=request.user)[:20]))
