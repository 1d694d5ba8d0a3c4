"""A labs world for tests: a programme co-hosted by two organisations, an edition in
Karachi's time zone, its call with a form and rubric, a committee of three (one chair),
a mentor, and applicants."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

import factory
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation, Title
from dastan.catalog.tests.factories import OrganisationFactory, TitleFactory, UserFactory, member_of
from dastan.labs import calls, mentoring, selection
from dastan.labs.calls import FieldSpec, open_call, seat_committee
from dastan.labs.files import add_file
from dastan.labs.mentoring import name_mentor
from dastan.labs.models import (
    Application,
    ApplicationFile,
    Call,
    Certificate,
    Comment,
    CommitteeMember,
    Conflict,
    Edition,
    FormField,
    Mentor,
    Note,
    Outcome,
    Programme,
    ProgrammeText,
    Room,
    Score,
    Screener,
    ScriptDraft,
    ScriptNote,
    Session,
)
from dastan.labs.programmes import (
    create_edition,
    create_programme,
    record_outcome,
    set_programme_text,
)

DEADLINE_LOCAL = datetime(2099, 3, 1, 18, 0)  # 18:00 in Asia/Karachi = 13:00 UTC
RUBRIC = [{"key": "story", "label": "Story", "max": 10}, {"key": "voice", "label": "Voice", "max": 10}]
FIELDS = [
    FieldSpec("logline", "text", "Logline", required=True),
    FieldSpec("statement", "long_text", "Director's statement"),
    FieldSpec("format", "choice", "Format", choices=("feature", "short", "series")),
    FieldSpec("treatment", "file", "Treatment (PDF)"),
    FieldSpec("project", "project", "Bazaar project"),
    FieldSpec("film", "film", "Previous film or rough cut"),
]


def user(username: str, full_name: str = "") -> User:
    first, _, last = (full_name or username.title()).partition(" ")
    return User.objects.create_user(username, password="x" * 12, first_name=first, last_name=last)


@dataclass
class LabWorld:
    programme: Programme
    edition: Edition
    call: Call
    hosts: list[Organisation]
    people: dict[str, User] = field(default_factory=dict)
    mentor: Mentor | None = None


def lab_world(*, opens_at: datetime | None = None, max_files: int = 3) -> LabWorld:
    hosts = [Organisation.objects.create(name="Karachi Film Society", slug="kfs", kind="school", country="PK"),
             Organisation.objects.create(name="Almaty Film School", slug="afs", kind="school", country="KZ")]
    programme = create_programme(by=None, slug="sco-writer-director-lab", kind="lab", hosts=hosts,
                                 original_language="en", texts={
        "en": ("SCO Writer-Director Lab", "Six months with a mentor, from treatment to rough cut."),
        "ru": ("Лаборатория сценаристов и режиссёров ШОС", "Шесть месяцев с наставником."),
        "fa": ("کارگاه نویسنده-کارگردان سازمان همکاری شانگهای", "شش ماه با یک راهنما، از طرح تا تدوین اولیه."),
        "kk": ("ШЫҰ сценарист-режиссёрлер зертханасы", "Тәлімгермен алты ай: тритменттен алғашқы монтажға дейін."),
    }, machine=("kk",))
    edition = create_edition(by=None, programme=programme, name="2099", starts_on=date(2099, 4, 1),
                             ends_on=date(2099, 9, 30), hosts=hosts, time_zone="Asia/Karachi",
                             languages=["en", "ru", "ur"], place="Karachi")
    call = open_call(by=None, edition=edition, opens_at=opens_at or timezone.now() - timedelta(days=1),
                     deadline_local=DEADLINE_LOCAL, fields=FIELDS, rubric=RUBRIC,
                     countries=["PK", "KZ", "CN", "BY", "IN"], career_stages=["first film", "second film"],
                     max_files=max_files)
    world = LabWorld(programme, edition, call, hosts)
    for name, full in (("chair", "Chen Jing"), ("member", "Madina Sultanova"), ("conflicted", "Cyrus Rahimi"),
                       ("mentor", "Mira Nair-Khan"), ("host_admin", "Hamid Admin"),
                       ("applicant", "Ayesha Khan"), ("other", "Oleg Volkov"), ("late", "Li Wei")):
        world.people[name] = user(name, full)
    seat_committee(by=None, call=call, user=world.people["chair"], chair=True)
    seat_committee(by=None, call=call, user=world.people["member"])
    seat_committee(by=None, call=call, user=world.people["conflicted"])
    world.mentor = name_mentor(by=None, edition=edition, user=world.people["mentor"], expertise="editing")
    Membership.objects.create(user=world.people["host_admin"], organisation=hosts[0], role=Membership.Role.ADMIN)
    return world


def before_deadline(call: Call, minutes: int = 1) -> Any:
    return call.deadline - timedelta(minutes=minutes)


def submitted_application(world: LabWorld, *, who: str = "applicant", logline: str = "A ferry.") -> Application:
    """``who``'s application to the world's call: started half an hour before the deadline,
    answered, and submitted a minute before it."""
    person = world.people[who]
    application = calls.start_application(user=person, call=world.call, country="PK", career_stage="first film",
                                          now=before_deadline(world.call, 30))
    calls.save_answers(user=person, application=application, answers={"logline": logline})
    calls.submit_application(user=person, application_id=application.pk, now=before_deadline(world.call))
    return application


# --- for tests/test_permissions_matrix.py ---------------------------------------------------------

def lab_matrix_things(*, host: Organisation) -> dict[str, Any]:
    """Labs objects hosted by ``host`` for the node-wide matrix: an open call, a submitted
    and selected application (answers marked SECRET-LABS-ANSWER) with a file and a
    screener, a draft, a room with a cut, a note (SECRET-LABS-NOTE), a script draft and a
    certificate. Their people (applicants, committee, mentor) are none of the matrix's
    identities. Returns the ids the matrix's paths name as {labs.…}."""
    programme = create_programme(by=None, slug="matrix-lab", kind="lab", hosts=[host],
                                 texts={"en": ("Matrix Lab", "A lab.")})
    edition = create_edition(by=None, programme=programme, name="2099", starts_on=date(2099, 1, 1),
                             ends_on=date(2099, 6, 1), hosts=[host], time_zone="Asia/Karachi", languages=["en"],
                             place="Karachi")
    call = open_call(by=None, edition=edition, opens_at=timezone.now() - timedelta(days=1),
                     deadline_local=datetime(2099, 1, 1, 18, 0), fields=FIELDS, rubric=RUBRIC,
                     career_stages=["first film"])
    applicant, drafter, chair, mentor, member = (user(n) for n in ("lab-applicant", "lab-drafter", "lab-chair",
                                                                   "lab-mentor", "lab-member"))
    seat_committee(by=None, call=call, user=chair, chair=True)
    seat_committee(by=None, call=call, user=member)
    application = calls.start_application(user=applicant, call=call, country="PK", career_stage="first film")
    calls.save_answers(user=applicant, application=application, answers={"logline": "SECRET-LABS-ANSWER"})
    stored = add_file(user=applicant, application=application, field_key="treatment", filename="t.pdf",
                      content=SimpleUploadedFile("t.pdf", b"SECRET-LABS-ANSWER"), size_bytes=18)
    screener_title = Title.objects.create(slug="labs-screener-matrix", original_language="en", country_of_origin="PK")
    screener = Screener.objects.create(title=screener_title, purpose=Screener.Purpose.APPLICATION,
                                       application=application, field_key="film", filename="film.mp4")
    calls.submit_application(user=applicant, application_id=application.pk)
    draft = calls.start_application(user=drafter, call=call, country="PK", career_stage="first film")
    calls.save_answers(user=drafter, application=draft, answers={"logline": "SECRET-LABS-ANSWER draft"})
    selection.decide(user=chair, application_id=application.pk, decision="selected", reason="Yes.")
    room = Room.objects.get(application=application)
    named = mentoring.name_mentor(by=None, edition=edition, user=mentor)
    mentoring.assign_mentor(by=None, room=room, mentor=named)
    cut_title = Title.objects.create(slug="labs-cut-matrix", original_language="en", country_of_origin="PK")
    cut = Screener.objects.create(title=cut_title, purpose=Screener.Purpose.ROUGH_CUT, room=room, filename="cut.mp4")
    note = mentoring.add_note(user=mentor, screener_id=cut.pk, timecode_ms=5000, text="SECRET-LABS-NOTE")
    mentoring.add_script_draft(user=applicant, room_id=room.pk, text="INT. SECRET-LABS-NOTE - DAY\n")
    session = mentoring.add_session(by=None, edition=edition, name="Opening", starts_local=datetime(2099, 1, 2, 10),
                                    ends_local=datetime(2099, 1, 2, 12), time_zone="Asia/Karachi")
    certificate = mentoring.issue_certificate(by=None, room=room)
    # An edition without its call yet, for the hosts' "open the call".
    fresh = create_edition(by=None, programme=programme, name="2100", starts_on=date(2100, 1, 1),
                           ends_on=date(2100, 6, 1), hosts=[host], time_zone="Asia/Karachi", languages=["en"],
                           place="Karachi")
    return {"labs.programme": programme.slug, "labs.call": call.pk, "labs.edition": edition.pk,
            "labs.application": application.pk, "labs.draft": draft.pk, "labs.file": stored.pk,
            "labs.screener": screener.pk, "labs.room": room.pk, "labs.note": note.pk,
            "labs.certificate": certificate.code, "labs.mentor": named.pk, "labs.session": session.pk,
            "labs.fresh": fresh.pk}


