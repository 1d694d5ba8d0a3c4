"""What the verifier must remember: nonces seen inside the window (replay), and the
requests it refused with their reasons (shown to the operator)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext

from dastan.signing.reasons import reason_text


class SeenNonce(models.Model):
    """One signed request accepted: its key and nonce may not be used again."""

    key_id = models.CharField(max_length=200)
    nonce = models.CharField(max_length=200)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key_id", "nonce"], name="signing_nonce_once")]


class RefusedRequest(models.Model):
    """A request refused for its signature: who it claimed to be and why it was refused.
    ``channel`` names the door (``federation``, ``compute``) so each page lists its own."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    channel = models.CharField(max_length=30)
    code = models.CharField(max_length=30)
    reason = models.CharField(max_length=500)  # in English, as the refusal said it
    # The refusal's id in dastan.signing.reasons.REASONS and its parameters, so that each
    # reader reads it in their language; empty in rows stored before them (shown as stored).
    reason_id = models.CharField(max_length=60, blank=True, default="")
    params = models.JSONField(blank=True, default=dict)
    # True for an answer this node refused (to a request it made), false for a request.
    answer = models.BooleanField(default=False)
    key_id = models.CharField(max_length=200, blank=True, default="")
    method = models.CharField(max_length=10, blank=True, default="")
    path = models.CharField(max_length=500, blank=True, default="")
    remote_addr = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.channel} {self.code}: {self.reason}"

    def said(self) -> str:
        """Why it was refused, in the active language; the stored English words for a row
        without a reason id (or with one this version no longer knows)."""
        if not self.reason_id:
            return self.reason
        said = reason_text(self.reason_id, self.params, english=self.reason)
        if self.answer and said != self.reason:
            # Translators: a peer's answer to this node's request, refused; %(reason)s says why.
            said = gettext("answer refused: %(reason)s") % {"reason": said}
        return said
