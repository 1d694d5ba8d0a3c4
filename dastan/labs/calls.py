"""Calls and applications: opening a call with its form, eligibility and deadline; an
applicant's draft, answers and files, submitting once, withdrawing.

The deadline is one instant, stored in UTC and entered in the hosts' time zone; it is
shown in the hosts' zone and in the applicant's (:func:`deadline_in`). A submission at
or before the deadline's instant is on time; one after it is refused with the deadline
in both zones (:class:`~dastan.labs.errors.CallClosed`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from dastan.errors import InvalidInput
from dastan.labs.access import Purpose, access_application, check_application, check_manage_edition
from dastan.labs.errors import (
    AlreadyThere,
    ApplicationState,
    CallClosed,
    InvalidAnswer,
    NotEligible,
)
from dastan.labs.models import Application, Call, CommitteeMember, Edition, FormField, Score
from dastan.labs.programmes import check_time_zone, check_wall_clock

TEXT_MAX = 300
LONG_TEXT_MAX = 8000
PROJECT_REF = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")


# --- opening a call -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str
    kind: str
    label: str
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = 0


MAX_FILES_CAP = 20
MAX_FILE_MB_CAP = 20_000
FILE_KINDS = (FormField.Kind.FILE, FormField.Kind.FILM)


def _field_key(spec: FieldSpec, index: int) -> str:
    key = spec.key.strip() or slugify(unidecode(spec.label))[:40].strip("-")
    return key or f"question-{index}"


def check_form(fields: list[FieldSpec]) -> list[FieldSpec]:
    """The form's questions with their keys filled in; raises InvalidInput naming the
    question to fix (no questions, a label missing, a kind unknown, a choice without
    choices, two questions with one key)."""
    if not fields:
        raise InvalidInput(_("A call needs at least one question."),
                           _("Add a question, e.g. a logline (text) or a treatment (file)."), field="fields")
    checked: list[FieldSpec] = []
    seen: set[str] = set()
    for index, spec in enumerate(fields, start=1):
        label = spec.label.strip()
        if not label or len(label) > 200:
            raise InvalidInput(_("Question %(n)s has no label (or one over 200 characters).") % {"n": index},
                               _("Write what the applicant is asked."), field="fields")
        if spec.kind not in FormField.Kind.values:
            raise InvalidInput(_("'%(kind)s' is not a field type.") % {"kind": spec.kind},
                               _("Use one of: %(kinds)s.") % {"kinds": ", ".join(FormField.Kind.values)},
                               field="fields")
        choices = tuple(c.strip() for c in spec.choices if c.strip())
        if spec.kind == FormField.Kind.CHOICE and len(set(choices)) < 2:
            raise InvalidInput(_("The question '%(label)s' is a choice but lists fewer than two choices.")
                               % {"label": label}, _("List its choices, separated by commas."), field="fields")
        key = _field_key(spec, index)
        if not re.match(r"^[-a-zA-Z0-9_]{1,40}$", key):
            raise InvalidInput(_("'%(key)s' cannot be a question's key.") % {"key": key[:40]},
                               _("Use up to 40 Latin letters, digits and hyphens."), field="fields")
        if key in seen:
            raise InvalidInput(_("Two questions have the key '%(key)s'.") % {"key": key},
                               _("Give each question its own label or key."), field="fields")
        seen.add(key)
        checked.append(FieldSpec(key, spec.kind, label, spec.required, choices, spec.max_length))
    return checked


def check_rubric(rubric: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rubric's criteria with keys filled in; raises InvalidInput naming the fix."""
    if not rubric:
        raise InvalidInput(_("A call needs at least one criterion for the committee to score."),
                           _("Add criteria such as 'Story | 10' (a label and the most points)."), field="rubric")
    checked: list[dict[str, Any]] = []
    for criterion in rubric:
        label = str(criterion.get("label") or criterion.get("key") or "").strip()
        key = str(criterion.get("key") or slugify(unidecode(label))[:40]).strip()
        try:
            most = int(criterion.get("max", 0))
        except (TypeError, ValueError):
            most = 0
        if not key or not 1 <= most <= 100:
            raise InvalidInput(_("Each rubric criterion needs a key and a maximum of at least 1."),
                               _("Write each as a label and the most points, e.g. 'Story | 10' (1 to 100)."),
                               field="rubric")
        if any(c["key"] == key for c in checked):
            raise InvalidInput(_("Two rubric criteria have the key '%(key)s'.") % {"key": key},
                               _("Give each criterion its own label."), field="rubric")
        checked.append({"key": key, "label": label or key, "max": most})
    return checked