def lab_fingerprint() -> list[Any]:
    """What a labs request could change, for the matrix's before/after comparison."""
    return [list(Application.objects.order_by("pk").values_list("pk", "state", "answers", "decision")),
            ApplicationFile.objects.count(), Screener.objects.count(), Conflict.objects.count(),
            list(Score.objects.order_by("pk").values_list("pk", "points")), Comment.objects.count(),
            list(Note.objects.order_by("pk").values_list("pk", "resolved")), ScriptDraft.objects.count(),
            ScriptNote.objects.count(),
            # the hosts' things
            list(Programme.objects.order_by("pk").values_list("slug", "kind")),
            list(ProgrammeText.objects.order_by("pk").values_list("pk", "name", "description")),
            list(Edition.objects.order_by("pk").values_list("pk", "name")),
            list(Call.objects.order_by("pk").values_list("pk", "deadline")), FormField.objects.count(),
            list(CommitteeMember.objects.order_by("pk").values_list("user_id", "role")),
            list(Session.objects.order_by("pk").values_list("pk")), list(Mentor.objects.order_by("pk").values_list("pk")),
            list(Room.mentors.through.objects.order_by("pk").values_list("room_id", "mentor_id")),
            list(Certificate.objects.order_by("pk").values_list("pk"))]


# --- one factory per model ------------------------------------------------------------------------
# Each goes through the labs service that makes the row in production, as the node
# (``by=None``) or as the person the service asks for (the applicant, a committee member,
# the room's mentor). Hosts are real film schools (catalog's OrganisationFactory).

