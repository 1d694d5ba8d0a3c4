"""Taking a title's film away from viewers and bringing it back, without deleting anything.

A title is in front of viewers when it is listed (``Title.is_published``) and its
:class:`~dastan.media.models.Stream` points at a version (``playback.check_playable``,
asked by every playback path). Unpublishing clears both in one transaction: the catalog
stops listing it, and its master playlist, watch pages, stream API and the links already
handed out answer 404 (links within ``DASTAN_MEDIA_RECHECK_S``); every version, rendition
and file stays where it is. Packaging a new version (a re-ingest, an added track) points
the stream at it but never lists the title: only :func:`publish_title` does, pointing the
stream back at the latest version (versions only grow) and listing the title again.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from dastan.accounts.permissions import Action, check
from dastan.catalog import services as catalog_services
from dastan.catalog.models import Title
from dastan.i18n import gettext
from dastan.media.errors import NotPublished
from dastan.media.models import Stream, Version

log = logging.getLogger(__name__)


def latest_version(title: Title) -> Version | None:
    return Version.objects.filter(title=title).order_by("-number").first()


def is_in_front_of_viewers(title: Title) -> bool:
    return title.is_published and Stream.objects.filter(title=title).exists()


def publish_title(*, title: Title, by: Any | None) -> Version:
    """List ``title`` and point its stream at its latest version; returns that version.

    Raises NotAllowed when ``by`` may not publish for the title's owner, NotPublished when
    the title has no version yet (its film was never packaged). Calling it again changes
    nothing."""
    if by is not None:
        check(user=by, action=Action.PUBLISH, organisation=title.owner, hidden=not title.is_published)
    version = latest_version(title)
    if version is None:
        raise NotPublished(gettext("'%(title)s' has no film to publish yet.") % {"title": title.slug},
                           gettext("Upload the film and wait for its package job to finish, then publish."))
    with transaction.atomic():
        Stream.objects.update_or_create(title=title, defaults={"current": version})
        Title.objects.filter(pk=title.pk).update(is_published=True)
        catalog_services.changed()
    title.is_published = True
    log.info("%s published (version %s) by %s", title.slug, version.number, by)
    return version


def unpublish_title(*, title: Title, by: Any | None) -> Version | None:
    """Take ``title`` away from viewers: unlist it and drop its stream pointer, so its
    master playlist answers 404 to viewers. Versions, renditions and files stay, and
    :func:`publish_title` brings the same version back. Returns the version that was
    current (None if there was none). Raises NotAllowed like :func:`publish_title`."""
    if by is not None:
        check(user=by, action=Action.PUBLISH, organisation=title.owner, hidden=not title.is_published)
    with transaction.atomic():
        stream = Stream.objects.select_for_update().select_related("current").filter(title=title).first()
        current = stream.current if stream else None
        if stream is not None:
            stream.delete()  # the pointer only: Version is PROTECTed and stays
        Title.objects.filter(pk=title.pk).update(is_published=False)
        catalog_services.changed()
    title.is_published = False
    log.info("%s unpublished by %s (version %s kept)", title.slug, by, current.number if current else "-")
    return current
