"""Cross-script title search, on whichever database the suite runs on (SQLite by
default; test_search_postgres.py runs this module again on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from dastan.catalog import services
from dastan.catalog.models import SearchEntry
from dastan.catalog.search import backend_for, plan_search
from dastan.catalog.selectors import search_titles
from dastan.catalog.tests.factories import make_title

pytestmark = pytest.mark.django_db


def slugs(query: str, language: str = "en") -> list[str]:
    return [card.slug for card in search_titles(query=query, language=language)]


@pytest.fixture
def maula_jatt() -> str:
    make_title(slug="other-film", names={"en": "The Legend of the Steppe", "ru": "Легенда степи"})
    title = make_title(slug="maula-jatt", names={
        "ur": "مولا جٹ", "en": "Maula Jatt", "ru": "Маула Джатт", "zh-Hans": "毛拉·贾特"})
    return title.slug


@pytest.mark.parametrize("query", ["Maula Jatt", "مولا جٹ", "Маула Джатт", "毛拉·贾特"])
def test_each_stored_script_finds_the_same_title(maula_jatt: str, query: str) -> None:
    assert slugs(query) == [maula_jatt]


def test_latin_query_finds_a_title_stored_only_in_cyrillic() -> None:
    make_title(slug="cyrillic-only", names={"ru": "Маула Джатт"})
    assert slugs("Maula Jatt") == ["cyrillic-only"]


def test_latin_query_finds_a_title_stored_only_in_urdu_script() -> None:
    make_title(slug="urdu-only", names={"ur": "مولا جٹ"})
    assert slugs("maula jatt") == ["urdu-only"]


def test_latin_query_finds_a_title_stored_only_in_chinese_by_its_syllables() -> None:
    make_title(slug="chinese-only", names={"zh-Hans": "毛拉·贾特"})
    assert slugs("Maula Jatt") == ["chinese-only"]


def test_part_of_a_chinese_name_finds_it() -> None:
    make_title(slug="long-river", names={"zh-Hans": "长河落日"})
    assert slugs("落日") == ["long-river"]


def test_a_word_begun_is_enough() -> None:
    make_title(slug="north-wind", names={"ru": "Северный ветер", "en": "North Wind"})
    assert slugs("Север") == ["north-wind"]
    assert slugs("nort") == ["north-wind"]


def test_exact_script_match_ranks_above_a_transliterated_one() -> None:
    make_title(slug="latin-name", names={"en": "Malik"})
    make_title(slug="urdu-name", names={"ur": "ملک"})
    assert slugs("ملک")[0] == "urdu-name"
    assert slugs("Malik")[0] == "latin-name"


def test_unrelated_names_are_not_found(maula_jatt: str) -> None:
    assert slugs("Dastan") == []
    assert slugs("   ·  ") == []


def test_unpublished_titles_are_not_found() -> None:
    make_title(slug="draft", names={"en": "Secret Draft"}, published=False)
    assert slugs("Secret Draft") == []


def test_synopsis_words_find_a_title_after_its_names() -> None:
    make_title(slug="named", names={"en": "Monsoon"})
    make_title(slug="described", names={"en": "After the Rain"}, synopses={"en": "The first monsoon rain."})
    assert slugs("monsoon") == ["named", "described"]


def test_changing_a_text_reindexes_the_title_at_once() -> None:
    title = make_title(slug="renamed", names={"en": "Old Name"})
    services.set_title_text(by=None, title=title, language="en", name="Fresh Name")
    assert slugs("Old Name") == []
    assert slugs("Fresh") == ["renamed"]
    assert SearchEntry.objects.filter(title=title).count() == 1


def test_search_runs_on_the_databases_full_text_index() -> None:
    make_title(slug="indexed", names={"en": "Maula Jatt"})
    plan = plan_search("Maula Jatt")
    assert [hit.title_id for hit in backend_for().match(plan, limit=5)]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN SELECT rowid FROM catalog_search_fts "
                           "WHERE catalog_search_fts MATCH ?", ['{latin} : ("maula"*)'])
            assert "VIRTUAL TABLE INDEX" in " ".join(str(row) for row in cursor.fetchall())
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN SELECT id FROM catalog_searchentry WHERE "
                           "array_to_tsvector(string_to_array(terms, ' ')) @@ %s::tsquery", ["'l:maula':*"])
            assert "catalog_search_terms_gin" in " ".join(row[0] for row in cursor.fetchall())


def test_rebuilding_the_index_restores_search_after_it_was_lost() -> None:
    from dastan.catalog.search import rebuild_search_index

    title = make_title(slug="restored", names={"ur": "مولا جٹ"})
    backend_for().remove(list(SearchEntry.objects.values_list("id", flat=True)))
    SearchEntry.objects.all().delete()
    assert slugs("Maula Jatt") == []
    assert rebuild_search_index() == 1
    assert slugs("Maula Jatt") == [title.slug]


def test_a_pasted_paragraph_is_cut_to_a_few_words_not_refused() -> None:
    make_title(slug="long-query", names={"en": "Maula Jatt"})
    assert slugs("Maula Jatt " + "and more words " * 200) == []
    assert plan_search("word " * 1000).clauses[0].prefixes == ("word",) * 8
