"""Human dubbing and what keeps machine contributions honest: people's consent to the use
of their voice, the cast of a dub, recorded takes and studio stems, the finished human
dub, and the disclosure rules per territory (content credentials live in
``dastan.credentials``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    """One person's consent to the use of their voice, with its scope and its evidence.

    Empty scope lists mean "any" (every title of the organisation, every language, every
    territory, every medium). Synthesis from the person's voice and voice cloning stay
    off unless the consent says so explicitly."""

    class Evidence(models.TextChoices):
        SIGNED_FORM = "signed_form", _("Signed form (uploaded)")
        CLICK_THROUGH = "click_through", _("Accepted click-through")

    organisation = models.ForeignKey("catalog.Organisation", on_delete=models.CASCADE, related_name="consents")
    person_name = models.CharField(max_length=200)
    person_contact = models.CharField(max_length=200, blank=True, default="")
    titles = models.ManyToManyField("catalog.Title", blank=True, related_name="voice_consents")
    languages = models.JSONField(default=list, blank=True, help_text="BCP 47 codes; [] = any")
    territories = models.JSONField(default=list, blank=True, help_text="ISO alpha-2 countries; [] = worldwide")
    media = models.JSONField(default=list, blank=True, help_text="streaming, broadcast, theatrical; [] = any")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="last day covered; empty = no end")
    allows_synthesis = models.BooleanField(default=False, help_text="a synthetic voice may be based on this person")
    allows_cloning = models.BooleanField(default=False, help_text="the voice may be cloned")
    evidence_kind = models.CharField(max_length=20, choices=Evidence.choices)
    evidence_name = models.CharField(max_length=500, blank=True, default="", help_text="stored signed form")
    evidence_sha256 = models.CharField(max_length=64, help_text="of the form file, or of the click-through text")
    clickthrough_text = models.TextField(blank=True, default="")
    accepted_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["person_name", "pk"]

    def __str__(self) -> str:
        return f"{self.person_name} ({'revoked' if self.revoked_at else 'active'})"


class CastRole(models.Model):
    """Who speaks a character of a dub: a voice actor (with a consent) or a synthetic voice."""

    class Kind(models.TextChoices):
        ACTOR = "actor", _("Voice actor")
        SYNTHETIC = "synthetic", _("Synthetic voice")

    track = models.ForeignKey("localization.SubtitleTrack", on_delete=models.CASCADE, related_name="cast_roles")
    speaker = models.CharField(max_length=80, blank=True, default="", help_text="'' is the narrator")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="roles")
    voice_id = models.CharField(max_length=120, blank=True, default="", help_text="synthetic voice id")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["track", "speaker"], name="one_role_per_speaker")]
        ordering = ["track_id", "speaker"]


class Take(models.Model):
    """One recording of one cue, made in the booth; one take per cue is the chosen one.

    A reviewer listens to it against the picture on the review desk and approves it or
    sends it back with a note to the actor, which the booth shows at that cue."""

    class Review(models.TextChoices):
        WAITING = "", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        SENT_BACK = "sent_back", _("Sent back to the actor")

    track = models.ForeignKey("localization.SubtitleTrack", on_delete=models.CASCADE, related_name="takes")
    cue = models.ForeignKey("localization.Cue", on_delete=models.CASCADE, related_name="takes")
    number = models.PositiveIntegerField()
    storage_name = models.CharField(max_length=500)
    # {"onset_ms", "length_ms", "cue_ms", "late_ms", "over_ms", "peak_dbfs", "rms_dbfs", "advice": [...]}
    measurement = models.JSONField(default=dict)
    chosen = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    review = models.CharField(max_length=10, choices=Review.choices, blank=True, default=Review.WAITING)
    review_note = models.CharField(max_length=500, blank=True, default="", help_text="what the actor should change")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cue_id", "number"]
        constraints = [models.UniqueConstraint(fields=["cue", "number"], name="one_take_number_per_cue")]


class StemDelivery(models.Model):
    """Stems a dubbing studio delivered, with the node's check of them."""

    class Kind(models.TextChoices):
        PER_CHARACTER = "per_character", _("Per-character stems")
        FULL_MIX = "full_mix", _("Full dub mix")

    track = models.ForeignKey("localization.SubtitleTrack", on_delete=models.CASCADE, related_name="stem_deliveries")
    studio = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    stems = models.JSONField(default=dict, help_text="speaker ('' for a full mix) → storage name")
    me_stem_name = models.CharField(max_length=500, blank=True, default="")
    report = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class HumanDub(models.Model):
    """A dub or voice-over spoken by people (booth takes or studio stems), mixed and
    measured, waiting for approval or published."""

    class State(models.TextChoices):
        IN_REVIEW = "in_review", _("Waiting for a listener's approval")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        CONSENT_REVIEW = "consent_review", _("Back in review: a consent was revoked")

    track = models.OneToOneField("localization.SubtitleTrack", on_delete=models.CASCADE, related_name="human_dub")
    mode = models.CharField(max_length=12, default="full-dub")  # "voice-over" | "full-dub"
    source = models.CharField(max_length=10, default="booth")  # "booth" | "studio"
    studio_credit = models.CharField(max_length=200, blank=True, default="")
    state = models.CharField(max_length=20, choices=State.choices, default=State.IN_REVIEW)
    reason = models.CharField(max_length=300, blank=True, default="")
    storage_name = models.CharField(max_length=500)
    duration_ms = models.PositiveIntegerField(default=0)
    loudness = models.JSONField(default=dict, blank=True)
    # cue index → "take:<id>" | "stem:<speaker>" | "mix" | "synthetic:<voice id>"
    cue_sources = models.JSONField(default=dict, blank=True)
    # Machine speech in the dub: cues of characters cast to a synthetic voice (``ai_cues``,
    # spoken by ``ai_provenance``), or booth takes that were synthesized speech played into
    # the booth (the demo, ``booth_speech_is_synthetic``). Either makes it "human + AI".
    has_synthetic_cues = models.BooleanField(default=False)
    booth_speech_is_synthetic = models.BooleanField(default=False)
    ai_cues = models.JSONField(default=list, blank=True, help_text='[{"index", "speaker", "voice_id", "start_ms"}]')
    ai_provenance = models.JSONField(default=list, blank=True, help_text='[{"engine", "model", "version"}]')
    consents = models.ManyToManyField(Consent, blank=True, related_name="dubs")
    territories = models.JSONField(default=list, blank=True, help_text="where it was published")
    rendition_id = models.PositiveIntegerField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    mixed_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"human dub of {self.track_id} [{self.state}]"


class DisclosureRule(models.Model):
    """What a viewer in a territory is shown about machine-made tracks, and what metadata
    is written. ``territory`` is a country code, 'EU' (every member state) or '*'."""

    territory = models.CharField(max_length=3, unique=True)
    visible_label_s = models.FloatField(default=0.0, help_text="seconds of a visible label at playback start")
    notice = models.CharField(max_length=12, default="unobtrusive")  # "prominent" | "unobtrusive" | "none"
    machine_readable = models.BooleanField(default=True, help_text="write the marking into playlist and page")
    label_text = models.CharField(max_length=200, blank=True, default="")
    legal_basis = models.CharField(max_length=200, blank=True, default="")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["territory"]

    def __str__(self) -> str:
        return f"{self.territory}: label {self.visible_label_s:g} s, {self.notice}"
