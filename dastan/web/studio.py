"""The studio's desk: an organisation's titles with the state of their film, the upload
page (tus-js-client against the media app's tus endpoint) and each film's pipeline page
with live job progress. Views call the catalog, media and jobs functions and decide
nothing; the small presentation types below only put their answers into words.

Who may enter: signed-in members of an organisation with an editing role. A stranger is
sent to /studio/login/; a signed-in person without such a role gets a 403 page naming
the fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_POST

from dastan.accounts.permissions import Action, check, organisations_where
from dastan.catalog import services as catalog
from dastan.catalog.languages import LANGUAGES
from dastan.catalog.models import Organisation, Title
from dastan.catalog.texts import choose_text
from dastan.errors import DastanError, InvalidInput
from dastan.flash import act_and_return
from dastan.jobs import services as jobs
from dastan.jobs.models import Job, JobState
from dastan.jobs.selectors import JobView, list_jobs, list_jobs_by_target
from dastan.localization import assignments, dubbing, orders, pivots
from dastan.localization import publishing as localization_publishing
from dastan.localization.engines.registry import find_translation_route
from dastan.localization.models import SubtitleTrack
from dastan.localization.voice.loudness import LoudnessMeasurement
from dastan.media import publishing
from dastan.media import upload as uploads
from dastan.media.loudness import loudness_target
from dastan.media.models import MediaAsset, Version
from dastan.media.package import current_version
from dastan.media.split import AUDIO_KIND, CHUNK_KIND, JOIN_KIND, ChunkProgress, chunk_progress
from dastan.media.validate import shown_corrections

View = Callable[..., HttpResponse]
MEDIA_KINDS = ("media.ingest", "media.transcode", "media.package")


def _context(**extra: object) -> dict[str, object]:
    return {"interface_languages": LANGUAGES, **extra}


def _forbidden(request: HttpRequest, exc: DastanError) -> HttpResponse:
    """The studio's refusal page, with the error's own status: 404 for what the person may
    not know exists, 403 for what their role does not allow."""
    status = exc.status if exc.status in (403, 404) else 403
    return render(request, "web/studio/forbidden.html", _context(error=exc), status=status)


# The studio is the desk of the people who work on an organisation's titles (administrators,
# editors, translators of catalog texts); each action on its pages checks its own right.
STUDIO_ACTION = Action.TRANSLATE_CATALOG


def editable_organisations(user: Any) -> list[Organisation]:
    ids = organisations_where(user=user, action=STUDIO_ACTION)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def studio_member(view: View) -> View:
    """Strangers go to the sign-in page; people with no editing role anywhere get 403."""
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        if not editable_organisations(request.user):
            return _forbidden(request, DastanError(
                gettext("Your account is not an editor of any organisation, so the studio has nothing to show you."),
                gettext("Ask an administrator of your studio to add you as an editor or translator.")))
        return view(request, *args, **kwargs)
    return wrapped


def _title_for(request: HttpRequest, slug: str) -> Title:
    """The title, if the signed-in person may work on it (NotAllowed otherwise; NotFound
    for another organisation's unpublished title)."""
    title = get_object_or_404(Title.objects.select_related("owner"), slug=slug)
    if title.owner is None:
        raise DastanError(gettext("This title belongs to no organisation."),
                          gettext("Ask the node's operator to give it an owner."), status=403)
    check(user=request.user, action=STUDIO_ACTION, organisation=title.owner, hidden=not title.is_published)
    return title


def _name(title: Title) -> Any:
    return choose_text(title=title, texts=title.texts.all(), language=get_language() or "en")


# --- what the pages show -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class FilmState:
    """A title's film in one word and one sentence: none, processing, failed, published, withdrawn."""

    kind: str
    percent: int
    version: int | None
    sentence: str
    reason: str = ""
    hint: str = ""


def _latest_media_graph(views: list[JobView]) -> list[JobView]:
    """The newest ingest and the jobs submitted with it (views come newest first)."""
    ingest = next((v for v in views if v.kind == "media.ingest"), None)
    if ingest is None:
        return []
    return [v for v in views if v.kind in MEDIA_KINDS and v.id >= ingest.id][:3]


_LOOK_UP = object()


def film_state(title: Title, views: list[JobView], *, current: Any = _LOOK_UP,
               latest: Any = _LOOK_UP, transcode_percent: int | None = None) -> FilmState:
    """``current`` (the title's current version) and ``latest`` (its newest version) are
    passed when the caller already has them (a list page loads them all in one query each);
    otherwise they are looked up. ``transcode_percent``: a long film's transcode as a whole
    (its chunks), where its planning job alone is done at once."""
    graph = _latest_media_graph(views)
    if current is _LOOK_UP:
        current = current_version(title)
    number = current.number if current else None
    failed = next((v for v in graph if v.state == JobState.FAILED), None)
    if failed is not None:
        return FilmState("failed", 0, number, gettext("Failed: %(reason)s") % {"reason": failed.error_message},
                         failed.error_message, failed.error_hint)
    if graph and any(v.state not in (JobState.SUCCEEDED, JobState.CANCELLED) for v in graph):
        percent = sum(transcode_percent if v.kind == "media.transcode" and transcode_percent is not None
                      else v.progress if v.state != JobState.SUCCEEDED else 100 for v in graph) // 3
        return FilmState("processing", percent, number, gettext("Processing: %(percent)s%%") % {"percent": percent})
    if current is not None and title.is_published:
        return FilmState("published", 100, number, gettext("Published: version %(n)s") % {"n": number})
    if current is not None:
        return FilmState("ready", 100, number,
                         gettext("Version %(n)s is ready; viewers do not see it until you publish.") % {"n": number})
    kept = publishing.latest_version(title) if latest is _LOOK_UP else latest
    if kept is not None:
        return FilmState("withdrawn", 0, kept.number,
                         gettext("Unpublished: version %(n)s is kept, viewers cannot see it.") % {"n": kept.number})
    return FilmState("none", 0, None, gettext("No film yet"))


def upload_strings() -> dict[str, str]:
    """The upload page's words for its script; %(sent)s and the like are filled in there."""
    return {
        "progress": gettext("%(sent)s of %(total)s MB (%(percent)s %%)"),
        "uploading": gettext("Uploading…"),
        "paused": gettext("Paused. Press Resume to continue from where it stopped."),
        "retrying": gettext("The connection dropped; trying again in a moment…"),
        "offline": gettext("You are offline. The upload continues by itself when the connection is back."),
        "done": gettext("Uploaded. The film is being checked; opening its pipeline…"),
        "failed": gettext("The upload stopped."),
        "what_to_do": gettext("What to do:"),
        "generic_hint": gettext("Check your connection and press Resume; the bytes already sent are kept."),
    }


def job_label(kind: str) -> str:
    labels = {
        "media.ingest": gettext("Checking and storing the film"),
        "media.transcode": gettext("Encoding the picture sizes and sound"),
        "media.package": gettext("Packaging the stream"),
        "media.add_audio": gettext("Adding a sound track"),
        "media.add_subtitles": gettext("Adding subtitles"),
        CHUNK_KIND: gettext("Encoding a chunk"),
        AUDIO_KIND: gettext("Encoding the sound"),
        JOIN_KIND: gettext("Joining the chunks"),
        "localization.transcribe": gettext("Transcribing the speech"),
        "localization.translate": gettext("Translating the subtitles"),
        "localization.publish": gettext("Publishing the subtitles"),
        "localization.dub": gettext("Dubbing"),
        "dubbing.mix": gettext("Mixing the human dub"),  # issue 16
        "dubbing.publish": gettext("Publishing the human dub"),
    }
    return labels.get(kind, kind)


def state_label(state: str) -> str:
    labels: dict[str, str] = {
        JobState.WAITING: gettext("Waiting for earlier steps"), JobState.QUEUED: gettext("Queued"),
        JobState.RUNNING: gettext("Running"), JobState.SUCCEEDED: gettext("Done"),
        JobState.FAILED: gettext("Failed"), JobState.CANCELLED: gettext("Cancelled"),
    }
    return labels.get(state, state)


def job_row(view: JobView) -> dict[str, Any]:
    progress = 100 if view.state == JobState.SUCCEEDED else view.progress
    return {**asdict(view), "label": job_label(view.kind), "state_label": state_label(view.state),
            "progress": progress, "created_at": view.created_at.isoformat(),
            "started_at": view.started_at.isoformat() if view.started_at else None,
            "finished_at": view.finished_at.isoformat() if view.finished_at else None,
            # The job's own words, unless they only repeat its state ("done", "failed").
            "message": "" if view.message in (view.state, "done", "started") else view.message,
            # A step cancelled because an earlier one failed comes back with that one's retry.
            "can_retry": view.state == JobState.FAILED or (
                view.state == JobState.CANCELLED and view.error_code != "parent_failed"),
            "can_cancel": view.state in (JobState.WAITING, JobState.QUEUED, JobState.RUNNING)}


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}" if whole >= 3600 else f"{whole // 60}:{whole % 60:02d}"


def verification_label(state: str) -> str:
    labels = {
        "accepted": gettext("Checksums matched"), "pending": gettext("Being verified"),
        "passed": gettext("Verified"), "failed": gettext("Failed verification; done again"),
        "voided": gettext("Voided; done again"),
    }
    return labels.get(state, "—" if not state else state)


def chunk_row(chunk: ChunkProgress) -> dict[str, Any]:
    """One chunk of a long film, and who runs or ran it: this node, or a partner's machine."""
    if chunk.organisation:
        where = gettext("A partner's machine: %(org)s") % {"org": chunk.organisation}
    else:
        where = gettext("A remote machine of this node") if chunk.remote else gettext("This node")
    return {"job_id": chunk.job_id, "number": chunk.index + 1,
            "span": f"{_clock(chunk.start_s)}–{_clock(chunk.end_s)}", "state": chunk.state,
            "state_label": state_label(chunk.state), "percent": chunk.percent, "worker": chunk.worker,
            "where": where, "remote": chunk.remote, "verification": chunk.verification,
            "verification_label": verification_label(chunk.verification), "attempts": chunk.attempts,
            "can_retry": chunk.state in (JobState.FAILED, JobState.CANCELLED)}


def chunks_view(title: Title, user: Any) -> dict[str, Any] | None:
    """The chunks of a long film's transcode, for the pipeline page; None for a film
    transcoded in one job."""
    progress = chunk_progress(title=title, user=user)
    if progress is None:
        return None
    rows = [chunk_row(c) for c in progress.chunks]
    summary = gettext("%(done)s of %(total)s chunks done, %(running)s running; %(percent)s%% of the encoding") % {
        "done": sum(1 for r in rows if r["state"] == JobState.SUCCEEDED), "total": len(rows),
        "running": sum(1 for r in rows if r["state"] == JobState.RUNNING), "percent": progress.percent}
    return {"percent": progress.percent, "summary": summary, "rows": rows}


def pipeline(title: Title, user: Any) -> dict[str, Any]:
    views = list_jobs(target=title, limit=100)
    chunks = chunks_view(title, user)
    state = film_state(title, views, transcode_percent=chunks["percent"] if chunks else None)
    # A long film's chunks are listed as chunks, with who runs each, not one job each.
    jobs = [job_row(v) for v in reversed(views) if not (chunks and v.kind == CHUNK_KIND)]
    return {"state": asdict(state), "jobs": jobs, "chunks": chunks,
            "can_publish": state.version is not None and state.kind != "published",
            "can_unpublish": state.kind in ("published", "ready") or title.is_published}


def _stream_version(title: Title) -> Any:
    """The current version from a title loaded with ``stream__current`` (None without a stream)."""
    try:
        return title.stream.current  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        return None


# --- pages ----------------------------------------------------------------------------------------

@studio_member
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    organisations = editable_organisations(request.user)
    titles = list(Title.objects.filter(owner__in=organisations)
                  .select_related("owner", "stream__current").prefetch_related("texts"))
    jobs_of = list_jobs_by_target(targets=titles, kinds=MEDIA_KINDS, limit_each=20)
    latest: dict[int, Version] = {}
    for version in Version.objects.filter(title__in=titles).only("id", "title_id", "number").order_by("-number"):
        latest.setdefault(version.title_id, version)
    rows = [{"title": t, "name": _name(t),
             "film": film_state(t, jobs_of[t.pk], current=_stream_version(t), latest=latest.get(t.pk))}
            for t in titles]
    return render(request, "web/studio/home.html", _context(
        rows=rows, organisations=organisations, form=request.session.pop("studio_form", {})))


@studio_member
@require_POST
def create_title(request: HttpRequest) -> HttpResponse:
    data = request.POST
    try:
        owner = catalog.find_organisation(data.get("owner", ""))
        title = catalog.create_title(
            by=request.user, owner=owner, slug=data.get("slug", "").strip(), kind="film",
            original_language=data.get("original_language", ""), country_of_origin=data.get("country", ""),
            name=data.get("name", ""))
        for lang in LANGUAGES:
            other = data.get(f"name_{lang.code}", "").strip()
            if other and lang.code != title.original_language:
                catalog.set_title_text(by=request.user, title=title, language=lang.code, name=other)
    except DastanError as exc:
        messages.error(request, f"{exc.message} {exc.hint}".strip())
        request.session["studio_form"] = {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}
        return HttpResponseRedirect(reverse("web:studio:home") + "#new-title")
    messages.success(request, gettext("The title is created. Upload its film now."))
    return HttpResponseRedirect(reverse("web:studio:upload", args=[title.slug]))


def _on_title(view: Callable[..., HttpResponse]) -> View:
    """Resolve the slug to a title the person may work on; refuse with the 403 page."""
    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        try:
            title = _title_for(request, slug)
        except DastanError as exc:
            return _forbidden(request, exc)
        return view(request, title, **kwargs)
    return studio_member(wrapped)


@_on_title
@require_GET
def upload(request: HttpRequest, title: Title) -> HttpResponse:
    return render(request, "web/studio/upload.html", _context(
        title=title, name=_name(title),
        tus_endpoint=reverse("media:tus"), pipeline_url=reverse("web:studio:title", args=[title.slug]),
        chunk_bytes=int(getattr(settings, "DASTAN_STUDIO_CHUNK_BYTES", 8 * 1024 * 1024)),
        checksum="sha256" if "sha256" in uploads.CHECKSUM_ALGORITHMS else "", strings=upload_strings()))


def language_state_label(state: str) -> str:
    labels = {
        "awaiting_translator": gettext("Waiting for a translator"), "draft": gettext("Drafting"),
        "in_review": gettext("In review"), "changes_requested": gettext("Sent back"),
        "approved": gettext("Approved"), "published": gettext("Published"),
    }
    return labels.get(state, state)


def voice_state_label(state: str) -> str:
    labels = {
        "ordered": gettext("Ordered: made once the subtitles are approved"),
        "unavailable": gettext("Subtitles only: no voice for this language"),
        "in_review": gettext("Waiting for a listener's approval"),
        "approved": gettext("Approved"), "published": gettext("Published"),
    }
    return labels.get(state, state)


def _languages(request: HttpRequest, title: Title) -> dict[str, Any]:
    """The title's languages at a glance, what each row's buttons may do, and what the
    start form offers."""
    source = SubtitleTrack.objects.filter(title=title, is_source=True).first()
    states = [{**asdict(s), "state_label": language_state_label(s.state), "voice_label": voice_state_label(
        s.voice_state), "pair": " → ".join(s.route[-2:])} for s in orders.language_states(title=title, by=request.user)]
    have = {s["language"] for s in states} | ({source.language} if source else set())
    targets = [{"code": lang.code.lower(), "engine": bool(source and find_translation_route(
        source.language, lang.code.lower()))} for lang in LANGUAGES if lang.code.lower() not in have]
    # A pivot may be a language the title has, or one its first leg makes (hi → en, then en → ky).
    return {"languages": states, "targets": targets, "vias": [lang.code.lower() for lang in LANGUAGES],
            "translators": [u.get_username() for u in pivots.available_translators(title=title)]}


@_on_title
@require_GET
def title_pipeline(request: HttpRequest, title: Title) -> HttpResponse:
    return render(request, "web/studio/pipeline.html", _context(
        title=title, name=_name(title), pipeline=pipeline(title, request.user), sound=sound_levels(title),
        loudness_target=loudness_target(), corrections=corrections(title),
        poll_ms=int(getattr(settings, "DASTAN_STUDIO_POLL_MS", 1000)), **_languages(request, title)))


def corrections(title: Title) -> list[str]:
    """What the transcode of the newest film changes (rotation, interlacing, odd sizes...),
    in the viewer's language: why the stream differs from the file."""
    asset = MediaAsset.objects.filter(title=title).order_by("-created_at", "-pk").first()
    return shown_corrections(asset.probe) if asset is not None else []


def sound_levels(title: Title) -> list[dict[str, Any]]:
    """Each audio rendition's measured loudness against the node's target, for the
    pipeline page: what a post house checks before delivery (EBU R128)."""
    target = loudness_target()
    rows = []
    for rendition in title.audio_renditions.order_by("kind", "language"):
        measured = rendition.loudness or {}
        lufs, peak = measured.get("integrated_lufs"), measured.get("true_peak_dbtp")
        # Silence's true peak is stored as null (-inf dBTP): under any ceiling.
        within = lufs is not None and LoudnessMeasurement(
            integrated_lufs=lufs, true_peak_dbtp=float("-inf") if peak is None else peak,
            lra_lu=measured.get("lra_lu") or 0.0, target_lufs=target.integrated_lufs,
            max_true_peak_dbtp=target.max_true_peak_dbtp).within_target(tolerance_lu=0.5)  # EBU R128: ±0.5 LU
        rows.append({"language": rendition.language, "kind": rendition.get_kind_display(), "lufs": lufs,
                     "peak": peak, "measured": lufs is not None, "within": within})
    return rows


@_on_title
@require_POST
def localize(request: HttpRequest, title: Title) -> HttpResponse:
    data = request.POST
    plans = [orders.LanguagePlan(code, data.get(f"route_{code}", "person"), data.get(f"assignee_{code}", ""),
                                 data.get(f"via_{code}", "")) for code in data.getlist("language")]
    return _act(request, title, lambda: orders.start_localization(
        title=title, plans=plans, voice_over=data.get("voice_over") == "1", by=request.user),
        gettext("Localization started."))


# --- acting on one language from the title page (issue 19): each button calls one domain
# function, which checks who asks; a refusal comes back as the page's message.

def _language_track(title: Title, language: str) -> SubtitleTrack:
    track = SubtitleTrack.objects.select_related("title", "title__owner", "source_track").filter(
        title=title, language=language, is_source=False).first()
    if track is None:
        raise DastanError(gettext("This title has no such language."),
                          gettext("Reload the page and use the buttons next to the language."), status=404)
    return track


def _due(value: str) -> datetime | None:
    """A day from the form's date field, as the end of that day (UTC)."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(gettext("'%(value)s' is not a date.") % {"value": value},
                           gettext("Pick a day in the date field."), field="due") from None
    return datetime.combine(day, time(23, 59), tzinfo=UTC)


@_on_title
@require_POST
def assign_language(request: HttpRequest, title: Title, language: str) -> HttpResponse:
    role, _, username = request.POST.get("person", "").partition(":")
    return _act(request, title, lambda: assignments.assign_on_track(
        track=_language_track(title, language), assignee=assignments.person(username), role=role,
        due_at=_due(request.POST.get("due", "")), by=request.user), gettext("Assigned; they are told."))


@_on_title
@require_POST
def remind_language(request: HttpRequest, title: Title, language: str) -> HttpResponse:
    return _act(request, title, lambda: assignments.remind_on_track(track=_language_track(title, language),
                                                                    by=request.user), gettext("Reminder sent."))


@_on_title
@require_POST
def rerun_language(request: HttpRequest, title: Title, language: str) -> HttpResponse:
    return _act(request, title, lambda: orders.rerun_draft(track=_language_track(title, language), by=request.user),
                gettext("The engine drafts this language again."))


@_on_title
@require_POST
def voice_language(request: HttpRequest, title: Title, language: str) -> HttpResponse:
    return _act(request, title, lambda: dubbing.order_voice(track=_language_track(title, language),
                                                            by=request.user),
                gettext("Voice-over ordered: it is made from the approved subtitles."))


@_on_title
@require_POST
def withdraw_language(request: HttpRequest, title: Title, language: str) -> HttpResponse:
    return _act(request, title, lambda: localization_publishing.withdraw_track(
        track=_language_track(title, language), by=request.user, reason=request.POST.get("reason", "")),
        gettext("Withdrawn: viewers no longer see these subtitles; the translator is told why."))


@_on_title
@require_GET
def pipeline_json(request: HttpRequest, title: Title) -> JsonResponse:
    response = JsonResponse(pipeline(title, request.user))
    response["Cache-Control"] = "no-store"
    return response


def _act(request: HttpRequest, title: Title, action: Callable[[], Any], done: str) -> HttpResponse:
    return act_and_return(request, action, done=done, to=reverse("web:studio:title", args=[title.slug]))


def _job_of(title: Title, job_id: int) -> Job:
    views = {v.id for v in list_jobs(target=title, limit=500)}
    if job_id not in views:
        raise DastanError(gettext("That job is not part of this film's pipeline."),
                          gettext("Reload the page and use the buttons next to the job."), status=404)
    return Job.objects.get(pk=job_id)


@_on_title
@require_POST
def retry(request: HttpRequest, title: Title, job_id: int) -> HttpResponse:
    return _act(request, title, lambda: jobs.retry_job(job_id=_job_of(title, job_id).pk),
                gettext("The job is queued again."))


@_on_title
@require_POST
def cancel(request: HttpRequest, title: Title, job_id: int) -> HttpResponse:
    return _act(request, title, lambda: jobs.cancel_job(job_id=_job_of(title, job_id).pk),
                gettext("The job is cancelled, with the steps that waited for it."))


@_on_title
@require_POST
def publish(request: HttpRequest, title: Title) -> HttpResponse:
    return _act(request, title, lambda: publishing.publish_title(title=title, by=request.user),
                gettext("Published: viewers can find and watch the film."))


@_on_title
@require_POST
def unpublish(request: HttpRequest, title: Title) -> HttpResponse:
    return _act(request, title, lambda: publishing.unpublish_title(title=title, by=request.user),
                gettext("Unpublished: viewers cannot find or watch the film; nothing was deleted."))


# Included by dastan/web/urls.py under the namespace "web:studio".
urlpatterns = [
    path("studio/", home, name="home"),
    path("studio/titles/new", create_title, name="create"),
    path("studio/titles/<slug:slug>/", title_pipeline, name="title"),
    path("studio/titles/<slug:slug>/upload/", upload, name="upload"),
    path("studio/titles/<slug:slug>/pipeline.json", pipeline_json, name="pipeline"),
    path("studio/titles/<slug:slug>/publish", publish, name="publish"),
    path("studio/titles/<slug:slug>/localize", localize, name="localize"),
    path("studio/titles/<slug:slug>/unpublish", unpublish, name="unpublish"),
    path("studio/titles/<slug:slug>/jobs/<int:job_id>/retry", retry, name="retry"),
    path("studio/titles/<slug:slug>/jobs/<int:job_id>/cancel", cancel, name="cancel"),
    path("studio/titles/<slug:slug>/languages/<str:language>/assign", assign_language, name="assign_language"),
    path("studio/titles/<slug:slug>/languages/<str:language>/remind", remind_language, name="remind_language"),
    path("studio/titles/<slug:slug>/languages/<str:language>/rerun", rerun_language, name="rerun_language"),
    path("studio/titles/<slug:slug>/languages/<str:language>/voice", voice_language, name="voice_language"),
    path("studio/titles/<slug:slug>/languages/<str:language>/withdraw", withdraw_language,
         name="withdraw_language"),
]
