"""The demo's market: organisations and a freelance writer from five countries, two
projects of the Lahore studio (one public, one for market members), meeting slots, a
booked meeting, and the caravan script under NDA shared with the Tehran writer — so the
README's first command shows the bazaar at /bazaar/."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TextIO

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from dastan.accounts.models import Membership
from dastan.bazaar import interest, meetings, scripts
from dastan.bazaar.models import Profile, Project
from dastan.bazaar.profiles import Credit, Text, create_profile
from dastan.bazaar.projects import Pitch, create_project, set_pitch_text
from dastan.catalog.models import Organisation

DEMO_PASSWORD = "dastan-demo"
SCRIPT = """INT. CARAVANSERAI, BUKHARA ROAD - NIGHT

Wind at the shutters. NOORI (30s) counts coins by a clay lamp. JAHAN (60s) mends a harness.

NOORI
(quietly)
Tomorrow we reach Samarkand, or we turn back for good.

JAHAN
Then we reach it. My father's debts are not mine to carry.

EXT. DESERT - DAWN

The caravan strings across the dunes. A dust storm gathers on the horizon.

CUT TO:
"""
# slug, name, kind, country, city, zone, strengths, languages, territories, about {lang: text}
ORGANISATIONS: list[tuple[str, str, str, str, str, str, list[str], list[str], list[str], dict[str, str]]] = [
    ("lahore-lights", "Lahore Lights", "studio", "PK", "Lahore", "Asia/Karachi", ["production_services", "locations"],
     ["ur", "en"], [], {"ur": "لاہور کا فلم اسٹوڈیو: ڈرامے اور فیچر فلمیں۔", "en": "A Lahore studio for dramas and features."}),
    ("chengdu-pixel", "Chengdu Pixel Works", "vfx", "CN", "Chengdu", "Asia/Shanghai", ["vfx", "animation", "gpu_render"],
     ["zh-Hans", "ur", "en"], [], {"zh-Hans": "成都视效与动画公司，拥有渲染农场。", "en": "VFX and animation with a render farm."}),
    ("steppe-pictures", "Steppe Pictures", "distributor", "KZ", "Almaty", "Asia/Almaty", ["distribution", "financing"],
     ["kk", "ru"], ["KZ", "UZ", "KG"], {"ru": "Прокат в Центральной Азии.", "kk": "Орталық Азиядағы прокат."}),
    ("mumbai-voices", "Mumbai Voices", "dubbing", "IN", "Mumbai", "Asia/Kolkata", ["dubbing_subtitling", "music"],
     ["hi", "ur", "ru"], [], {"hi": "मुंबई का डबिंग स्टूडियो।", "en": "Dubbing and subtitles in Hindi, Urdu and Russian."}),
]


def _org(slug: str, name: str, kind: str, country: str) -> Organisation:
    catalog_kind = {"vfx": "studio", "dubbing": "localization"}.get(kind, kind)
    org, _created = Organisation.objects.get_or_create(slug=slug, defaults={"name": name, "kind": catalog_kind,
                                                                           "country": country})
    return org


def _person(username: str, full_name: str, email: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        first, _, last = full_name.partition(" ")
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, first_name=first, last_name=last,
                                        email=email)
    return user


def _member(org: Organisation, username: str, full_name: str) -> User:
    user = _person(username, full_name, f"{username}@example.org")
    Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": Membership.Role.ADMIN})
    return user


def load_demo(out: TextIO) -> None:
    """Load the market once (a second run finds it and changes nothing)."""
    if Project.objects.filter(slug="caravan-to-samarkand").exists():
        out.write("Bazaar: the demo market is loaded already; open /bazaar/.\n")
        return
    with transaction.atomic():
        profiles: dict[str, Profile] = {}
        orgs: dict[str, Organisation] = {}
        for slug, name, kind, country, city, zone, strengths, languages, territories, about in ORGANISATIONS:
            org = orgs[slug] = _org(slug, name, kind, country)
            profiles[slug] = Profile.objects.filter(organisation=org).first() or create_profile(
                name=name, kind=kind, country=country, organisation=org, slug=slug, city=city, timezone=zone,
                strengths=strengths, languages=languages, territories=territories,
                texts=[Text(lang, text) for lang, text in about.items()],
                credits=[Credit(name="Silk Road Riders", year=2021, strength="vfx", countries=("CN", "PK"))]
                if slug == "chengdu-pixel" else [])
        zara = _member(orgs["lahore-lights"], "zara", "Zara Qureshi")
        wei = _member(orgs["chengdu-pixel"], "wei", "Wei Lin")
        _member(orgs["mumbai-voices"], "priya", "Priya Nair")
        parisa_user = _person("parisa", "Parisa Tehrani", "parisa@example.org")
        profiles["parisa"] = Profile.objects.filter(user=parisa_user).first() or create_profile(
            name="Parisa Tehrani", kind="writer", country="IR", user=parisa_user, slug="parisa-tehrani",
            city="Tehran", timezone="Asia/Tehran", strengths=["screenwriting", "development"],
            languages=["fa", "ur", "en"], texts=[Text("fa", "فیلم‌نامه‌نویس تهرانی؛ درام‌های خانوادگی و جاده‌ای.")],
            credits=[Credit(name="Father's House", year=2019, strength="screenwriting", countries=("IR", "PK"))])
        _market(out, profiles, zara=zara, wei=wei, parisa=parisa_user)


def _market(out: TextIO, profiles: dict[str, Profile], *, zara: User, wei: User, parisa: User) -> None:
    lahore = profiles["lahore-lights"]
    caravan = create_project(
        user=zara, owner=lahore, title="The Caravan to Samarkand", slug="caravan-to-samarkand", format="feature",
        stage="financing", pitch=Pitch(logline="لاہور سے سمرقند تک ایک قافلہ، ایک قرض اور ایک طوفان۔", language="ur",
                                       synopsis="نوری اپنے باپ کا قرض چکانے کے لیے قافلے کے ساتھ نکلتی ہے۔"),
        genre="drama", budget_min=900_000, budget_max=1_400_000, currency="USD", financing_secured_pct=35,
        languages=["ur", "zh-Hans", "fa"], countries=["PK"], visibility="public",
        needs=[{"strength": "vfx", "countries": ["CN"]}, {"strength": "screenwriting", "countries": ["IR"]},
               {"strength": "distribution", "territories": ["KZ", "UZ"]}],
        attached=[{"name": "Zara Qureshi", "role": "producer"}])
    set_pitch_text(project=caravan, pitch=Pitch(logline="From Lahore to Samarkand: a caravan, a debt and a storm.",
                                                language="en", origin="human"))
    set_pitch_text(project=caravan, pitch=Pitch(logline="从拉合尔到撒马尔罕：一支商队、一笔债和一场风暴。",
                                                language="zh-Hans", origin="machine",
                                                provenance={"engine": "demo", "model": "none"}))
    create_project(
        user=zara, owner=lahore, title="Monsoon Letters", slug="monsoon-letters", format="series", stage="development",
        pitch=Pitch(logline="Letters between Lahore and Mumbai across one monsoon.", language="en"),
        budget_min=300_000, budget_max=500_000, languages=["ur", "hi"], visibility="members",
        needs=[{"strength": "dubbing_subtitling"}, {"strength": "co_production", "countries": ["IN"]}])
    interest.express_interest(user=wei, project_id=caravan.pk, sender=profiles["chengdu-pixel"],
                              message="We did the sandstorms of Silk Road Riders; we can do yours in Urdu and Mandarin.")
    tomorrow = (timezone.localdate() + timedelta(days=1))
    starts = [datetime(tomorrow.year, tomorrow.month, tomorrow.day, hour, minute)
              for hour, minute in ((10, 0), (10, 30), (11, 0), (14, 0))]
    slots = meetings.publish_slots(user=wei, profile=profiles["chengdu-pixel"], starts=starts,
                                   event="Dastan Market, Tashkent")
    meetings.book_slot(user=zara, slot_id=slots[0].pk, guest=lahore, project=caravan,
                       notes="Storm sequence budget")
    script = scripts.add_script(user=zara, project_id=caravan.pk, name="The Caravan to Samarkand — draft 3",
                                content=SCRIPT.encode(), filename="caravan.fountain", allow_download=True)
    scripts.share_script(user=zara, script_id=script.pk, recipient=parisa)
    out.write(f"Bazaar: 5 profiles (PK, CN, KZ, IN, IR), 2 projects, a meeting, a script under NDA. Open /bazaar/; "
              f"sign in as zara (owner), wei (Chengdu) or parisa (script recipient: /bazaar/scripts/{script.pk}/), "
              f"password {DEMO_PASSWORD}.\n")

