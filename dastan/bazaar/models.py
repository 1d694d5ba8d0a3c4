"""The bazaar's data: profiles, projects and their history, interest, meeting slots,
notifications, and scripts shared under NDA with their acceptance records and audit.

Invariants live here as constraints: a profile is an organisation's or one person's,
never both; a slot has at most one meeting (double-booking is impossible in the
database itself); a recipient has one grant per script; a copy's mark seed is unique.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from dastan.bazaar.taxonomy import DECLINE_REASONS, FORMATS, PROFILE_KINDS, STAGES, VISIBILITIES
from dastan.catalog.languages import LANGUAGE_CHOICES
from dastan.i18n import render

USER = settings.AUTH_USER_MODEL


class TextOrigin(models.TextChoices):
    ORIGINAL = "original", "Original"
    HUMAN = "human", "Human translation"
    MACHINE = "machine", "Machine translation"


class Profile(models.Model):
    """An organisation's or an individual's page in the market: what they offer."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=list(PROFILE_KINDS.items()))
    organisation = models.OneToOneField("catalog.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                        related_name="bazaar_profile")
    user = models.OneToOneField(USER, null=True, blank=True, on_delete=models.CASCADE, related_name="bazaar_profile")
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    city = models.CharField(max_length=100, blank=True, default="")
    timezone = models.CharField(max_length=64, default="UTC", help_text="IANA zone, e.g. Asia/Karachi")
    strengths = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    territories = models.JSONField(default=list, blank=True, help_text="where it distributes (country codes)")
    compute_workers = models.JSONField(default=list, blank=True, help_text="names of workers it shares")
    original_language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES, default="en")
    search_index = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(
            condition=(Q(organisation__isnull=False) & Q(user__isnull=True))
            | (Q(organisation__isnull=True) & Q(user__isnull=False)),
            name="profile_is_an_organisations_or_a_persons")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_individual(self) -> bool:
        return self.user_id is not None


class ProfileText(models.Model):
    """A profile's presentation in one language, and who wrote it (as the catalogue marks)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    about = models.TextField()
    origin = models.CharField(max_length=10, choices=TextOrigin.choices, default=TextOrigin.HUMAN)
    provenance = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "language"], name="one_profile_text_per_language")]


class PastCredit(models.Model):
    """Work a profile did: a catalogue title where one exists, else its name."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="credits")
    title = models.ForeignKey("catalog.Title", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=300, blank=True, default="")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    strength = models.CharField(max_length=30, blank=True, default="")
    countries = models.JSONField(default=list, blank=True, help_text="co-production countries")


class Project(models.Model):
    """A film or series looking for partners. ``needs`` is a list of
    {"strength": slug, "countries": [..], "territories": [..]}."""

    slug = models.SlugField(max_length=80, unique=True)
    owner = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(max_length=300)
    original_language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES, default="en")
    genre = models.CharField(max_length=40, blank=True, default="")
    format = models.CharField(max_length=20, choices=list(FORMATS.items()))
    stage = models.CharField(max_length=20, choices=list(STAGES.items()))
    budget_min = models.PositiveBigIntegerField(default=0)
    budget_max = models.PositiveBigIntegerField(default=0)
    currency = models.CharField(max_length=3, default="USD")
    financing_secured_pct = models.PositiveSmallIntegerField(default=0)
    languages = models.JSONField(default=list, blank=True)
    countries = models.JSONField(default=list, blank=True, help_text="co-production countries so far")
    needs = models.JSONField(default=list, blank=True)
    attached = models.JSONField(default=list, blank=True, help_text='[{"name": .., "role": ..}]')
    visibility = models.CharField(max_length=10, choices=list(VISIBILITIES.items()), default="members")
    invited: models.ManyToManyField[Any, Any] = models.ManyToManyField(USER, blank=True,
                                                                       related_name="bazaar_invitations")
    revision = models.PositiveIntegerField(default=1)
    search_index = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(financing_secured_pct__lte=100),
                                              name="financing_is_a_percentage")]

    def __str__(self) -> str:
        return self.title


