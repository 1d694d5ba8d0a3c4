"""The hosts' pages under /labs/host/: create a programme, its texts and editions; open an
edition's call (form, rubric, eligibility, deadline in the hosts' zone, file cap), seat
its committee and chair, add sessions, name and assign mentors, issue certificates.

Each view finds what it names for the hosts (``hosting.access_*_for_host``, which checks
who asks: a refusal is an error page), then calls one domain verb. A verb's refusal of
the input (a past deadline, no questions, an unknown zone, a second seat) re-renders the
page with the message and the fix beside the form, the person's input kept; nothing was
stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dastan.catalog.languages import CODES
from dastan.errors import DastanError, InvalidInput, NotFound, PermissionDenied
from dastan.labs import calls, hosting, mentoring, programmes
from dastan.labs.calls import FieldSpec, deadline_in
from dastan.labs.models import FormField, Mentor, Programme
from dastan.labs.programmes import check_time_zone, programme_text
from dastan.labs.views import _page

QUESTION_ROWS = 6
DEFAULT_RUBRIC = "Story | 10\nVoice | 10"
Action = Callable[[], HttpResponse]


def _tried(
    request: HttpRequest, act: Action, again: Callable[[dict[str, Any]], HttpResponse], form: str
) -> HttpResponse:
    """``act``; when the domain refuses the input (not the person: that is an error page),
    the page again with the error beside ``form`` and what was typed."""
    try:
        return act()
    except (PermissionDenied, NotFound):
        raise
    except DastanError as exc:
        response = again({"error": exc, "error_form": form, "posted": request.POST})
        response.status_code = exc.status if 400 <= exc.status < 500 else 422
        return response


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def _local(text: str, *, field: str, required: bool = True) -> datetime | None:
    """A ``datetime-local`` input ('2027-03-01T18:00') as a naive wall-clock time."""
    text = text.strip()
    if not text and not required:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(
            _("'%(value)s' is not a date and time.") % {"value": text[:40]},
            _("Write it as YYYY-MM-DD HH:MM, e.g. 2027-03-01 18:00."),
            field=field,
        ) from exc
    if value.tzinfo is not None:
        raise InvalidInput(
            _("Give the time without a zone: the zone named beside it is applied."), "", field=field
        )
    return value


def _day(text: str, *, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInput(
            _("'%(value)s' is not a date.") % {"value": text[:40]},
            _("Write it as YYYY-MM-DD, e.g. 2027-04-01."),
            field=field,
        ) from exc


def _number(text: str, *, field: str, default: int) -> int:
    text = text.strip()
    if not text:
        return default
    if not text.isdigit():
        raise InvalidInput(
            _("'%(value)s' is not a whole number.") % {"value": text[:20]}, "", field=field
        )
    return int(text)


def _rubric(text: str) -> list[dict[str, Any]]:
    """'Story | 10' lines as rubric criteria."""
    criteria = []
    for line in text.splitlines():
        if not line.strip():
            continue
        label, _bar, most = line.rpartition("|")
        if not label.strip() or not most.strip().isdigit():
            raise InvalidInput(
                _("'%(line)s' is not a criterion.") % {"line": line.strip()[:80]},
                _("Write one per line as a label and the most points, e.g. 'Story | 10'."),
                field="rubric",
            )
        criteria.append({"label": label.strip(), "max": int(most)})
    return criteria


def _questions(post: Any) -> list[FieldSpec]:
    specs = []
    for i in range(1, QUESTION_ROWS + 1):
        label = post.get(f"q{i}-label", "").strip()
        if label:
            specs.append(
                FieldSpec(
                    "",
                    post.get(f"q{i}-kind", "text"),
                    label,
                    post.get(f"q{i}-required") == "on",
                    tuple(_list(post.get(f"q{i}-choices", ""))),
                )
            )
    return specs


def _question_rows(posted: Any) -> list[dict[str, Any]]:
    """The call form's question rows, with what was typed when the page comes back."""
    posted = posted or {}
    return [
        {
            "i": i,
            "label": posted.get(f"q{i}-label", ""),
            "kind": posted.get(f"q{i}-kind", "text"),
            "required": posted.get(f"q{i}-required") == "on",
            "choices": posted.get(f"q{i}-choices", ""),
        }
        for i in range(1, QUESTION_ROWS + 1)
    ]