def _check_eligibility(countries: list[str], career_stages: list[str], project_stages: list[str]) -> None:
    for code in countries:
        if not COUNTRY.match(code):
            raise InvalidInput(_("'%(value)s' is not a country code.") % {"value": code[:20]},
                               _("Give the two letters of ISO 3166-1, e.g. PK, KZ or CN; leave empty for any."),
                               field="countries")
    for field, stages in (("career_stages", career_stages), ("project_stages", project_stages)):
        if any(len(s) > 40 for s in stages):
            raise InvalidInput(_("A stage has at most 40 characters."), _("Shorten it."), field=field)


def _check_future_deadline(*, deadline: datetime, zone: str, now: datetime) -> None:
    if deadline <= now:
        raise InvalidInput(
            _("The deadline %(deadline)s is in the past.") % {"deadline": LocalTime(deadline, zone).text},
            _("Set a deadline after now; it is %(now)s in the edition's zone.")
            % {"now": LocalTime(now.astimezone(check_time_zone(zone)), zone).text}, field="deadline")


@transaction.atomic
def open_call(*, by: Any, edition: Edition, opens_at: datetime, deadline_local: datetime,
              fields: list[FieldSpec], rubric: list[dict[str, Any]], countries: list[str] | None = None,
              career_stages: list[str] | None = None, project_stages: list[str] | None = None,
              max_files: int = 3, max_file_bytes: int = 200 * 1024 * 1024, now: datetime | None = None) -> Call:
    """Open ``edition``'s call. ``deadline_local`` is a naive wall-clock time in the
    edition's (the hosts') zone. ``by`` (None: the node) must administer a host; a person
    opens calls for the future only (the node may record a past edition's call). Raises
    InvalidInput naming the fix, storing nothing."""
    if by is not None:
        check_manage_edition(user=by, edition=edition)
    if Call.objects.filter(edition=edition).exists():
        raise AlreadyThere(_("This edition already has its call."),
                           _("Change that call (its deadline) or add a new edition for another call."),
                           field="edition")
    zone = check_time_zone(edition.time_zone)
    if deadline_local.tzinfo is not None:
        raise InvalidInput(_("Give the deadline as the hosts' wall-clock time, without a zone."),
                           _("The edition's zone (%(zone)s) is applied to it.") % {"zone": edition.time_zone},
                           field="deadline")
    check_wall_clock(deadline_local, field="deadline")
    check_wall_clock(opens_at, field="opens_at")
    deadline = deadline_local.replace(tzinfo=zone)
    if by is not None:
        _check_future_deadline(deadline=deadline, zone=edition.time_zone, now=now or timezone.now())
    if deadline <= opens_at:
        raise InvalidInput(_("The deadline is before the call opens."), _("Set a later deadline."),
                           field="deadline")
    fields = check_form(fields)
    rubric = check_rubric(rubric)
    countries = [c.strip().upper() for c in countries or [] if c.strip()]
    career_stages = [s.strip() for s in career_stages or [] if s.strip()]
    project_stages = [s.strip() for s in project_stages or [] if s.strip()]
    _check_eligibility(countries, career_stages, project_stages)
    if not 0 <= max_files <= MAX_FILES_CAP:
        raise InvalidInput(_("A call takes 0 to %(max)s files per application.") % {"max": MAX_FILES_CAP},
                           _("Set the cap on files within that."), field="max_files")
    if max_files == 0 and any(f.kind in FILE_KINDS for f in fields):
        raise InvalidInput(_("The form asks for files, but the cap on files is 0."),
                           _("Raise the cap, or remove the file and film questions."), field="max_files")
    if not 1024 * 1024 <= max_file_bytes <= MAX_FILE_MB_CAP * 1024 * 1024:
        raise InvalidInput(_("A file may be 1 to %(max)s MB.") % {"max": MAX_FILE_MB_CAP},
                           _("Set the largest file size within that."), field="max_file_mb")
    call = Call.objects.create(edition=edition, opens_at=opens_at, deadline=deadline, countries=countries,
                               career_stages=career_stages, project_stages=project_stages,
                               max_files=max_files, max_file_bytes=max_file_bytes, rubric=rubric)
    FormField.objects.bulk_create([
        FormField(call=call, key=spec.key, kind=spec.kind, label=spec.label, required=spec.required,
                  choices=list(spec.choices), max_length=spec.max_length, order=order)
        for order, spec in enumerate(fields)])
    return call


