"""Subtitle tracks and their cues, every version of every cue, reviews and approvals,
human translation tasks, glossaries and the translation memory."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dastan.catalog.languages import LANGUAGE_CHOICES
from dastan.i18n import render


class SubtitleTrack(models.Model):
    """One language's timed text for a title: the source transcript or a translation."""

    class Origin(models.TextChoices):
        ASR = "asr", _("Speech recognition")
        UPLOAD = "upload", _("Uploaded by the studio")
        MACHINE = "machine", _("Machine translation")
        HUMAN = "human", _("Human translation")

    class State(models.TextChoices):
        AWAITING_TRANSLATOR = "awaiting_translator", _("Waiting for a translator")
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    title = models.ForeignKey("catalog.Title", on_delete=models.CASCADE, related_name="subtitle_tracks")
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    is_source = models.BooleanField(default=False, help_text="the film's own language")
    source_track = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="translations")
    origin = models.CharField(max_length=10, choices=Origin.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # Engine, model, version, sha256, settings of what drafted it; pivot language if chained.
    provenance = models.JSONField(default=dict, blank=True)
    pivot_language = models.CharField(max_length=10, blank=True, default="")
    approvals_required = models.PositiveSmallIntegerField(default=1)
    fps = models.FloatField(default=25.0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # A voice ordered with the subtitles ("voice-over"; "" for subtitles only): made from
    # the text once people approve it, whichever route (engine, person, pivot) made it.
    voice_mode = models.CharField(max_length=12, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["title", "language"], name="one_track_per_language")]
        ordering = ["title_id", "language"]

    def __str__(self) -> str:
        return f"{self.title.slug} [{self.language}] {self.state}"

    @property
    def is_machine_made(self) -> bool:
        return self.origin in (self.Origin.ASR, self.Origin.MACHINE)


class Cue(models.Model):
    track = models.ForeignKey(SubtitleTrack, on_delete=models.CASCADE, related_name="cues")
    index = models.PositiveIntegerField()
    start_ms = models.PositiveIntegerField()
    end_ms = models.PositiveIntegerField()
    text = models.TextField(blank=True, default="", help_text="lines separated by newlines")
    speaker = models.CharField(max_length=80, blank=True, default="")
    # A reviewer may mark a cue as done; a voice cue too long to dub is flagged here.
    dub_overrun_ms = models.IntegerField(null=True, blank=True)
    # Bumped by every write: an editor saves "my text, made on revision n", and a save made
    # on an older revision is refused with the other person's text (no lost edits).
    revision = models.PositiveIntegerField(default=1)
    # The translator marked the cue finished (the editor's "approve cue" key).
    confirmed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["track_id", "index"]
        constraints = [models.UniqueConstraint(fields=["track", "index"], name="one_cue_per_index")]

    def __str__(self) -> str:
        return f"#{self.index} {self.start_ms}-{self.end_ms} {self.text[:30]}"


class CueRevision(models.Model):
    """Who or what wrote each version of a cue, kept forever."""

    cue = models.ForeignKey(Cue, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField(blank=True, default="")
    start_ms = models.PositiveIntegerField()
    end_ms = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    provenance = models.JSONField(default=dict, blank=True, help_text="engine that wrote it, if a machine")
    note = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cue_id", "created_at", "id"]


class Review(models.Model):
    """A person's verdict on a track: approve, or send back with a comment."""

    class Verdict(models.TextChoices):
        APPROVE = "approve", _("Approved")
        CHANGES = "changes", _("Changes requested")

    track = models.ForeignKey(SubtitleTrack, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    comment = models.TextField(blank=True, default="")
    # Reviews count only for the track's current text: an edit after approval voids them.
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class CueComment(models.Model):
    cue = models.ForeignKey(Cue, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField()
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)


class TranslationTask(models.Model):
    """Work for a person: a target language no engine covers, or a track sent back."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        SUBMITTED = "submitted", "Submitted"
        CANCELLED = "cancelled", "Cancelled"

    track = models.OneToOneField(SubtitleTrack, on_delete=models.CASCADE, related_name="task")
    organisation = models.ForeignKey("catalog.Organisation", null=True, blank=True, on_delete=models.CASCADE)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    due_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    commission = models.ForeignKey("Commission", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="tasks")
    # The languages still to come after this one on a human pivot route (ur → en → kk:
    # the en task has ["kk"]); each starts from this track once it is approved.
    then_languages = models.JSONField(default=list, blank=True)
    # The voice ordered for the last language of that route (the pivot itself is not voiced).
    then_voice_mode = models.CharField(max_length=12, blank=True, default="")
    # Who reviews the translation, and by when (assigned like the translator).
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="review_tasks")
    review_due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)


class GlossaryTerm(models.Model):
    """A name or term to keep, transliterate or force, per organisation or per title."""

    class Rule(models.TextChoices):
        KEEP = "keep", "Keep as written"
        FORCE = "force", "Always translate as"

    organisation = models.ForeignKey("catalog.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="glossary_terms")
    title = models.ForeignKey("catalog.Title", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="glossary_terms")
    source_language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    target_language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    source_term = models.CharField(max_length=200)
    target_term = models.CharField(max_length=200)
    rule = models.CharField(max_length=10, choices=Rule.choices, default=Rule.FORCE)
    note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        constraints = [models.CheckConstraint(
            condition=models.Q(organisation__isnull=False) | models.Q(title__isnull=False),
            name="glossary_term_has_scope")]


class MemoryEntry(models.Model):
    """An approved line, reused when the same source line comes again (a series' recap,
    an opening song)."""

    organisation = models.ForeignKey("catalog.Organisation", null=True, blank=True, on_delete=models.CASCADE)
    source_language = models.CharField(max_length=10)
    target_language = models.CharField(max_length=10)
    source_key = models.CharField(max_length=64, help_text="sha256 of the normalised source text")
    source_text = models.TextField()
    target_text = models.TextField()
    from_track = models.ForeignKey(SubtitleTrack, null=True, blank=True, on_delete=models.SET_NULL)
    approved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["organisation", "source_language", "target_language", "source_key"],
            name="one_memory_entry_per_source")]


class StyleProfileOverride(models.Model):
    """An organisation's changes to a language's subtitle style profile."""

    organisation = models.ForeignKey("catalog.Organisation", on_delete=models.CASCADE,
                                     related_name="style_profiles")
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    values = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "language"], name="one_profile_per_org_language")]


class VoiceTrack(models.Model):
    """A synthesized voice-over or dub of an approved subtitle track, and how it came out."""

    class State(models.TextChoices):
        UNAVAILABLE = "unavailable", _("No voice for this language")
        IN_REVIEW = "in_review", _("Waiting for a listener's approval")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    subtitle_track = models.OneToOneField(SubtitleTrack, on_delete=models.CASCADE, related_name="voice")
    mode = models.CharField(max_length=12, default="voice-over")  # "voice-over" | "full-dub"
    state = models.CharField(max_length=12, choices=State.choices)
    reason = models.CharField(max_length=300, blank=True, default="", help_text="why there is no voice")
    storage_name = models.CharField(max_length=500, blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)
    # {"integrated_lufs", "true_peak_dbtp", "lra_lu", "target_lufs"} measured after the mix.
    loudness = models.JSONField(default=dict, blank=True)
    # {"untouched", "stretched", "borrowed", "flagged"}
    fit_counts = models.JSONField(default=dict, blank=True)
    provenance = models.JSONField(default=list, blank=True)
    casting = models.JSONField(default=dict, blank=True, help_text="speaker → voice id")
    # cue index → storage name of that cue's fitted speech, for listening cue by cue.
    cue_audio = models.JSONField(default=dict, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    rendered_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.subtitle_track} voice [{self.state}]"


class DeclaredLanguagePair(models.Model):
    """A language pair a person says they translate (Urdu → English in Lahore, English →
    Kazakh in Almaty): the desk proposes human routes, pivots included, from these."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_pairs")
    source_language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    target_language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "source_language", "target_language"],
                                               name="one_declared_pair_per_person")]
        ordering = ["user_id", "source_language", "target_language"]


