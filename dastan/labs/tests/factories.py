"""A labs world for tests: a programme co-hosted by two organisations, an edition in
Karachi's time zone, its call with a form and rubric, a committee of three (one chair),
a mentor, and applicants."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation
from dastan.labs.calls import FieldSpec, open_call, seat_committee
from dastan.labs.mentoring import name_mentor
from dastan.labs.models import Call, Edition, Mentor, Programme
from dastan.labs.programmes import create_edition, create_programme

DEADLINE_LOCAL = datetime(2027, 3, 1, 18, 0)  # 18:00 in Asia/Karachi = 13:00 UTC
RUBRIC = [{"key": "story", "label": "Story", "max": 10}, {"key": "voice", "label": "Voice", "max": 10}]
FIELDS = [
    FieldSpec("logline", "text", "Logline", required=True),
    FieldSpec("statement", "long_text", "Director's statement"),
    FieldSpec("format", "choice", "Format", choices=("feature", "short", "series")),
    FieldSpec("treatment", "file", "Treatment (PDF)"),
    FieldSpec("project", "project", "Bazaar project"),
    FieldSpec("film", "film", "Previous film or rough cut"),
]


def user(username: str, full_name: str = "") -> User:
    first, _, last = (full_name or username.title()).partition(" ")
    return User.objects.create_user(username, password="x" * 12, first_name=first, last_name=last)


@dataclass
class LabWorld:
    programme: Programme
    edition: Edition
    call: Call
    hosts: list[Organisation]
    people: dict[str, User] = field(default_factory=dict)
    mentor: Mentor | None = None


def lab_world(*, opens_at: datetime | None = None, max_files: int = 3) -> LabWorld:
    hosts = [Organisation.objects.create(name="Karachi Film Society", slug="kfs", kind="school", country="PK"),
             Organisation.objects.create(name="Almaty Film School", slug="afs", kind="school", country="KZ")]
    programme = create_programme(slug="sco-writer-director-lab", kind="lab", original_language="en", texts={
        "en": ("SCO Writer-Director Lab", "Six months with a mentor, from treatment to rough cut."),
        "ru": ("Лаборатория сценаристов и режиссёров ШОС", "Шесть месяцев с наставником."),
        "fa": ("کارگاه نویسنده-کارگردان سازمان همکاری شانگهای", "شش ماه با یک راهنما، از طرح تا تدوین اولیه."),
        "kk": ("ШЫҰ сценарист-режиссёрлер зертханасы", "Тәлімгермен алты ай: тритменттен алғашқы монтажға дейін."),
    }, machine=("kk",))
    edition = create_edition(by=None, programme=programme, name="2027", starts_on=date(2027, 4, 1),
                             ends_on=date(2027, 9, 30), hosts=hosts, time_zone="Asia/Karachi",
                             languages=["en", "ru", "ur"], place="Karachi")
    call = open_call(by=None, edition=edition, opens_at=opens_at or timezone.now() - timedelta(days=1),
                     deadline_local=DEADLINE_LOCAL, fields=FIELDS, rubric=RUBRIC,
                     countries=["PK", "KZ", "CN", "BY", "IN"], career_stages=["first film", "second film"],
                     max_files=max_files)
    world = LabWorld(programme, edition, call, hosts)
    for name, full in (("chair", "Chen Jing"), ("member", "Madina Sultanova"), ("conflicted", "Cyrus Rahimi"),
                       ("mentor", "Mira Nair-Khan"), ("host_admin", "Hamid Admin"),
                       ("applicant", "Ayesha Khan"), ("other", "Oleg Volkov"), ("late", "Li Wei")):
        world.people[name] = user(name, full)
    seat_committee(by=None, call=call, user=world.people["chair"], chair=True)
    seat_committee(by=None, call=call, user=world.people["member"])
    seat_committee(by=None, call=call, user=world.people["conflicted"])
    world.mentor = name_mentor(by=None, edition=edition, user=world.people["mentor"], expertise="editing")
    Membership.objects.create(user=world.people["host_admin"], organisation=hosts[0], role=Membership.Role.ADMIN)
    return world


def before_deadline(call: Call, minutes: int = 1) -> Any:
    return call.deadline - timedelta(minutes=minutes)
