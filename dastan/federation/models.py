"""What a node keeps about federation: its own keys, its peers with their sync ledger,
the feed positions of its own titles, and the titles and licence facts peers sent it.

Data and invariants only; the rules live in ``identity``, ``peering``, ``documents``
and ``exchange``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import pgettext_lazy


class NodeKey(models.Model):
    """One of this node's signing keys. The newest unretired key signs; a retired key
    stays in the discovery document, and valid for peers, until ``valid_until`` (the
    overlap after a rotation), after which peers refuse it as revoked."""

    key_id = models.CharField(max_length=300, unique=True)
    algorithm = models.CharField(max_length=20)
    private_pem = models.TextField()  # PKCS#8; never leaves this database
    public_pem = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key_id


class Peer(models.Model):
    """Another node, and where peering with it stands. ``requested``: we asked it;
    ``pending``: it asked us and an operator here has not answered; only ``accepted``
    lets anything flow, either way."""

    class State(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("peer nodes", "Requested (waiting for their answer)")
        PENDING = "pending", pgettext_lazy("peer nodes", "Pending (waiting for our operator)")
        ACCEPTED = "accepted", pgettext_lazy("peer nodes", "Accepted")
        DECLINED = "declined", pgettext_lazy("peer nodes", "Declined")
        ENDED = "ended", pgettext_lazy("peer nodes", "Ended")

    url = models.URLField(max_length=300, unique=True, help_text="the node's public address")
    name = models.CharField(max_length=200, blank=True, default="")
    country = models.CharField(max_length=2, blank=True, default="")
    state = models.CharField(max_length=10, choices=State.choices)
    reason = models.CharField(max_length=500, blank=True, default="", help_text="why declined or ended")
    # The peer's published keys as last fetched: [{"key_id", "algorithm", "pem", "valid_until"}]
    keys = models.JSONField(default=list, blank=True)
    keys_fetched_at = models.DateTimeField(null=True, blank=True)
    # What this node shares with the peer: every published title, or those of these owners.
    share_all = models.BooleanField(default=True)
    share_organisations = models.ManyToManyField("catalog.Organisation", blank=True, related_name="+")
    # Whether this node keeps cache copies of the peer's films where the peer's licence
    # facts allow it (mirrors.py): its operator's choice, it costs this node's disk.
    mirror = models.BooleanField(default=False)
    # The sync ledger.
    cursor = models.BigIntegerField(default=0, help_text="their feed position read up to")
    pushed_through = models.BigIntegerField(default=0, help_text="our feed position pushed up to")
    sent = models.PositiveIntegerField(default=0)
    acknowledged = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    retries = models.PositiveIntegerField(default=0, help_text="failed attempts in a row")
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")
    last_sync_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "url"]

    def __str__(self) -> str:
        return self.name or self.url

    @property
    def handle(self) -> str:
        """A short slug for this peer, used in local slugs of its titles."""
        return slugify(self.name)[:30] or f"peer{self.pk}"


class TitleState(models.Model):
    """Where one of this node's own titles stands in its feed: ``position`` orders the
    feed (a peer reads since a position), ``sequence`` counts the title's states (a
    receiver never lets an older state overwrite a newer one), ``stamp`` is what the
    last state was built from, so an unchanged title is not sent again."""

    title = models.OneToOneField("catalog.Title", on_delete=models.CASCADE, related_name="+")
    position = models.BigIntegerField(unique=True)
    sequence = models.BigIntegerField(default=1)
    stamp = models.CharField(max_length=64)
    document = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)


class RemoteTitle(models.Model):
    """A peer's title as its home node last described it, and the local catalogue
    title that shows it here (owned by a mirror of its owner; nobody here edits it)."""

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="titles")
    remote_slug = models.SlugField(max_length=120)
    sequence = models.BigIntegerField()
    document = models.JSONField()
    title = models.OneToOneField("catalog.Title", on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField(auto_now=True)
    # The cache copy of its HLS kept here (mirrors.py): the storage folder ("" for none) and
    # the home node's stream version it copies.
    mirror_prefix = models.CharField(max_length=300, blank=True, default="")
    mirror_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["peer", "remote_slug"], name="one_remote_title")]


class RemoteLicence(models.Model):
    """A licence fact of a remote title that this node accepted: what its catalogue
    decides with (through :func:`dastan.rights.decisions.decide_playback`)."""

    remote_title = models.ForeignKey(RemoteTitle, on_delete=models.CASCADE, related_name="licences")
    ref = models.CharField(max_length=60)
    licensor = models.CharField(max_length=200, blank=True, default="")
    row = models.JSONField(help_text="the licence as avails columns (dastan/rights/AVAILS.md)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["remote_title", "ref"], name="one_remote_licence")]


class LicenceAnswer(models.Model):
    """What a peer answered about one of our licence facts (ACCEPTED, REJECTED or
    CONFLICT, with its reason), shown to our operator and the licence's owner."""

    class Verdict(models.TextChoices):
        ACCEPTED = "ACCEPTED", "Accepted"
        REJECTED = "REJECTED", "Rejected"
        CONFLICT = "CONFLICT", "Conflict"

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="answers")
    title_slug = models.SlugField(max_length=120)
    ref = models.CharField(max_length=60)
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    reason = models.CharField(max_length=500, blank=True, default="")
    sequence = models.BigIntegerField()
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title_slug", "ref"]
        constraints = [models.UniqueConstraint(fields=["peer", "title_slug", "ref"], name="one_answer_per_fact")]