# --- the hosts' home: the programmes they run, a new programme ----------------------------------


def _home(request: HttpRequest, extra: dict[str, Any] | None = None) -> HttpResponse:
    language = get_language() or "en"
    rows = [
        (p, programme_text(programme=p, language=language))
        for p in hosting.programmes_run_by(user=request.user)
    ]
    return _page(
        request,
        "labs/host.html",
        {
            "programmes": rows,
            "organisations": hosting.host_organisations(user=request.user),
            "cohosted": [
                (e, programme_text(programme=e.programme, language=language))
                for e in hosting.editions_cohosted_by(user=request.user)
            ],
            "kinds": Programme.Kind.choices,
            "languages": CODES,
            **(extra or {}),
        },
    )


@require_GET
@login_required
def host_home(request: HttpRequest) -> HttpResponse:
    return _home(request)


@require_POST
@login_required
def host_create_programme(request: HttpRequest) -> HttpResponse:
    def act() -> HttpResponse:
        post = request.POST
        hosts = hosting.find_organisations(
            slugs=post.getlist("hosts") + _list(post.get("cohosts", ""))
        )
        language = post.get("original_language", "en")
        p = programmes.create_programme(
            by=request.user,
            slug=post.get("slug", "").strip(),
            kind=post.get("kind", ""),
            hosts=hosts,
            original_language=language,
            texts={language: (post.get("name", ""), post.get("description", ""))},
        )
        return HttpResponseRedirect(reverse("labs:host-programme", kwargs={"slug": p.slug}))

    return _tried(request, act, lambda extra: _home(request, extra), "programme")


# --- a programme: its texts and editions ---------------------------------------------------------


def _programme_desk(
    request: HttpRequest, slug: str, extra: dict[str, Any] | None = None
) -> HttpResponse:
    p = hosting.access_programme_for_host(user=request.user, slug=slug)
    return _page(
        request,
        "labs/host_programme.html",
        {
            "programme": p,
            "text": programme_text(programme=p, language=get_language() or "en"),
            "texts": p.texts.order_by("language"),
            "editions": p.editions.prefetch_related("hosts"),
            "hosts": p.hosts.order_by("name"),
            "languages": CODES,
            **(extra or {}),
        },
    )


@require_GET
@login_required
def host_programme(request: HttpRequest, slug: str) -> HttpResponse:
    return _programme_desk(request, slug)


@require_POST
@login_required
def host_programme_text(request: HttpRequest, slug: str) -> HttpResponse:
    p = hosting.access_programme_for_host(user=request.user, slug=slug)

    def act() -> HttpResponse:
        programmes.set_programme_text(
            by=request.user,
            programme=p,
            language=request.POST.get("language", ""),
            name=request.POST.get("name", ""),
            description=request.POST.get("description", ""),
            machine=request.POST.get("machine") == "on",
        )
        return HttpResponseRedirect(reverse("labs:host-programme", kwargs={"slug": p.slug}))

    return _tried(request, act, lambda extra: _programme_desk(request, slug, extra), "text")


@require_POST
@login_required
def host_create_edition(request: HttpRequest, slug: str) -> HttpResponse:
    p = hosting.access_programme_for_host(user=request.user, slug=slug)

    def act() -> HttpResponse:
        post = request.POST
        cohosts = _list(post.get("cohosts", ""))
        hosts = list(p.hosts.all()) + hosting.find_organisations(slugs=cohosts)
        edition = programmes.create_edition(
            by=request.user,
            programme=p,
            name=post.get("name", ""),
            starts_on=_day(post.get("starts_on", ""), field="starts_on"),
            ends_on=_day(post.get("ends_on", ""), field="ends_on"),
            hosts=list(dict.fromkeys(hosts)),
            time_zone=post.get("time_zone", "").strip(),
            languages=post.getlist("languages"),
            place=post.get("place", ""),
            online=post.get("online") == "on",
            compute_hours_per_participant=_number(
                post.get("compute_hours", ""), field="compute_hours", default=0
            ),
        )
        return HttpResponseRedirect(reverse("labs:host-edition", kwargs={"edition_id": edition.pk}))

    return _tried(request, act, lambda extra: _programme_desk(request, slug, extra), "edition")