class Commission(models.Model):
    """A studio's order to a localization house (another organisation) for named titles
    and languages, for a term: during it the house's translators and reviewers work on
    those titles' tracks in those languages, and on nothing else of the studio's."""

    studio = models.ForeignKey("catalog.Organisation", on_delete=models.CASCADE, related_name="commissions_given")
    house = models.ForeignKey("catalog.Organisation", on_delete=models.CASCADE, related_name="commissions_taken")
    titles = models.ManyToManyField("catalog.Title", related_name="commissions")
    languages = models.JSONField(default=list, help_text="target language codes")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(help_text="the deadline: access ends here")
    ended_at = models.DateTimeField(null=True, blank=True, help_text="ended early by the studio")
    note = models.CharField(max_length=300, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.studio} → {self.house} {self.languages}"


class Notification(models.Model):
    """A line for one person: a task assigned, a reminder, a track sent back."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300)
    # The text's message ids and values (dastan.i18n.describe): shown in the reader's language;
    # ``text`` is as it was written, in the recipient's language then (rows from before: as is).
    text_i18n = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def shown_text(self) -> str:
        """The text in the active language (the reader's: a person reads only their own)."""
        return render(self.text_i18n, self.text)


class WaveformPeaks(models.Model):
    """A title's sound as min/max peaks (audiowaveform's binary .dat, version 2), computed
    once by a job, with the shot changes and speech onsets the editor snaps to."""

    title = models.ForeignKey("catalog.Title", on_delete=models.CASCADE, related_name="waveforms")
    asset_id = models.PositiveIntegerField(help_text="the mezzanine it was computed from")
    storage_name = models.CharField(max_length=500)
    sample_rate_hz = models.PositiveIntegerField()
    samples_per_pixel = models.PositiveIntegerField()
    length = models.PositiveIntegerField(help_text="pixels (min/max pairs)")
    duration_ms = models.PositiveIntegerField()
    shot_changes_ms = models.JSONField(default=list, blank=True)
    speech_onsets_ms = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["title", "asset_id"], name="one_waveform_per_asset")]