class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    """A lab hosted by a film school, named in English, made through
    :func:`~dastan.labs.programmes.create_programme`."""

    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"writers-lab-{n}")
    kind = Programme.Kind.LAB
    original_language = "en"
    hosts = factory.LazyFunction(lambda: [OrganisationFactory(kind=Organisation.Kind.SCHOOL)])
    texts = factory.LazyAttribute(lambda o: {"en": (o.slug.replace("-", " ").title(), "Six months with a mentor.")})

    @classmethod
    def _create(cls, model_class: type[Programme], *args: Any, **kwargs: Any) -> Programme:
        return create_programme(by=None, **kwargs)


class ProgrammeTextFactory(factory.django.DjangoModelFactory[ProgrammeText]):
    """A programme's name in Russian, a person's translation, through
    :func:`~dastan.labs.programmes.set_programme_text`."""

    class Meta:
        model = ProgrammeText

    programme = factory.SubFactory(ProgrammeFactory)
    language = "ru"
    name = "Лаборатория сценаристов"
    description = "Шесть месяцев с наставником."

    @classmethod
    def _create(cls, model_class: type[ProgrammeText], *args: Any, **kwargs: Any) -> ProgrammeText:
        return set_programme_text(by=None, **kwargs)


class EditionFactory(factory.django.DjangoModelFactory[Edition]):
    """A programme's 2099 edition in Karachi, hosted by the programme's hosts."""

    class Meta:
        model = Edition

    programme = factory.SubFactory(ProgrammeFactory)
    hosts = factory.LazyAttribute(lambda o: list(o.programme.hosts.all()))
    name = factory.Sequence(lambda n: f"{2099 - n % 50}")
    starts_on = date(2099, 4, 1)
    ends_on = date(2099, 9, 30)
    time_zone = "Asia/Karachi"
    languages = factory.LazyFunction(lambda: ["en", "ur"])
    place = "Karachi"

    @classmethod
    def _create(cls, model_class: type[Edition], *args: Any, **kwargs: Any) -> Edition:
        return create_edition(by=None, **kwargs)