class ProjectText(models.Model):
    """A project's logline and synopsis in one language, marked human or machine."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    logline = models.CharField(max_length=500)
    synopsis = models.TextField(blank=True, default="")
    origin = models.CharField(max_length=10, choices=TextOrigin.choices, default=TextOrigin.HUMAN)
    provenance = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "language"], name="one_project_text_per_language")]


class ProjectMaterial(models.Model):
    """A script, lookbook, teaser or rough cut; teasers and cuts are catalogue titles that
    went through the media pipeline (unpublished, so only the owner's people see them)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(max_length=20)
    label = models.CharField(max_length=200)
    title = models.ForeignKey("catalog.Title", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    script = models.ForeignKey("bazaar.Script", null=True, blank=True, on_delete=models.CASCADE, related_name="+")


class ProjectChange(models.Model):
    """One revision of a project: which fields changed, from what to what, by whom."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="changes")
    revision = models.PositiveIntegerField()
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    fields = models.JSONField(default=dict)  # {"stage": ["development", "financing"], ...}

    class Meta:
        ordering = ["-revision"]
        constraints = [models.UniqueConstraint(fields=["project", "revision"], name="one_change_per_revision")]


class Interest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="interests")
    sender = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="interests_sent")
    sent_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decline_reason = models.CharField(max_length=30, blank=True, default="", choices=list(DECLINE_REASONS.items()))
    decline_note = models.TextField(blank=True, default="")
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "sender"], name="one_interest_per_sender")]


class Slot(models.Model):
    """Time a profile offers for meetings at a market event, stored in UTC and shown in
    each side's own zone."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    duration_min = models.PositiveSmallIntegerField(default=20)
    event = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["profile", "starts_at"], name="one_slot_per_start")]


class Meeting(models.Model):
    # One meeting per slot, enforced by the database: of concurrent bookings exactly one
    # insert succeeds, whatever the web server's processes or threads do.
    slot = models.OneToOneField(Slot, on_delete=models.CASCADE, related_name="meeting")
    host = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="meetings_hosted")
    guest = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="meetings_booked")
    booked_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    notes = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)


class Notification(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="bazaar_notifications")
    text = models.CharField(max_length=500)
    # The text's message ids and values (dastan.i18n.describe): shown in the reader's language;
    # ``text`` is as it was written, in the recipient's language then (rows from before: as is).
    text_i18n = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def shown_text(self) -> str:
        """The text in the active language (the reader's: a person reads only their own)."""
        return render(self.text_i18n, self.text)


class Script(models.Model):
    """A script file (PDF; Fountain is rendered to PDF on upload) shared under an NDA."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scripts")
    name = models.CharField(max_length=300)
    path = models.CharField(max_length=500, help_text="the owner's PDF, relative to MEDIA_ROOT")
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(default=0)
    nda_text = models.TextField()
    nda_version = models.CharField(max_length=20, default="1")
    allow_download = models.BooleanField(default=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ScriptGrant(models.Model):
    """One named recipient's access to one script, and the seed of their copy's mark."""

    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="grants")
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="script_grants")
    organisation_name = models.CharField(max_length=200, blank=True, default="")
    mark_seed = models.BigIntegerField(unique=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    granted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["script", "recipient"], name="one_grant_per_recipient")]


class NdaAcceptance(models.Model):
    """The record that a recipient accepted the NDA before the first byte: the text as
    shown, its hash and version, what they did, when, as whom and from where."""

    grant = models.ForeignKey(ScriptGrant, on_delete=models.CASCADE, related_name="acceptances")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    nda_version = models.CharField(max_length=20)
    nda_sha256 = models.CharField(max_length=64)
    text_shown = models.TextField()
    action = models.CharField(max_length=300)
    accepted_at = models.DateTimeField(auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True, default="")


class ScriptEvent(models.Model):
    """The audit log the owner sees: every view, download, acceptance, grant and revocation."""

    class Kind(models.TextChoices):
        GRANTED = "granted", "Granted"
        NDA_ACCEPTED = "nda_accepted", "NDA accepted"
        VIEWED = "viewed", "Viewed"
        DOWNLOADED = "downloaded", "Downloaded"
        REVOKED = "revoked", "Revoked"
        REFUSED = "refused", "Refused"

    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="events")
    grant = models.ForeignKey(ScriptGrant, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    page = models.PositiveIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True, default="")
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
