import io

import pytest

from dastan.catalog.demo import load_demo
from dastan.catalog.models import Genre, Organisation, Title, TitleText
from dastan.catalog.selectors import search_titles

pytestmark = pytest.mark.django_db


def test_demo_loads_titles_from_across_the_region_and_loading_again_changes_nothing() -> None:
    load_demo(io.StringIO())
    counts = (Title.objects.count(), TitleText.objects.count(), Organisation.objects.count())
    load_demo(io.StringIO())
    assert (Title.objects.count(), TitleText.objects.count(), Organisation.objects.count()) == counts
    countries = set(Title.objects.filter(kind__in=["film", "series"]).values_list("country_of_origin", flat=True))
    assert {"PK", "KZ", "RU", "IR", "IN", "CN", "UZ"} <= countries
    assert Title.objects.filter(kind="episode", parent__parent__slug="north-wind").count() == 3
    assert all(len(g.names) == 11 for g in Genre.objects.all())
    assert TitleText.objects.filter(origin="machine").exists()


def test_demo_titles_are_searchable_in_their_own_script_and_in_latin() -> None:
    load_demo(io.StringIO())
    assert [c.slug for c in search_titles(query="نوری جٹ", language="en")] == ["noori-jatt"]
    assert "song-of-the-steppe" in [c.slug for c in search_titles(query="Dala ani", language="en")]