@transaction.atomic
def change_deadline(*, by: Any, call: Call, deadline_local: datetime, now: datetime | None = None) -> Call:
    """Move the call's deadline (a naive wall-clock time in the hosts' zone) to a later or
    earlier instant that is still ahead."""
    check_manage_edition(user=by, edition=call.edition)
    if deadline_local.tzinfo is not None:
        raise InvalidInput(_("Give the deadline as the hosts' wall-clock time, without a zone."), "",
                           field="deadline")
    check_wall_clock(deadline_local, field="deadline")
    deadline = deadline_local.replace(tzinfo=check_time_zone(call.edition.time_zone))
    _check_future_deadline(deadline=deadline, zone=call.edition.time_zone, now=now or timezone.now())
    if deadline <= call.opens_at:
        raise InvalidInput(_("The deadline is before the call opens."), _("Set a later deadline."),
                           field="deadline")
    call.deadline = deadline
    call.save(update_fields=["deadline"])
    return call


# --- the committee ------------------------------------------------------------------------------

def _person(user: User) -> str:
    return user.get_full_name() or user.username


@transaction.atomic
def seat_committee(*, by: Any, call: Call, user: User, chair: bool = False) -> CommitteeMember:
    """Seat ``user`` on the call's committee (as its chair where ``chair``: the call has
    one chair). Raises AlreadyThere for a second seat or a second chair, InvalidInput for
    an applicant of the call, storing nothing."""
    if by is not None:
        check_manage_edition(user=by, edition=call.edition)
    seat = CommitteeMember.objects.filter(call=call, user=user).first()
    if seat is not None:
        raise AlreadyThere(_("%(person)s already sits on this committee (%(role)s).")
                           % {"person": _person(user), "role": seat.get_role_display().lower()},
                           _("Use 'make chair' in the committee's list to change their seat."), field="person")
    if Application.objects.filter(call=call, applicant=user).exists():
        raise InvalidInput(_("%(person)s applied to this call, so cannot sit on its committee.")
                           % {"person": _person(user)}, _("Seat someone who has not applied."), field="person")
    current = CommitteeMember.objects.filter(call=call, role=CommitteeMember.Role.CHAIR).select_related("user").first()
    if chair and current is not None:
        raise AlreadyThere(_("The committee already has a chair: %(person)s.") % {"person": _person(current.user)},
                           _("Seat this person as a member, then 'make chair' to hand the chair over."),
                           field="chair")
    role = CommitteeMember.Role.CHAIR if chair else CommitteeMember.Role.MEMBER
    return CommitteeMember.objects.create(call=call, user=user, role=role)


@transaction.atomic
def make_chair(*, by: Any, call: Call, user: User) -> CommitteeMember:
    """Hand the call's chair to ``user``, already a member; the chair before becomes a member."""
    check_manage_edition(user=by, edition=call.edition)
    seat = CommitteeMember.objects.select_for_update().filter(call=call, user=user).first()
    if seat is None:
        raise InvalidInput(_("%(person)s does not sit on this committee.") % {"person": _person(user)},
                           _("Seat them first, then make them chair."), field="person")
    CommitteeMember.objects.filter(call=call, role=CommitteeMember.Role.CHAIR).exclude(pk=seat.pk) \
        .update(role=CommitteeMember.Role.MEMBER)
    seat.role = CommitteeMember.Role.CHAIR
    seat.save(update_fields=["role"])
    return seat


@transaction.atomic
def unseat_committee(*, by: Any, call: Call, user: User) -> None:
    """Take ``user`` off the committee: their scores on the call no longer count (they are
    removed); their comments stay, signed, for the rest of the committee."""
    check_manage_edition(user=by, edition=call.edition)
    seat = CommitteeMember.objects.filter(call=call, user=user).first()
    if seat is None:
        raise InvalidInput(_("%(person)s does not sit on this committee.") % {"person": _person(user)}, "",
                           field="person")
    Score.objects.filter(application__call=call, member=user).delete()
    seat.delete()


# --- the deadline in two zones ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LocalTime:
    at: datetime      # aware, in ``zone``
    zone: str

    @property
    def text(self) -> str:
        return f"{date_format(self.at, 'DATETIME_FORMAT')} ({self.zone})"

    @property
    def iso(self) -> str:
        return self.at.isoformat()


