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
from django.utils.translation import gettext as _

from dastan.errors import InvalidInput
from dastan.labs.access import Purpose, access_application, check_application, check_manage_edition
from dastan.labs.errors import ApplicationState, CallClosed, InvalidAnswer, NotEligible
from dastan.labs.models import Application, Call, CommitteeMember, Edition, FormField
from dastan.labs.programmes import check_time_zone

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


@transaction.atomic
def open_call(*, by: Any, edition: Edition, opens_at: datetime, deadline_local: datetime,
              fields: list[FieldSpec], rubric: list[dict[str, Any]], countries: list[str] | None = None,
              career_stages: list[str] | None = None, project_stages: list[str] | None = None,
              max_files: int = 3, max_file_bytes: int = 200 * 1024 * 1024) -> Call:
    """Open ``edition``'s call. ``deadline_local`` is a naive wall-clock time in the
    edition's (the hosts') zone. ``by`` (None: the node) must administer a host."""
    if by is not None:
        check_manage_edition(user=by, edition=edition)
    zone = check_time_zone(edition.time_zone)
    if deadline_local.tzinfo is not None:
        raise InvalidInput(_("Give the deadline as the hosts' wall-clock time, without a zone."),
                           _("The edition's zone (%(zone)s) is applied to it.") % {"zone": edition.time_zone},
                           field="deadline")
    deadline = deadline_local.replace(tzinfo=zone)
    if deadline <= opens_at:
        raise InvalidInput(_("The deadline is before the call opens."), _("Set a later deadline."),
                           field="deadline")
    for criterion in rubric:
        if not criterion.get("key") or int(criterion.get("max", 0)) < 1:
            raise InvalidInput(_("Each rubric criterion needs a key and a maximum of at least 1."), "",
                               field="rubric")
    call = Call.objects.create(edition=edition, opens_at=opens_at, deadline=deadline,
                               countries=[c.upper() for c in countries or []],
                               career_stages=list(career_stages or []), project_stages=list(project_stages or []),
                               max_files=max_files, max_file_bytes=max_file_bytes, rubric=rubric)
    for order, spec in enumerate(fields):
        if spec.kind not in FormField.Kind.values:
            raise InvalidInput(_("'%(kind)s' is not a field type.") % {"kind": spec.kind},
                               _("Use one of: %(kinds)s.") % {"kinds": ", ".join(FormField.Kind.values)},
                               field="fields")
        FormField.objects.create(call=call, key=spec.key, kind=spec.kind, label=spec.label, required=spec.required,
                                 choices=list(spec.choices), max_length=spec.max_length, order=order)
    return call


def seat_committee(*, by: Any, call: Call, user: User, chair: bool = False) -> CommitteeMember:
    if by is not None:
        check_manage_edition(user=by, edition=call.edition)
    role = CommitteeMember.Role.CHAIR if chair else CommitteeMember.Role.MEMBER
    seat, _created = CommitteeMember.objects.update_or_create(call=call, user=user, defaults={"role": role})
    return seat


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