class CallFactory(factory.django.DjangoModelFactory[Call]):
    """An edition's call, open since yesterday until 1 March 2099 18:00 in Karachi, with
    the form and rubric of :func:`lab_world` (its FormFields are made with it)."""

    class Meta:
        model = Call

    edition = factory.SubFactory(EditionFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    deadline_local = DEADLINE_LOCAL
    fields = factory.LazyFunction(lambda: list(FIELDS))
    rubric = factory.LazyFunction(lambda: list(RUBRIC))
    career_stages = factory.LazyFunction(lambda: ["first film", "second film"])

    @classmethod
    def _create(cls, model_class: type[Call], *args: Any, **kwargs: Any) -> Call:
        return open_call(by=None, **kwargs)


class FormFieldFactory(factory.django.DjangoModelFactory[FormField]):
    """A further optional question of a call's form, after its others."""

    class Meta:
        model = FormField

    call = factory.SubFactory(CallFactory)
    key = factory.Sequence(lambda n: f"question-{n}")
    kind = FormField.Kind.TEXT
    label = "Where did you hear of the lab?"
    order = factory.LazyAttribute(lambda o: o.call.fields.count())


def _committee_member(call: Call, *, chair: bool = False) -> User:
    seat: Any = CommitteeMemberFactory(call=call, role=CommitteeMember.Role.CHAIR if chair else CommitteeMember.Role.MEMBER)
    return cast(User, seat.user)


class CommitteeMemberFactory(factory.django.DjangoModelFactory[CommitteeMember]):
    """A seat on a call's committee, through :func:`~dastan.labs.calls.seat_committee`."""

    class Meta:
        model = CommitteeMember

    call = factory.SubFactory(CallFactory)
    user = factory.SubFactory(UserFactory)
    role = CommitteeMember.Role.MEMBER

    @classmethod
    def _create(cls, model_class: type[CommitteeMember], *args: Any, **kwargs: Any) -> CommitteeMember:
        return seat_committee(by=None, call=kwargs["call"], user=kwargs["user"],
                              chair=kwargs["role"] == CommitteeMember.Role.CHAIR)


class ApplicationFactory(factory.django.DjangoModelFactory[Application]):
    """An application from Pakistan to a call, started, answered and (unless
    ``submitted=False``) submitted by its applicant through :mod:`dastan.labs.calls`."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory(UserFactory)
    country = "PK"
    career_stage = "first film"
    answers = factory.LazyFunction(lambda: {"logline": "A ferry crosses the Indus one last time."})
    submitted = True

    @classmethod
    def _create(cls, model_class: type[Application], *args: Any, **kwargs: Any) -> Application:
        applicant, submitted = kwargs["applicant"], kwargs["submitted"]
        application = calls.start_application(user=applicant, call=kwargs["call"], country=kwargs["country"],
                                              career_stage=kwargs["career_stage"])
        calls.save_answers(user=applicant, application=application, answers=kwargs["answers"])
        if submitted:
            application = calls.submit_application(user=applicant, application_id=application.pk)
        return application


class ApplicationFileFactory(factory.django.DjangoModelFactory[ApplicationFile]):
    """A treatment the applicant attached to their draft, through :func:`~dastan.labs.files.add_file`."""

    class Meta:
        model = ApplicationFile

    application = factory.SubFactory(ApplicationFactory, submitted=False)
    field_key = "treatment"
    filename = "treatment.pdf"
    content = b"%PDF-1.4 a treatment"

    @classmethod
    def _create(cls, model_class: type[ApplicationFile], *args: Any, **kwargs: Any) -> ApplicationFile:
        application, content = kwargs["application"], kwargs["content"]
        return add_file(user=application.applicant, application=application, field_key=kwargs["field_key"],
                        filename=kwargs["filename"], content=SimpleUploadedFile(kwargs["filename"], content),
                        size_bytes=len(content))


class ScreenerFactory(factory.django.DjangoModelFactory[Screener]):
    """An application's film, on an ownerless catalogue title as labs keeps screeners (no
    organisation's people and no viewer can play it). A row only, as in
    :func:`lab_matrix_things`: a test of uploading calls :mod:`dastan.labs.screeners`."""

    class Meta:
        model = Screener

    title = factory.Sequence(lambda n: Title.objects.create(slug=f"labs-screener-{n}", original_language="en",
                                                            country_of_origin="PK"))
    purpose = Screener.Purpose.APPLICATION
    application = factory.SubFactory(ApplicationFactory)
    field_key = "film"
    filename = "film.mp4"


class ConflictFactory(factory.django.DjangoModelFactory[Conflict]):
    """A committee member's declared conflict with an application, through
    :func:`~dastan.labs.selection.declare_conflict`."""

    class Meta:
        model = Conflict

    application = factory.SubFactory(ApplicationFactory)
    member = factory.LazyAttribute(lambda o: _committee_member(o.application.call))
    reason = "My former student."

    @classmethod
    def _create(cls, model_class: type[Conflict], *args: Any, **kwargs: Any) -> Conflict:
        return selection.declare_conflict(user=kwargs["member"], application_id=kwargs["application"].pk,
                                          reason=kwargs["reason"])


class ScoreFactory(factory.django.DjangoModelFactory[Score]):
    """A committee member's points for one criterion, through
    :func:`~dastan.labs.selection.score_application`."""

    class Meta:
        model = Score

    application = factory.SubFactory(ApplicationFactory)
    member = factory.LazyAttribute(lambda o: _committee_member(o.application.call))
    criterion = "story"
    points = 7

    @classmethod
    def _create(cls, model_class: type[Score], *args: Any, **kwargs: Any) -> Score:
        scores = selection.score_application(user=kwargs["member"], application_id=kwargs["application"].pk,
                                             points={kwargs["criterion"]: kwargs["points"]})
        return next(s for s in scores if s.criterion == kwargs["criterion"])


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    """A committee member's comment on an application, through :func:`~dastan.labs.selection.add_comment`."""

    class Meta:
        model = Comment

    application = factory.SubFactory(ApplicationFactory)
    author = factory.LazyAttribute(lambda o: _committee_member(o.application.call))
    text = "A strong voice; the ending is unclear."

    @classmethod
    def _create(cls, model_class: type[Comment], *args: Any, **kwargs: Any) -> Comment:
        return selection.add_comment(user=kwargs["author"], application_id=kwargs["application"].pk,
                                     text=kwargs["text"])


class SessionFactory(factory.django.DjangoModelFactory[Session]):
    """The edition's opening, 10:00 to 12:00 in Karachi, through :func:`~dastan.labs.mentoring.add_session`."""

    class Meta:
        model = Session

    edition = factory.SubFactory(EditionFactory)
    name = "Opening"
    starts_local = datetime(2099, 4, 2, 10, 0)
    ends_local = datetime(2099, 4, 2, 12, 0)
    time_zone = factory.SelfAttribute("edition.time_zone")
    place = "Karachi Film Society"

    @classmethod
    def _create(cls, model_class: type[Session], *args: Any, **kwargs: Any) -> Session:
        return mentoring.add_session(by=None, **kwargs)


class MentorFactory(factory.django.DjangoModelFactory[Mentor]):
    """A mentor of an edition, through :func:`~dastan.labs.mentoring.name_mentor`."""

    class Meta:
        model = Mentor

    edition = factory.SubFactory(EditionFactory)
    user = factory.SubFactory(UserFactory)
    expertise = "editing"

    @classmethod
    def _create(cls, model_class: type[Mentor], *args: Any, **kwargs: Any) -> Mentor:
        return name_mentor(by=None, **kwargs)


class RoomFactory(factory.django.DjangoModelFactory[Room]):
    """The room of an application the committee's chair selected (through
    :func:`~dastan.labs.selection.decide`, which opens it), with a mentor assigned."""

    class Meta:
        model = Room
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory)

    @classmethod
    def _create(cls, model_class: type[Room], *args: Any, **kwargs: Any) -> Room:
        application = kwargs["application"]
        selection.decide(user=_committee_member(application.call, chair=True), application_id=application.pk,
                         decision="selected", reason="A strong voice.")
        return Room.objects.get(application=application)

    @factory.post_generation
    def mentors(obj: Room, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            mentors: list[Mentor] = (list(extracted) if extracted is not None
                                     else [MentorFactory.create(edition=obj.application.call.edition)])
            for mentor in mentors:
                mentoring.assign_mentor(by=None, room=obj, mentor=mentor)


def _rough_cut(room: Room) -> Screener:
    title = Title.objects.create(slug=f"labs-cut-{room.pk}-{room.cuts.count()}", original_language="en",
                                 country_of_origin="PK")
    return Screener.objects.create(title=title, purpose=Screener.Purpose.ROUGH_CUT, room=room, filename="cut.mp4")


class NoteFactory(factory.django.DjangoModelFactory[Note]):
    """A mentor's note at 5 s of a room's rough cut, through :func:`~dastan.labs.mentoring.add_note`."""

    class Meta:
        model = Note
        exclude = ("room",)

    room = factory.SubFactory(RoomFactory)
    screener = factory.LazyAttribute(lambda o: _rough_cut(o.room))
    author = factory.LazyAttribute(lambda o: o.room.mentors.first().user)
    timecode_ms = 5000
    text = "Hold this shot longer."

    @classmethod
    def _create(cls, model_class: type[Note], *args: Any, **kwargs: Any) -> Note:
        return mentoring.add_note(user=kwargs["author"], screener_id=kwargs["screener"].pk,
                                  timecode_ms=kwargs["timecode_ms"], text=kwargs["text"])


class ScriptDraftFactory(factory.django.DjangoModelFactory[ScriptDraft]):
    """The participant's next draft in their room, through :func:`~dastan.labs.mentoring.add_script_draft`."""

    class Meta:
        model = ScriptDraft

    room = factory.SubFactory(RoomFactory)
    text = "INT. FERRY - NIGHT\n\nA ferryman waits.\n"

    @classmethod
    def _create(cls, model_class: type[ScriptDraft], *args: Any, **kwargs: Any) -> ScriptDraft:
        room = kwargs["room"]
        return mentoring.add_script_draft(user=room.application.applicant, room_id=room.pk, text=kwargs["text"])


class ScriptNoteFactory(factory.django.DjangoModelFactory[ScriptNote]):
    """The room's mentor's note on line 1 of a draft, through :func:`~dastan.labs.mentoring.add_script_note`."""

    class Meta:
        model = ScriptNote

    draft = factory.SubFactory(ScriptDraftFactory)
    author = factory.LazyAttribute(lambda o: o.draft.room.mentors.first().user)
    line = 1
    text = "Start on the river, not the ferry."

    @classmethod
    def _create(cls, model_class: type[ScriptNote], *args: Any, **kwargs: Any) -> ScriptNote:
        draft = kwargs["draft"]
        return mentoring.add_script_note(user=kwargs["author"], room_id=draft.room_id, version=draft.version,
                                         line=kwargs["line"], text=kwargs["text"])


class CertificateFactory(factory.django.DjangoModelFactory[Certificate]):
    """A room's certificate, issued by an administrator of a host through
    :func:`~dastan.labs.mentoring.issue_certificate` (the demo's are the node's own,
    ``by=None``, are valid rows too: ``issued_by`` may be blank)."""

    class Meta:
        model = Certificate

    room = factory.SubFactory(RoomFactory)
    issued_by = factory.LazyAttribute(
        lambda o: member_of(o.room.application.call.edition.hosts.first(), role=Membership.Role.ADMIN))

    @classmethod
    def _create(cls, model_class: type[Certificate], *args: Any, **kwargs: Any) -> Certificate:
        return mentoring.issue_certificate(by=kwargs["issued_by"], room=kwargs["room"])


class OutcomeFactory(factory.django.DjangoModelFactory[Outcome]):
    """A film that came out of an edition: a title of one of its hosts, recorded through
    :func:`~dastan.labs.programmes.record_outcome`."""

    class Meta:
        model = Outcome

    edition = factory.SubFactory(EditionFactory)
    title = factory.LazyAttribute(lambda o: TitleFactory(owner=o.edition.hosts.first()))
    label = "Feature, premiered at Karachi 2100"

    @classmethod
    def _create(cls, model_class: type[Outcome], *args: Any, **kwargs: Any) -> Outcome:
        return record_outcome(by=None, **kwargs)
