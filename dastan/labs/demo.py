"""The demo's labs: the SCO Writer-Director Lab, co-hosted by the demo studio and the
Kazakh school, with an open call (three applications, a committee of three with one
declared conflict, scores) and a finished edition with its alumni, their decisions, a
room with a script in two versions and mentors' notes, a certificate, and the demo film
as what came out of it. Safe to run again."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, TextIO

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from dastan.accounts.demo import DEMO_PASSWORD
from dastan.catalog.models import Organisation, Title
from dastan.labs import calls, mentoring, selection
from dastan.labs.calls import FieldSpec
from dastan.labs.models import Edition, Programme, Room
from dastan.labs.programmes import create_edition, create_programme, record_outcome

SLUG = "sco-writer-director-lab"
HOSTS = ("lahore-lights", "steppe-pictures")
PEOPLE = [("chen", "Chen Jing"), ("madina", "Madina Sultanova"), ("cyrus", "Cyrus Rahimi"),
          ("mira", "Mira Nair-Khan"), ("ayesha", "Ayesha Khan"), ("oleg", "Oleg Volkov"), ("liwei", "Li Wei"),
          ("nodira", "Nodira Yusupova"), ("arman", "Arman Bekov")]
TEXTS = {
    "en": ("SCO Writer-Director Lab", ("Six months with a mentor, from treatment to rough cut: writers and "
                                       "directors of the SCO region working on their first or second feature.")),
    "ru": ("Лаборатория сценаристов и режиссёров ШОС", ("Шесть месяцев с наставником, от тритмента до "
                                                       "чернового монтажа: первый или второй полный метр.")),
    "zh-Hans": ("上合组织编剧导演工作坊", "与导师共度六个月，从故事梗概到粗剪：面向上合组织地区创作第一或第二部长片的编剧和导演。"),
    "ur": ("ایس سی او رائٹر ڈائریکٹر لیب", "ایک رہنما کے ساتھ چھ مہینے، خاکے سے رف کٹ تک۔"),
    "fa": ("کارگاه نویسنده-کارگردان سازمان همکاری شانگهای", ("شش ماه با یک راهنما، از طرح تا تدوین اولیه: "
                                                             "برای نخستین یا دومین فیلم بلند.")),
    "kk": ("ШЫҰ сценарист-режиссёрлер зертханасы", "Тәлімгермен алты ай: тритменттен алғашқы монтажға дейін."),
}
FIELDS = [FieldSpec("logline", "text", "Logline", required=True),
          FieldSpec("statement", "long_text", "Director's statement", required=True),
          FieldSpec("format", "choice", "Format", choices=("feature", "series")),
          FieldSpec("treatment", "file", "Treatment (PDF)"),
          FieldSpec("project", "project", "Bazaar project"),
          FieldSpec("film", "film", "Previous film (private screener)")]
RUBRIC = [{"key": "story", "label": "Story", "max": 10}, {"key": "voice", "label": "Director's voice", "max": 10},
          {"key": "feasibility", "label": "Feasibility", "max": 5}]


def _user(username: str, full_name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        first, _, last = full_name.partition(" ")
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, first_name=first, last_name=last)
    return user


def _apply(call: Any, user: User, *, country: str, zone: str, logline: str, now: datetime) -> Any:
    application = calls.start_application(user=user, call=call, country=country, career_stage="first film",
                                          project_stage=call.project_stages[0] if call.project_stages else "",
                                          time_zone=zone, now=now)
    calls.save_answers(user=user, application=application, answers={
        "logline": logline, "statement": "A story I have carried for years.", "format": "feature"})
    return calls.submit_application(user=user, application_id=application.pk, now=now)


def _finished_edition(programme: Programme, hosts: list[Organisation], people: dict[str, User]) -> Edition:
    edition = create_edition(by=None, programme=programme, name="2025, Almaty", starts_on=date(2025, 4, 1),
                             ends_on=date(2025, 9, 30), hosts=hosts, time_zone="Asia/Almaty",
                             languages=["en", "ru", "kk"], place="Almaty")
    opened = datetime(2024, 11, 1, tzinfo=timezone.get_current_timezone())
    call = calls.open_call(by=None, edition=edition, opens_at=opened, deadline_local=datetime(2025, 1, 31, 18, 0),
                           fields=FIELDS, rubric=RUBRIC, career_stages=["first film", "second film"])
    calls.seat_committee(by=None, call=call, user=people["chen"], chair=True)
    calls.seat_committee(by=None, call=call, user=people["madina"])
    before = call.deadline - timedelta(days=3)
    nodira = _apply(call, people["nodira"], country="UZ", zone="Asia/Tashkent", now=before,
                    logline="A seamstress in Bukhara sews her daughter's wedding dress and her own escape.")
    arman = _apply(call, people["arman"], country="KZ", zone="Asia/Almaty", now=before,
                   logline="Two brothers drive a herd across the steppe the winter their father dies.")
    for application, points in ((nodira, {"story": 9, "voice": 9, "feasibility": 4}),
                                (arman, {"story": 8, "voice": 7, "feasibility": 5})):
        selection.score_application(user=people["madina"], application_id=application.pk, points=points)
        selection.decide(user=people["chen"], application_id=application.pk, decision="selected",
                         reason="A story only you can tell, and a plan to shoot it within the lab's year.")
    mentor = mentoring.name_mentor(by=None, edition=edition, user=people["mira"], expertise="editing, structure")
    room = Room.objects.get(application=nodira)
    mentoring.assign_mentor(by=None, room=room, mentor=mentor)
    mentoring.add_script_draft(user=people["nodira"], room_id=room.pk, text=(
        "INT. WORKSHOP - NIGHT\n\nZULFIYA sews by a single lamp.\n\nZULFIYA\nOne more seam, then I go.\n"))
    mentoring.add_script_draft(user=people["nodira"], room_id=room.pk, text=(
        "INT. WORKSHOP - NIGHT\n\nZULFIYA sews by a single lamp. The radio plays a wedding song.\n\n"
        "ZULFIYA\nOne more seam.\n"))
    mentoring.add_script_note(user=people["mira"], room_id=room.pk, version=2, line=3,
                              text="The radio says what she cannot: keep it.")
    for room in Room.objects.filter(application__call=call):
        mentoring.issue_certificate(by=None, room=room)
    title = Title.objects.filter(slug="noori-jatt").first()
    record_outcome(by=None, edition=edition, label="Noori Jatt (feature, 2026)", title=title,
                   bazaar_project="the-seamstress-of-bukhara", application=nodira)
    return edition


def _open_edition(programme: Programme, hosts: list[Organisation], people: dict[str, User]) -> Edition:
    edition = create_edition(by=None, programme=programme, name="2027, Karachi", starts_on=date(2027, 4, 1),
                             ends_on=date(2027, 9, 30), hosts=hosts, time_zone="Asia/Karachi",
                             languages=["en", "ur", "ru"], place="Karachi")
    deadline = (timezone.now() + timedelta(days=60)).astimezone(timezone.get_current_timezone())
    call = calls.open_call(by=None, edition=edition, opens_at=timezone.now() - timedelta(days=7),
                           deadline_local=deadline.replace(hour=18, minute=0, second=0, microsecond=0, tzinfo=None),
                           fields=FIELDS, rubric=RUBRIC, countries=["CN", "RU", "IN", "PK", "IR", "KZ", "UZ", "KG",
                                                                    "TJ", "BY"],
                           career_stages=["first film", "second film"], project_stages=["development", "financing"])
    calls.seat_committee(by=None, call=call, user=people["chen"], chair=True)
    calls.seat_committee(by=None, call=call, user=people["madina"])
    calls.seat_committee(by=None, call=call, user=people["cyrus"])
    now = timezone.now()
    ayesha = _apply(call, people["ayesha"], country="PK", zone="Asia/Karachi", now=now,
                    logline="A caravan reaches Samarkand at dawn; a girl decides whether to go on.")
    oleg = _apply(call, people["oleg"], country="BY", zone="Europe/Minsk", now=now,
                  logline="A winter in Minsk, a dubbing studio, and a voice that is not his.")
    draft = calls.start_application(user=people["liwei"], call=call, country="CN", career_stage="first film",
                                    project_stage="development", time_zone="Asia/Shanghai")
    calls.save_answers(user=people["liwei"], application=draft, answers={"logline": "A ferry on the Yangtze."})
    selection.declare_conflict(user=people["cyrus"], application_id=ayesha.pk, reason="We studied together.")
    selection.score_application(user=people["madina"], application_id=ayesha.pk,
                                points={"story": 9, "voice": 8, "feasibility": 4})
    selection.score_application(user=people["madina"], application_id=oleg.pk,
                                points={"story": 6, "voice": 7, "feasibility": 3})
    selection.add_comment(user=people["madina"], application_id=ayesha.pk, text="A distinct visual voice.")
    return edition


@transaction.atomic
def load_demo(out: TextIO) -> None:
    if Programme.objects.filter(slug=SLUG).exists():
        out.write(f"Labs: '{SLUG}' already exists; kept.\n")
        return
    hosts = list(Organisation.objects.filter(slug__in=HOSTS).order_by("slug"))
    people = {username: _user(username, name) for username, name in PEOPLE}
    programme = create_programme(by=None, slug=SLUG, kind="lab", hosts=hosts, texts=TEXTS, machine=("kk", "ur"))
    _finished_edition(programme, hosts, people)
    edition = _open_edition(programme, hosts, people)
    out.write(f"Labs: /labs/{SLUG}/ with an open call (/labs/calls/{edition.call.pk}/); the committee signs in as "
              "chen (chair), madina or cyrus (conflicted on one application), applicants as ayesha, oleg, "
              f"liwei (a draft), the mentor as mira, alumni as nodira and arman; the hosts' desk is /labs/host/ "
              f"(zara, an administrator of Lahore Lights); password {DEMO_PASSWORD}.\n")
