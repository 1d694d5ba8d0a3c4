"""The rights read cache (dastan/rights/cache.py): licences kept until a licence changes,
and links already handed out re-checked against the database itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from dastan.rights import cache as rights_cache
from dastan.rights.actions import grant_licence, revoke_licence
from dastan.rights.errors import NoLicenceForTerritory
from dastan.rights.playback import check_decision_still_allows
from dastan.rights.selectors import licences_covering

from .factories import make_title, owner_of, terms

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept(settings: Any) -> None:
    settings.DASTAN_RIGHTS_CACHE_S = 60  # off in the rest of the suite
    settings.DASTAN_TRUSTED_PROXIES = "127.0.0.1"
    cache.clear()


def test_a_licence_change_makes_kept_licences_stale(django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    title = make_title()
    before = rights_cache.current_version()
    assert licences_covering(title=title)[0] == ()
    with django_capture_on_commit_callbacks(execute=True):
        licence = grant_licence.execute(terms=terms(title_id=title.pk, start=date(2020, 1, 1), end=None),
                                        licensor=owner_of(title))
    assert rights_cache.current_version() != before
    assert [lic.ref for lic in licences_covering(title=title)[0]] == ["KZ-SVOD-14"]
    with django_capture_on_commit_callbacks(execute=True):
        revoke_licence.execute(licence=licence)
    assert licences_covering(title=title)[0] == ()


def test_a_revoked_licence_stops_links_even_where_the_kept_licences_are_older(settings: Any) -> None:
    """Another web process without a shared cache has not seen the revocation (here: its
    commit never ran the invalidation); the re-check of a link reads the database."""
    settings.DASTAN_MEDIA_RECHECK_S = 0
    title = make_title()
    licence = grant_licence.execute(terms=terms(title_id=title.pk, start=date(2020, 1, 1), end=None),
                                    licensor=owner_of(title))
    rights_cache.bump_version()
    assert licences_covering(title=title)[0]  # kept
    request = RequestFactory().get("/media/s/x/seg.m4s", HTTP_CF_IPCOUNTRY="KZ")
    claims = {"territory": "KZ", "grant": "g1", "title_id": title.pk}
    check_decision_still_allows(request=request, claims=claims)
    revoke_licence.execute(licence=licence)  # no invalidation reaches this process's cache
    assert licences_covering(title=title)[0]  # still the old answer here …
    with pytest.raises(NoLicenceForTerritory):  # … but the link stops
        check_decision_still_allows(request=request, claims=claims)