# --- an edition: call, committee, sessions, mentors, participants -------------------------------


def _edition_desk(
    request: HttpRequest, edition_id: int, extra: dict[str, Any] | None = None
) -> HttpResponse:
    desk = hosting.edition_desk(user=request.user, edition_id=edition_id)
    edition = desk.edition
    return _page(
        request,
        "labs/host_edition.html",
        {
            "desk": desk,
            "edition": edition,
            "call": desk.call,
            "text": programme_text(programme=edition.programme, language=get_language() or "en"),
            "deadline": deadline_in(call=desk.call, zone=edition.time_zone) if desk.call else None,
            # The hosts' wall clock, as a datetime-local input takes it (the template's date
            # filter would show the server's zone).
            "deadline_input": (
                desk.call.deadline.astimezone(check_time_zone(edition.time_zone)).strftime(
                    "%Y-%m-%dT%H:%M"
                )
                if desk.call
                else ""
            ),
            "call_open": calls.is_open(call=desk.call) if desk.call else False,
            "questions": _question_rows((extra or {}).get("posted")),
            "kinds": FormField.Kind.choices,
            "default_rubric": DEFAULT_RUBRIC,
            "now_local": timezone.now().astimezone(check_time_zone(edition.time_zone)),
            **(extra or {}),
        },
    )


def _back_to(edition_id: int, anchor: str) -> HttpResponse:
    return HttpResponseRedirect(
        reverse("labs:host-edition", kwargs={"edition_id": edition_id}) + f"#{anchor}"
    )


@require_GET
@login_required
def host_edition(request: HttpRequest, edition_id: int) -> HttpResponse:
    return _edition_desk(request, edition_id)


