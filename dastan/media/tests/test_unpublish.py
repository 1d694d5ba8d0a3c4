"""Unpublishing takes a film away from viewers and deletes nothing; publishing brings the
same version back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dastan.accounts.models import Membership
from dastan.accounts.permissions import NotAllowed as NotAMember
from dastan.catalog.errors import TitleNotFound
from dastan.catalog.models import Title
from dastan.catalog.tests.factories import OrganisationFactory, member_of
from dastan.jobs.services import run_queued_jobs
from dastan.media.errors import NotPublished
from dastan.media.models import Stream, Version
from dastan.media.playback import build_master_playlist
from dastan.media.publishing import is_in_front_of_viewers, publish_title, unpublish_title
from dastan.media.services import submit_ingest
from dastan.media.tests.conftest import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def packaged_title(title: Title, small_film: Path) -> Title:
    owner: Any = OrganisationFactory()
    title.owner = owner
    title.is_published = True
    title.save()
    submit_ingest(title=title, path=small_film)
    run_queued_jobs()
    return title


@pytest.mark.slow
def test_unpublish_refuses_the_master_playlist_and_keeps_every_file(packaged_title: Title, _media_root: Path) -> None:
    files_before = stored_files(_media_root)
    editor = member_of(packaged_title.owner)

    was_current = unpublish_title(title=packaged_title, by=editor)

    assert was_current is not None and was_current.number == 1
    packaged_title.refresh_from_db()
    with pytest.raises(TitleNotFound, match="No title 'maula-jatt-test' in this catalog"):  # to viewers
        build_master_playlist(title=packaged_title)
    assert not packaged_title.is_published and not is_in_front_of_viewers(packaged_title)
    assert Version.objects.filter(title=packaged_title).count() == 1
    assert stored_files(_media_root) == files_before


@pytest.mark.slow
def test_publish_after_unpublish_brings_the_same_version_back(packaged_title: Title) -> None:
    unpublish_title(title=packaged_title, by=None)

    version = publish_title(title=packaged_title, by=None)

    assert version.number == 1
    assert Stream.objects.get(title=packaged_title).current == version
    assert "#EXTM3U" in build_master_playlist(title=packaged_title)
    packaged_title.refresh_from_db()
    assert packaged_title.is_published


def test_publish_without_a_packaged_film_says_to_upload_first(title: Title) -> None:
    with pytest.raises(NotPublished, match="no film to publish yet"):
        publish_title(title=title, by=None)


def test_a_reviewer_may_not_unpublish_and_is_told_whom_to_ask(title: Title) -> None:
    owner: Any = OrganisationFactory(name="Lollywood Pictures")
    title.owner = owner
    title.save()
    reviewer = member_of(title.owner, role=Membership.Role.REVIEWER)

    with pytest.raises(NotAMember, match="Lollywood Pictures"):
        unpublish_title(title=title, by=reviewer)
