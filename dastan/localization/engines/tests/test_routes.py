"""Choosing a translation route: direct, through a pivot, or none (a human task)."""

from __future__ import annotations

import shutil

import pytest

from dastan.localization.engines.registry import find_translation_route, translate_along
from dastan.localization.engines.routes import Route, RouteStep, find_route

ENGINES = [("apertium", {("be", "ru"), ("ur", "hi"), ("hi", "ur")}),
           ("nmt", {("ru", "en"), ("en", "ru"), ("hi", "en"), ("be", "en")}),
           ("llm", {("en", "kk"), ("ru", "kk")})]


def test_a_direct_engine_wins_over_a_shorter_preference_list_pivot():
    route = find_route(ENGINES, source="be", target="en")
    assert route == Route("be", "en", (RouteStep("nmt", "be", "en"),))
    assert route.is_direct and route.pivot == ""


def test_a_pair_no_engine_has_goes_through_a_pivot_and_records_it():
    route = find_route(ENGINES, source="ur", target="en")
    assert route is not None
    assert route.steps == (RouteStep("apertium", "ur", "hi"), RouteStep("nmt", "hi", "en"))
    assert route.pivot == "hi"
    assert route.describe() == "ur>hi (apertium), hi>en (nmt)"


def test_among_routes_of_equal_length_the_preferred_engines_come_first():
    route = find_route(ENGINES, source="be", target="kk")
    assert route is not None and route.steps[0] == RouteStep("apertium", "be", "ru")
    assert route.pivot == "ru"


def test_no_route_within_max_steps_is_none_meaning_a_human_task():
    assert find_route(ENGINES, source="ru", target="be") is None
    assert find_route(ENGINES, source="ur", target="kk") is None
    assert find_route(ENGINES, source="ur", target="kk", max_steps=3) is not None


def test_the_same_language_needs_no_route():
    assert find_route(ENGINES, source="ru", target="ru") is None


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_with_apertium_alone_ru_to_be_has_no_route_here():
    assert find_translation_route("ru", "be") is None


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_a_chain_through_apertium_and_a_chat_endpoint_runs_both_steps(chat_server, settings):
    """Protocol-level: the chat server reverses text; the point is the chain and its record."""
    settings.DASTAN_ENGINES = {"MT": ["apertium", "openai-chat"], "OPTIONS": {
        "openai-chat": {"url": chat_server.url, "model": "test-model",
                        "languages": ["ru", "en"]}}}
    route = find_translation_route("be", "en")
    assert route is not None and route.pivot == "ru"
    assert [s.engine for s in route.steps] == ["apertium", "openai-chat"]
    result = translate_along(route=route, texts=["Раніцай рыбакі вярнуліся."])
    assert chat_server.requests[0]["messages"][1]["content"].startswith("Утром рыбаки")
    assert result.texts[0].startswith("English: ")
    assert result.pivot == "ru" and result.source == "be" and result.target == "en"
    assert result.provenance.engine == "apertium>openai-chat"
    assert result.provenance.model == "bel-rus>test-model"
    assert dict(result.provenance.settings)["route"] == route.describe()
