"""No N+1 on a viewer's or the studio's pages: each page is fetched with N and then 3N
titles (with texts, genres, credits, seasons, review tracks and jobs) and must run the
same number of queries. A page whose count grows with the catalogue fails, naming it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dastan.accounts.models import Membership
from dastan.catalog import services
from dastan.catalog.tests.factories import OrganisationFactory, make_title, member_of
from dastan.jobs.services import submit_job
from dastan.localization.models import SubtitleTrack

pytestmark = pytest.mark.django_db

N = 4
PAGES = {
    "home": "/",
    "catalogue page": "/?page=1&genre=drama",
    "title page": "/titles/the-series/",
    "search": "/search/?q=Film",
    "studio home": "/studio/",
    "review desk": "/studio/review/",
    "catalogue API page of titles": "/api/v1/catalog/titles?page_size=100&language=ru",
    "catalogue API search": "/api/v1/catalog/search?q=Film&limit=100",
    "catalogue API title": "/api/v1/catalog/titles/the-series",
}


def _add_titles(*, studio: Any, series: Any, count: int, start: int) -> None:
    drama = services.ensure_genre(slug="drama", names={"en": "Drama", "ru": "Драма"})
    comedy = services.ensure_genre(slug="comedy", names={"en": "Comedy"})
    for i in range(start, start + count):
        title = make_title(names={"en": f"Film {i}", "ru": f"Фильм {i}", "ur": f"فلم {i}"}, owner=studio,
                           slug=f"film-{i}", synopses={"en": "A film."})
        services.update_title(by=None, title=title, genres=[drama, comedy])
        services.add_credit(title=series, name=f"Actor {i}", role="cast", character=f"Part {i}")
        services.add_credit(title=title, name=f"Director {i}", role="director")
        services.create_title(by=None, owner=studio, slug=f"the-series-{i}", kind="season",
                              original_language="en", country_of_origin="PK", name=f"Season {i}",
                              parent=series, number=i + 1, is_published=True)
        SubtitleTrack.objects.create(title=title, language="ru", origin=SubtitleTrack.Origin.HUMAN,
                                     state=SubtitleTrack.State.IN_REVIEW)
        submit_job(kind="media.ingest", target=title, params={})


def _counts(client: Client, only: tuple[str, ...] = ()) -> dict[str, int]:
    counts = {}
    for name, url in PAGES.items():
        if only and name not in only:
            continue
        client.get(url)  # warm per-process caches (sessions, content types) before counting
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, f"{name} ({url}) answered {response.status_code}"
        counts[name] = len(queries)
    return counts


def test_no_page_runs_more_queries_when_the_catalogue_grows() -> None:
    studio = OrganisationFactory(name="Lollywood Pictures", slug="lollywood")
    client = Client()
    client.force_login(member_of(studio, role=Membership.Role.ADMIN, username="ayesha"))
    series = make_title(names={"en": "The Series"}, owner=studio, slug="the-series", kind="series")
    _add_titles(studio=studio, series=series, count=N, start=0)
    small = _counts(client)
    _add_titles(studio=studio, series=series, count=2 * N, start=N)
    large = _counts(client)
    grown = {name: (small[name], large[name]) for name in PAGES if large[name] > small[name]}
    assert not grown, f"queries grow with the number of titles ({N} → {3 * N}): {grown}"


ANONYMOUS = ("home", "catalogue page", "title page", "search", "catalogue API page of titles",
             "catalogue API search", "catalogue API title")


def test_no_anonymous_page_runs_more_queries_when_the_catalogue_grows() -> None:
    """The same for a viewer who is not signed in (what the pages kept for anonymous
    viewers, dastan/web/page_cache.py, cost when they are made), the read caches off."""
    studio = OrganisationFactory(name="Lollywood Pictures", slug="lollywood")
    series = make_title(names={"en": "The Series"}, owner=studio, slug="the-series", kind="series")
    _add_titles(studio=studio, series=series, count=N, start=0)
    client = Client()
    small = _counts(client, only=ANONYMOUS)
    _add_titles(studio=studio, series=series, count=2 * N, start=N)
    large = _counts(client, only=ANONYMOUS)
    grown = {name: (small[name], large[name]) for name in ANONYMOUS if large[name] > small[name]}
    assert not grown, f"anonymous pages' queries grow with the number of titles ({N} → {3 * N}): {grown}"
