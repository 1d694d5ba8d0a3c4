"""The credentials panel shows, for each signed track, what plays now: the newest
credential of a track signed again, read as its manifest's assertion says."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dastan.catalog.tests.factories import TitleFactory
from dastan.credentials.models import ContentCredential
from dastan.credentials.panel import credential_views
from dastan.credentials.tests.factories import ContentCredentialFactory

pytestmark = pytest.mark.django_db


def test_a_track_signed_again_shows_only_its_newest_credential_with_engine_and_approver() -> None:
    title = TitleFactory.create()
    first = ContentCredentialFactory.create(title=title, language="ru", subject="voice:7")
    again = ContentCredentialFactory.create(title=title, language="ru", subject="voice:7")
    kazakh = ContentCredentialFactory.create(title=title, language="kk", subject="voice:8")
    ContentCredential.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=1))

    views = credential_views(ContentCredential.objects.filter(title=title))

    assert [(v.language, v.sha256) for v in views] == [("kk", kazakh.asset_sha256), ("ru", again.asset_sha256)]
    russian = views[1]
    assert russian.made_by == "espeak-ng (ru+m3 1.51)"
    assert (russian.machine, russian.ai_cues, russian.approved_by) == ("synthetic", "1", "Amina Reviewer")
    assert russian.verify_url == f"/api/v1/credentials/{again.asset_sha256}/verification"