def deadline_in(*, call: Call, zone: str) -> LocalTime:
    """The call's deadline as a wall-clock time in ``zone`` (an IANA name)."""
    return LocalTime(call.deadline.astimezone(check_time_zone(zone)), zone)


def is_open(*, call: Call, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return call.opens_at <= now <= call.deadline


def check_before_deadline(*, call: Call, zone: str, now: datetime | None = None) -> None:
    """Raise CallClosed, with the deadline in the hosts' zone and in ``zone``, when ``now``
    is after it (or before the call opens)."""
    now = now or timezone.now()
    hosts = deadline_in(call=call, zone=call.edition.time_zone)
    if now > call.deadline:
        theirs = deadline_in(call=call, zone=zone)
        raise CallClosed(
            _("This call closed at %(hosts)s, which was %(yours)s for you.") % {"hosts": hosts.text,
                                                                                  "yours": theirs.text},
            _("Late applications are not accepted; watch the programme's page for its next call."))
    if now < call.opens_at:
        raise CallClosed(_("This call is not open yet."),
                         _("It opens at %(at)s.") % {"at": LocalTime(call.opens_at.astimezone(
                             check_time_zone(zone)), zone).text}, code="call_not_open")


# --- eligibility --------------------------------------------------------------------------------

COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def check_eligible(*, call: Call, country: str, career_stage: str, project_stage: str) -> None:
    """Raise NotEligible naming what the call accepts (InvalidInput for what cannot be an
    answer at all: a country that is not two letters, a stage over 40 characters)."""
    if not COUNTRY.match(country):
        raise InvalidInput(_("'%(value)s' is not a country code.") % {"value": country[:20]},
                           _("Give the two letters of ISO 3166-1, e.g. PK, KZ or CN."), field="country")
    for field, value in (("career_stage", career_stage), ("project_stage", project_stage)):
        if len(value) > 40:
            raise InvalidInput(_("This answer is longer than 40 characters."), _("Shorten it."), field=field)
    rules = (("country", country.upper(), call.countries, _("This call is open to applicants from: %(list)s.")),
             ("career_stage", career_stage, call.career_stages, _("This call is for these career stages: %(list)s.")),
             ("project_stage", project_stage, call.project_stages,
              _("This call is for projects at these stages: %(list)s.")))
    for field, value, allowed, sentence in rules:
        if allowed and value not in allowed:
            raise NotEligible(sentence % {"list": ", ".join(allowed)},
                              _("Check your answer; if it is right, this call is not for you."), field=field)


# --- drafts -------------------------------------------------------------------------------------

@transaction.atomic
def start_application(*, user: Any, call: Call, country: str, career_stage: str = "", project_stage: str = "",
                      time_zone: str = "UTC", now: datetime | None = None) -> Application:
    """The signed-in ``user``'s draft for ``call`` (their existing one if they started one)."""
    if not getattr(user, "is_authenticated", False):
        raise InvalidInput(_("Sign in to apply."), _("Create an account or sign in, then apply."),
                           code="not_signed_in", status=401)
    existing = Application.objects.filter(call=call, applicant=user).first()
    if existing is not None:
        return existing
    check_time_zone(time_zone)
    check_before_deadline(call=call, zone=time_zone, now=now)
    check_eligible(call=call, country=country, career_stage=career_stage, project_stage=project_stage)
    return Application.objects.create(call=call, applicant=user, country=country.upper(),
                                      career_stage=career_stage, project_stage=project_stage, time_zone=time_zone)


def _check_answer(field: FormField, value: Any) -> Any:
    if field.kind in (FormField.Kind.FILE, FormField.Kind.FILM):
        raise InvalidAnswer(_("'%(label)s' takes a file: upload it instead.") % {"label": field.label}, "",
                            field=field.key)
    if not isinstance(value, str):
        raise InvalidAnswer(_("'%(label)s' takes text.") % {"label": field.label}, "", field=field.key)
    value = value.strip()
    limit = field.max_length or (LONG_TEXT_MAX if field.kind == FormField.Kind.LONG_TEXT else TEXT_MAX)
    if len(value) > limit:
        raise InvalidAnswer(_("'%(label)s' is %(n)s characters long; at most %(max)s fit.")
                            % {"label": field.label, "n": len(value), "max": limit},
                            _("Shorten it."), field=field.key)
    if field.kind == FormField.Kind.CHOICE and value and value not in field.choices:
        raise InvalidAnswer(_("'%(value)s' is not a choice of '%(label)s'.") % {"value": value, "label": field.label},
                            _("Choose one of: %(list)s.") % {"list": ", ".join(field.choices)}, field=field.key)
    if field.kind == FormField.Kind.PROJECT and value and not PROJECT_REF.match(value):
        raise InvalidAnswer(_("'%(value)s' is not a bazaar project's address.") % {"value": value},
                            _("Give the project's slug, e.g. caravan-to-samarkand."), field=field.key)
    return value


@transaction.atomic
def save_answers(*, user: Any, application: Application, answers: dict[str, Any]) -> Application:
    """Store answers on a draft; every answer is checked first, so a bad one stores none."""
    check_application(user=user, application=application, purpose=Purpose.EDIT)
    check_draft(application)
    fields = {f.key: f for f in application.call.fields.all()}
    checked: dict[str, Any] = {}
    for key, value in answers.items():
        field = fields.get(key)
        if field is None:
            raise InvalidAnswer(_("The form has no question '%(key)s'.") % {"key": key},
                                _("Questions: %(list)s.") % {"list": ", ".join(fields)}, field=key)
        checked[key] = _check_answer(field, value)
    application.answers = {**application.answers, **checked}
    project_keys = [k for k, f in fields.items() if f.kind == FormField.Kind.PROJECT and checked.get(k)]
    if project_keys:
        application.bazaar_project = checked[project_keys[0]]
    application.save(update_fields=["answers", "bazaar_project"])
    return application


def check_draft(application: Application) -> None:
    """Raise ApplicationState unless ``application`` is still a draft (submitted once means final)."""
    if application.state != Application.State.DRAFT:
        raise ApplicationState(_("This application was submitted and can no longer change."),
                               _("Withdraw it if you no longer want it considered."), code="not_a_draft")


def missing_answers(application: Application) -> list[str]:
    have_files = set(application.files.values_list("field_key", flat=True)) | set(
        application.screeners.values_list("field_key", flat=True))
    missing = []
    for field in application.call.fields.all():
        if not field.required:
            continue
        if field.kind in (FormField.Kind.FILE, FormField.Kind.FILM):
            if field.key not in have_files:
                missing.append(field.label)
        elif not str(application.answers.get(field.key, "")).strip():
            missing.append(field.label)
    return missing


@transaction.atomic
def submit_application(*, user: Any, application_id: int, now: datetime | None = None) -> Application:
    """Submit a draft, once. Raises CallClosed after the deadline (with it shown in the
    hosts' and the applicant's zones), InvalidAnswer naming unanswered required questions,
    ApplicationState when it is not a draft."""
    access_application(user=user, application_id=application_id, purpose=Purpose.EDIT)
    # Locked and read again: two clicks on "submit" submit once.
    application = Application.objects.select_for_update().select_related("call__edition").get(pk=application_id)
    check_draft(application)
    check_before_deadline(call=application.call, zone=application.time_zone, now=now)
    check_eligible(call=application.call, country=application.country, career_stage=application.career_stage,
                   project_stage=application.project_stage)
    missing = missing_answers(application)
    if missing:
        raise InvalidAnswer(_("Answer these before submitting: %(list)s.") % {"list": ", ".join(missing)},
                            _("Your draft is saved; come back to it before the deadline."), code="unanswered")
    application.state = Application.State.SUBMITTED
    application.submitted_at = now or timezone.now()
    application.save(update_fields=["state", "submitted_at"])
    return application


@transaction.atomic
def withdraw_application(*, user: Any, application: Application, now: datetime | None = None) -> Application:
    """Withdraw a draft or a submitted application; a decided one cannot be (the
    decision stands, with its reason)."""
    check_application(user=user, application=application, purpose=Purpose.EDIT)
    if application.state == Application.State.WITHDRAWN:
        raise ApplicationState(_("This application is already withdrawn."), "", code="withdrawn")
    if application.decision:
        raise ApplicationState(_("The committee has decided on this application; it can no longer be withdrawn."),
                               _("Write to the programme's hosts if you cannot take part."), code="decided")
    application.state = Application.State.WITHDRAWN
    application.withdrawn_at = now or timezone.now()
    application.save(update_fields=["state", "withdrawn_at"])
    return application
