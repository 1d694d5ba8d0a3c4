"""Licences, their revisions, release dates, seats, and the per-country availability index.

Data and invariants only: the rules live in ``terms``, ``windows``, ``clash`` and
``decisions``; changes go through ``actions`` so that every change leaves a revision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dastan.rights.terms import LicenceType, Quality


class Licence(models.Model):
    """The current terms of a licence; ``revisions`` keep every earlier state."""

    ref = models.CharField(max_length=60, unique=True, help_text="e.g. KZ-SVOD-14")
    title = models.ForeignKey("catalog.Title", on_delete=models.CASCADE, related_name="licences")
    edit = models.CharField(max_length=60, blank=True, default="",
                            help_text="an edit of the title (e.g. 'festival cut'); blank: every edit")
    licensor = models.ForeignKey("catalog.Organisation", on_delete=models.PROTECT,
                                 related_name="licences_granted")
    licensee = models.ForeignKey("catalog.Organisation", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="licences_held")
    licensee_node = models.CharField(max_length=200, blank=True, default="",
                                     help_text="a federation node's address, for licences to a peer")
    licence_type = models.CharField(max_length=10, choices=[(t.value, t.value) for t in LicenceType])
    territories_included = models.JSONField(default=list)
    territories_excluded = models.JSONField(default=list, blank=True)  # none excluded: a valid licence
    start_date = models.DateField(null=True, blank=True)
    start_event = models.CharField(max_length=20, blank=True, default="")
    start_lag_days = models.IntegerField(default=0)
    end_date = models.DateField(null=True, blank=True)
    end_event = models.CharField(max_length=20, blank=True, default="")
    end_lag_days = models.IntegerField(default=0)
    exclusive = models.BooleanField(default=False)
    audio_languages = models.JSONField(default=list, blank=True)
    subtitle_languages = models.JSONField(default=list, blank=True)
    holdback_languages = models.JSONField(default=list, blank=True)
    max_quality = models.CharField(max_length=3, choices=[(q.value, q.value) for q in Quality],
                                   default=Quality.HD.value)
    download_allowed = models.BooleanField(default=False)
    view_cap = models.PositiveIntegerField(null=True, blank=True)
    contract_reference = models.CharField(max_length=120, blank=True, default="")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title_id", "ref"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=False) | ~models.Q(start_event=""),
                name="licence_has_a_start"),
        ]

    def __str__(self) -> str:
        return self.ref


class LicenceRevision(models.Model):
    """One state of a licence, never changed once written: who changed what, when."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    terms = models.JSONField(help_text="the licence's terms as the avails columns write them")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["licence_id", "number"]
        constraints = [models.UniqueConstraint(fields=["licence", "number"], name="one_revision_number")]


class ReleaseDate(models.Model):
    """A title's release in a country ("theatrical" on 1 December 2026): what lags count from."""

    title = models.ForeignKey("catalog.Title", on_delete=models.CASCADE, related_name="release_dates")
    country = models.CharField(max_length=2)
    event = models.CharField(max_length=20)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["title", "country", "event"],
                                               name="one_release_per_event")]


class LicenceSeat(models.Model):
    """A viewer holding one of a seat-capped (festival) licence's seats."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["licence", "user"], name="one_seat_per_viewer")]


class Availability(models.Model):
    """Index: a licence resolved for one country to instants, rebuilt whenever it changes.

    Lets the catalog ask "what may be watched in KZ now" in one query instead of
    resolving every licence in Python. ``opens_at`` null: the start waits for a release
    date; ``closes_at`` null: no end.
    """

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="availability")
    title = models.ForeignKey("catalog.Title", on_delete=models.CASCADE, related_name="+")
    country = models.CharField(max_length=2)
    opens_at = models.DateTimeField(null=True)
    closes_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["country", "opens_at", "closes_at"])]


class AvailsMapping(models.Model):
    """How one distributor's avails files read: its header cells → Dastan's columns, saved
    by a rights manager of the importing organisation and applied again to the next file
    that distributor sends (chosen by name, or found by the same header)."""

    organisation = models.ForeignKey("catalog.Organisation", on_delete=models.CASCADE, related_name="+")
    distributor = models.CharField(max_length=100)
    header = models.JSONField(help_text="the file's header cells, in order")
    columns = models.JSONField(help_text="header cell → Dastan column ('' for not read)")
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "distributor"],
                                               name="one_avails_mapping_per_distributor")]
        ordering = ["distributor"]

    def __str__(self) -> str:
        return f"{self.distributor} ({self.organisation_id})"
