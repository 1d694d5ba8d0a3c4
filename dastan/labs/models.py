"""Programmes (a lab, a workshop, a festival section), their editions, calls and the
applications to them, the committee's conflicts, scores and comments, the chair's
decisions, and after selection: sessions, mentors, rooms with timecoded notes, script
drafts, certificates and what came out of an edition.

Who may do what is decided in :mod:`dastan.labs.access`, never here.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dastan.catalog.languages import LANGUAGE_CHOICES


class Programme(models.Model):
    class Kind(models.TextChoices):
        LAB = "lab", _("Lab")
        WORKSHOP = "workshop", _("Workshop")
        FESTIVAL = "festival", _("Festival section")
        MARKET = "market", _("Market selection")
        EXCHANGE = "exchange", _("University exchange")

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.LAB)
    original_language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES, default="en")
    # The organisations that run the programme (its page, its editions); each edition
    # names its own hosts, who may add co-hosts for that edition only.
    hosts = models.ManyToManyField("catalog.Organisation", related_name="lab_programmes", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug


class ProgrammeText(models.Model):
    """A programme's name and description in one language, and who wrote them (the
    public page says "machine translation" where a machine did)."""

    class Origin(models.TextChoices):
        ORIGINAL = "original", _("Original")
        HUMAN = "human", _("Human translation")
        MACHINE = "machine", _("Machine translation")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True, default="")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.HUMAN)
    provenance = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "language"], name="labs_one_text_per_language")]


class Edition(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="editions")
    name = models.CharField(max_length=120, help_text="e.g. '2027' or 'Spring 2027, Almaty'")
    starts_on = models.DateField()
    ends_on = models.DateField()
    place = models.CharField(max_length=200, blank=True, default="")
    online = models.BooleanField(default=False)
    time_zone = models.CharField(max_length=64, default="UTC", help_text="the hosts' IANA zone")
    languages = models.JSONField(default=list, help_text="languages of instruction")
    hosts = models.ManyToManyField("catalog.Organisation", related_name="lab_editions")
    compute_hours_per_participant = models.PositiveIntegerField(
        default=0, help_text="hours of the compute ledger's verified work (weighted minutes / 60); 0: none set")

    class Meta:
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.programme.slug} {self.name}"


class Call(models.Model):
    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="call")
    opens_at = models.DateTimeField()
    deadline = models.DateTimeField(help_text="stored in UTC; shown in the hosts' zone and the applicant's")
    countries = models.JSONField(default=list, blank=True, help_text="ISO 3166-1 codes; empty: any")
    career_stages = models.JSONField(default=list, blank=True, help_text="empty: any")
    project_stages = models.JSONField(default=list, blank=True, help_text="empty: any")
    max_files = models.PositiveSmallIntegerField(default=3)
    max_file_bytes = models.BigIntegerField(default=200 * 1024 * 1024)
    # [{"key": "story", "label": "Story", "max": 10}, ...]
    rubric = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"call of {self.edition}"


class FormField(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        LONG_TEXT = "long_text", _("Long text")
        CHOICE = "choice", _("Choice")
        FILE = "file", _("File")
        PROJECT = "project", _("Bazaar project")
        FILM = "film", _("Film (private screener)")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(max_length=40)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.CharField(max_length=200)
    required = models.BooleanField(default=False)
    choices = models.JSONField(default=list, blank=True)
    max_length = models.PositiveIntegerField(default=0, help_text="0: the kind's default")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "key"], name="labs_one_field_per_key")]


class CommitteeMember(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="committee")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_committees")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="labs_one_seat_per_call")]


class Application(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Decision(models.TextChoices):
        NONE = "", _("Not decided")
        SELECTED = "selected", _("Selected")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="lab_applications")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    country = models.CharField(max_length=2)
    career_stage = models.CharField(max_length=40, blank=True, default="")
    project_stage = models.CharField(max_length=40, blank=True, default="")
    time_zone = models.CharField(max_length=64, default="UTC", help_text="the applicant's, for showing times")
    answers = models.JSONField(default=dict, blank=True)
    # A plain reference to a bazaar project (its slug), connected when the bazaar lands.
    bazaar_project = models.CharField(max_length=120, blank=True, default="")
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True, default="")
    decision_reason = models.TextField(blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["call", "applicant"], name="labs_one_application_per_call")]


class ApplicationFile(models.Model):
    """A file of an application, in the private storage under labs/; served only through
    :func:`dastan.labs.files.access_file`."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    field_key = models.SlugField(max_length=40)
    filename = models.CharField(max_length=255)
    storage_name = models.CharField(max_length=500)
    size_bytes = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)


class Screener(models.Model):
    """A film sent through the media pipeline as a private screener: an unpublished,
    ownerless catalogue title (so no organisation's people and no viewer can play it),
    played only through labs' own grants (:mod:`dastan.labs.screeners`)."""

    class Purpose(models.TextChoices):
        APPLICATION = "application", _("Application screener")
        ROUGH_CUT = "rough_cut", _("Rough cut")

    title = models.OneToOneField("catalog.Title", on_delete=models.CASCADE, related_name="lab_screener")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="screeners")
    room = models.ForeignKey("Room", null=True, blank=True, on_delete=models.CASCADE, related_name="cuts")
    field_key = models.SlugField(max_length=40, blank=True, default="")
    filename = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class Conflict(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300, blank=True, default="")
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "member"], name="labs_one_conflict")]


class Score(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    criterion = models.SlugField(max_length=40)
    points = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "member", "criterion"],
                                               name="labs_one_score_per_criterion")]


class Comment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class Session(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="UTC")
    place = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["starts_at", "pk"]


class Mentor(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="mentors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_mentorships")
    expertise = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "user"], name="labs_one_mentor_seat")]


class Room(models.Model):
    """A selected participant's room: their rough cuts and script drafts, and the mentors'
    notes on them."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="room")
    mentors = models.ManyToManyField(Mentor, related_name="rooms", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Note(models.Model):
    """A note on a rough cut pinned to a time in the film, threaded (replies) and open or
    resolved."""

    screener = models.ForeignKey(Screener, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    timecode_ms = models.PositiveIntegerField()
    text = models.TextField()
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["timecode_ms", "created_at", "pk"]


class ScriptDraft(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="drafts")
    version = models.PositiveIntegerField()
    text = models.TextField(help_text="Fountain")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version"]
        constraints = [models.UniqueConstraint(fields=["room", "version"], name="labs_one_draft_version")]


class ScriptNote(models.Model):
    draft = models.ForeignKey(ScriptDraft, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    line = models.PositiveIntegerField(help_text="1-based line of the draft")
    text = models.TextField()
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["line", "pk"]


def _certificate_code() -> str:
    return secrets.token_urlsafe(12)


class Certificate(models.Model):
    room = models.OneToOneField(Room, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(max_length=32, unique=True, default=_certificate_code)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


class Outcome(models.Model):
    """A film or project that came out of an edition: a catalogue title, or a plain
    reference to a bazaar project (its slug) until the bazaar app is connected."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="outcomes")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    title = models.ForeignKey("catalog.Title", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    bazaar_project = models.CharField(max_length=120, blank=True, default="")
    label = models.CharField(max_length=200)