@require_POST
@login_required
def host_open_call(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = hosting.access_edition_for_host(user=request.user, edition_id=edition_id)

    def act() -> HttpResponse:
        post = request.POST
        zone = check_time_zone(edition.time_zone)
        opens = _local(post.get("opens_at", ""), field="opens_at", required=False)
        deadline = _local(post.get("deadline", ""), field="deadline")
        assert deadline is not None
        calls.open_call(
            by=request.user,
            edition=edition,
            opens_at=opens.replace(tzinfo=zone) if opens else timezone.now(),
            deadline_local=deadline,
            fields=_questions(post),
            rubric=_rubric(post.get("rubric", "")),
            countries=_list(post.get("countries", "")),
            career_stages=_list(post.get("career_stages", "")),
            project_stages=_list(post.get("project_stages", "")),
            max_files=_number(post.get("max_files", ""), field="max_files", default=3),
            max_file_bytes=_number(post.get("max_file_mb", ""), field="max_file_mb", default=200)
            * 1024
            * 1024,
        )
        return _back_to(edition.pk, "call")

    return _tried(request, act, lambda extra: _edition_desk(request, edition_id, extra), "call")


@require_POST
@login_required
def host_change_deadline(request: HttpRequest, call_id: int) -> HttpResponse:
    call = hosting.access_call_for_host(user=request.user, call_id=call_id)

    def act() -> HttpResponse:
        deadline = _local(request.POST.get("deadline", ""), field="deadline")
        assert deadline is not None
        calls.change_deadline(by=request.user, call=call, deadline_local=deadline)
        return _back_to(call.edition_id, "call")

    return _tried(
        request, act, lambda extra: _edition_desk(request, call.edition_id, extra), "deadline"
    )


@require_POST
@login_required
def host_committee(request: HttpRequest, call_id: int) -> HttpResponse:
    """action=seat (person, chair), chair (person) or remove (person)."""
    call = hosting.access_call_for_host(user=request.user, call_id=call_id)

    def act() -> HttpResponse:
        action = request.POST.get("action", "seat")
        person = hosting.find_person(
            by=request.user, edition=call.edition, identifier=request.POST.get("person", "")
        )
        if action == "chair":
            calls.make_chair(by=request.user, call=call, user=person)
        elif action == "remove":
            calls.unseat_committee(by=request.user, call=call, user=person)
        else:
            calls.seat_committee(
                by=request.user, call=call, user=person, chair=request.POST.get("chair") == "on"
            )
        return _back_to(call.edition_id, "committee")

    return _tried(
        request, act, lambda extra: _edition_desk(request, call.edition_id, extra), "committee"
    )


@require_POST
@login_required
def host_sessions(request: HttpRequest, edition_id: int) -> HttpResponse:
    """action=add (name, starts_at, ends_at, time_zone, place) or remove (session)."""
    edition = hosting.access_edition_for_host(user=request.user, edition_id=edition_id)

    def act() -> HttpResponse:
        post = request.POST
        if post.get("action") == "remove":
            session_id = _number(post.get("session", ""), field="session", default=0)
            session = hosting.access_session_for_host(user=request.user, session_id=session_id)
            if session.edition_id != edition.pk:
                raise NotFound(_("There is no such session."), "")
            mentoring.remove_session(by=request.user, session=session)
        else:
            starts, ends = (_local(post.get(f, ""), field=f) for f in ("starts_at", "ends_at"))
            assert starts is not None and ends is not None
            mentoring.add_session(
                by=request.user,
                edition=edition,
                name=post.get("name", ""),
                starts_local=starts,
                ends_local=ends,
                time_zone=post.get("time_zone", "").strip() or edition.time_zone,
                place=post.get("place", ""),
            )
        return _back_to(edition.pk, "sessions")

    return _tried(request, act, lambda extra: _edition_desk(request, edition_id, extra), "sessions")


@require_POST
@login_required
def host_mentors(request: HttpRequest, edition_id: int) -> HttpResponse:
    """action=add (person, expertise), remove (mentor) or assign (mentor, room)."""
    edition = hosting.access_edition_for_host(user=request.user, edition_id=edition_id)

    def act() -> HttpResponse:
        post = request.POST
        action = post.get("action", "add")
        if action == "add":
            person = hosting.find_person(
                by=request.user, edition=edition, identifier=post.get("person", "")
            )
            mentoring.name_mentor(
                by=request.user, edition=edition, user=person, expertise=post.get("expertise", "")
            )
            return _back_to(edition.pk, "mentors")
        mentor = Mentor.objects.filter(
            edition=edition, pk=_number(post.get("mentor", ""), field="mentor", default=0)
        ).first()
        if mentor is None:
            raise InvalidInput(
                _("Choose one of this edition's mentors."),
                _("Name the person a mentor first."),
                field="mentor",
            )
        if action == "remove":
            mentoring.remove_mentor(by=request.user, mentor=mentor)
            return _back_to(edition.pk, "mentors")
        room = hosting.access_room_for_host(
            user=request.user, room_id=_number(post.get("room", ""), field="room", default=0)
        )
        if room.application.call.edition_id != edition.pk:
            raise NotFound(_("There is no such participant."), "")
        mentoring.assign_mentor(by=request.user, room=room, mentor=mentor)
        return _back_to(edition.pk, "participants")

    return _tried(request, act, lambda extra: _edition_desk(request, edition_id, extra), "mentors")


@require_POST
@login_required
def host_certificate(request: HttpRequest, room_id: int) -> HttpResponse:
    room = hosting.access_room_for_host(user=request.user, room_id=room_id)
    mentoring.issue_certificate(by=request.user, room=room)
    return _back_to(room.application.call.edition_id, "participants")
