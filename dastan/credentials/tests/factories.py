"""Rows for credentials tests: a credential as the node recorded it after signing an AI
voice track of a title of a real organisation. A row only: no manifest or signed file
lies behind its names; a test of signing or verifying calls the services, which sign."""

from __future__ import annotations

import factory

from dastan.catalog.tests.factories import TitleFactory
from dastan.credentials.manifests import SYNTHETIC
from dastan.credentials.models import ContentCredential

__all__ = ["ContentCredentialFactory"]


class ContentCredentialFactory(factory.django.DjangoModelFactory[ContentCredential]):
    class Meta:
        model = ContentCredential

    title = factory.SubFactory(TitleFactory)
    language = "ru"
    kind = "voice"
    subject = factory.Sequence(lambda n: f"voice:{n + 1}")
    asset_sha256 = factory.Sequence(lambda n: f"{n:064x}")
    asset_name = factory.LazyAttribute(lambda o: f"credentials/{o.asset_sha256}.wav")
    manifest_name = factory.LazyAttribute(lambda o: f"credentials/{o.asset_sha256}.c2pa")
    # What manifest_definition() signs as Dastan's own assertion.
    summary = factory.LazyAttribute(lambda o: {
        "what": f"{o.language} voice-over", "digital_source_type": SYNTHETIC,
        "made_by": [{"engine": "espeak-ng", "model": f"{o.language}+m3", "version": "1.51"}],
        "source": {"ai_cues": [{"index": 1}]}, "approved_by": ["Amina Reviewer"]})
