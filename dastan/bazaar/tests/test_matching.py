"""Matching in a seeded market of 200 organisations and people and 100 projects: for
named cases the expected partner ranks in the top 3, with its reasons in words; and
search meets across scripts, filters combine."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import translation

from dastan.bazaar.matching import (
    Filters,
    partners_for_project,
    projects_for_partner,
    search_profiles,
    search_projects,
)
from dastan.bazaar.models import Profile, Project
from dastan.bazaar.taxonomy import ORGANISATION_KINDS, PERSON_KINDS, STRENGTHS
from dastan.bazaar.tests.factories import Credit, Text, org_profile, person_profile, project

pytestmark = pytest.mark.django_db

COUNTRIES = ["CN", "RU", "IN", "PK", "IR", "KZ", "UZ", "KG", "TJ", "BY"]
LANGS = ["en", "ru", "zh-Hans", "hi", "ur", "fa", "kk", "uz", "ky", "tg", "be"]
ZONES = {"CN": "Asia/Shanghai", "PK": "Asia/Karachi", "IR": "Asia/Tehran", "KZ": "Asia/Almaty", "IN": "Asia/Kolkata"}


def seed_market() -> dict[str, Any]:
    rng = random.Random(14)
    named: dict[str, Any] = {}
    named["chengdu"] = org_profile(
        name="Chengdu Pixel Works", kind="vfx", country="CN", city="Chengdu", timezone="Asia/Shanghai",
        strengths=["vfx", "animation", "gpu_render"], languages=["zh-Hans", "ur", "en"], slug="chengdu-pixel",
        compute_workers=["chengdu-gpu-1"],
        texts=[Text("zh-Hans", "成都像素工场：视效与动画。"), Text("en", "VFX and animation in Chengdu.", "machine")],
        credits=[Credit(name="Silk Road Riders", year=2021, strength="vfx", countries=("CN", "PK"))])[0]
    named["parisa"] = person_profile(
        name="Parisa Tehrani", kind="writer", country="IR", city="Tehran", strengths=["screenwriting", "development"],
        languages=["fa", "ur", "en"], slug="parisa-tehrani",
        credits=[Credit(name="Father's House", year=2019, strength="screenwriting", countries=("IR", "PK"))])[0]
    named["steppe"] = org_profile(
        name="Steppe Distribution", kind="distributor", country="KZ", city="Almaty", strengths=["distribution"],
        territories=["KZ", "UZ", "KG"], languages=["kk", "ru"], slug="steppe-distribution")[0]
    named["mumbai"] = org_profile(
        name="Mumbai Voices", kind="dubbing", country="IN", city="Mumbai", strengths=["dubbing_subtitling"],
        languages=["hi", "ur", "ru"], slug="mumbai-voices",
        credits=[Credit(name="Monsoon Letters", year=2022, strength="dubbing_subtitling", countries=("IN", "RU"))])[0]
    while len(named) + len(noise := named.setdefault("_noise", [])) < 200:
        country = rng.choice(COUNTRIES)
        fields: dict[str, Any] = {"country": country, "strengths": rng.sample(sorted(STRENGTHS), rng.randint(1, 3)),
                      "languages": rng.sample(LANGS, rng.randint(1, 3)),
                      "territories": rng.sample(COUNTRIES, rng.randint(0, 2)),
                      "credits": [Credit(name="Old film", year=rng.randint(2010, 2024),
                                      countries=tuple(rng.sample(COUNTRIES, 2)))] if rng.random() < 0.3 else []}
        n = len(noise)
        if n % 3 == 0:
            noise.append(person_profile(name=f"Freelancer {n}", kind=rng.choice(sorted(PERSON_KINDS)), **fields)[0])
        else:
            noise.append(org_profile(name=f"Company {n}", kind=rng.choice(sorted(ORGANISATION_KINDS)), **fields)[0])
    producer, producer_user = org_profile(name="Lollywood Pictures", country="PK", city="Lahore", slug="lollywood",
                                          languages=["ur"])
    named["producer"] = (producer, producer_user)
    named["lahore"] = project(
        owner=producer, user=producer_user, title="Noori of the Caravan", slug="noori", language="ur",
        logline="لاہور سے سمرقند تک ایک قافلے کی کہانی", languages=["ur", "zh-Hans"], countries=["PK"],
        needs=[{"strength": "vfx", "countries": ["CN"]}], visibility="public", stage="financing",
        budget_min=800_000, budget_max=1_200_000)
    named["tehran"] = project(
        owner=producer, user=producer_user, title="Two Rivers", slug="two-rivers", languages=["fa", "ur"],
        countries=["PK", "IR"], needs=[{"strength": "screenwriting", "countries": ["IR"]}], visibility="public")
    named["steppe_project"] = project(
        owner=producer, user=producer_user, title="Wedding Season", slug="wedding-season", languages=["kk"],
        needs=[{"strength": "distribution", "territories": ["KZ", "UZ"]}], visibility="public", stage="completed")
    named["dub"] = project(
        owner=producer, user=producer_user, title="Monsoon", slug="monsoon", languages=["hi", "ru"],
        needs=[{"strength": "dubbing_subtitling"}], visibility="public", stage="post")
    owners = noise[:40]
    for n in range(96):
        owner = owners[n % len(owners)]
        user = owner.user or owner.organisation.memberships.first().user
        project(owner=owner, user=user, title=f"Noise project {n}", visibility=rng.choice(["public", "members"]),
                stage=rng.choice(["development", "financing", "production"]), languages=rng.sample(LANGS, 2),
                needs=[{"strength": s} for s in rng.sample(sorted(STRENGTHS), rng.randint(1, 2))],
                budget_min=rng.randint(1, 5) * 100_000, budget_max=rng.randint(6, 20) * 100_000)
    return named


@pytest.fixture(scope="module")
def market(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        named = seed_market()
        yield named
        transaction.set_rollback(True)


def test_the_market_has_two_hundred_profiles_and_a_hundred_projects(market: dict[str, Any]) -> None:
    assert Profile.objects.count() == 200 and Project.objects.count() == 100


@pytest.mark.parametrize(("case", "expected", "words"), [
    ("lahore", "chengdu", ["needs VFX; Chengdu Pixel Works (Chengdu, China) offers VFX, from China as asked",
                           "co-produced with Pakistan in 2021", "works in Urdu and Chinese"]),
    ("tehran", "parisa", ["needs screenwriting; Parisa Tehrani (Tehran, Iran) offers screenwriting, from Iran as asked",
                          "co-produced with Pakistan in 2019", "works in Persian and Urdu"]),
    ("steppe_project", "steppe", ["distributes in Kazakhstan and Uzbekistan", "works in Kazakh"]),
    ("dub", "mumbai", ["needs dubbing and subtitling", "works in Hindi and Russian"]),
])
def test_the_expected_partner_ranks_in_the_top_three_with_its_reasons(market: dict[str, Any], case: str,
                                                                       expected: str, words: list[str]) -> None:
    producer_user = market["producer"][1]
    with translation.override("en"):
        matches = partners_for_project(user=producer_user, project_id=market[case].pk)
    top = [m.profile.slug for m in matches[:3]]
    assert market[expected].slug in top, [(m.profile.name, m.score, m.sentence) for m in matches[:5]]
    sentence = next(m.sentence for m in matches if m.profile == market[expected])
    for phrase in words:
        assert phrase in sentence, sentence


def test_a_partner_finds_the_projects_that_need_what_it_offers(market: dict[str, Any]) -> None:
    with translation.override("en"):
        matches = projects_for_partner(user=AnonymousUser(), profile_slug="chengdu-pixel")
    assert "noori" in [m.project.slug for m in matches[:3]]


def test_reasons_read_in_the_viewers_language(market: dict[str, Any]) -> None:
    with translation.override("ru"):
        sentence = partners_for_project(user=market["producer"][1], project_id=market["lahore"].pk)[0].sentence
    assert "Пакистан" in sentence and "Китай" in sentence


def test_search_meets_a_city_across_scripts(market: dict[str, Any]) -> None:
    for query in ("Chengdu", "成都"):
        assert [p.slug for p in search_profiles(query=query)][:1] == ["chengdu-pixel"], query
    for query in ("Lahore", "لاہور", "Лахор"):
        assert "noori" in [p.slug for p in search_projects(user=AnonymousUser(), filters=Filters(query=query))], query


def test_filters_by_country_combination_stage_budget_and_language(market: dict[str, Any]) -> None:
    anonymous = AnonymousUser()
    found = search_projects(user=anonymous, filters=Filters(countries=("PK", "IR")))
    assert [p.slug for p in found] == ["two-rivers"]
    found = search_projects(user=anonymous, filters=Filters(stage="financing", language="zh-Hans",
                                                            budget_min=1_000_000, budget_max=2_000_000))
    assert "noori" in [p.slug for p in found]
    assert all(p.stage == "financing" and "zh-Hans" in p.languages for p in found)
    assert not search_projects(user=anonymous, filters=Filters(stage="financing", budget_min=5_000_000,
                                                               countries=("PK", "CN"), language="zh-Hans"))


def test_members_only_projects_are_not_listed_to_strangers(market: dict[str, Any]) -> None:
    listed = search_projects(user=AnonymousUser(), filters=Filters(), limit=500)
    assert all(p.visibility == "public" for p in listed)
    member = market["producer"][1]
    assert any(p.visibility == "members" for p in search_projects(user=member, filters=Filters(), limit=500))
