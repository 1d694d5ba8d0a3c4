"""Screeners through the real media pipeline (ffmpeg): an applicant's film plays to the
committee with their own grant, never through the public media links, never to another
person's browser or session, and stops for a member who declares a conflict."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files import storage as storage_module
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dastan.catalog.models import Organisation
from dastan.jobs.models import ComputeRecord, Job
from dastan.jobs.remote import ledger
from dastan.jobs.services import run_queued_jobs
from dastan.labs import calls, mentoring, selection
from dastan.labs.errors import ComputeExhausted
from dastan.labs.models import Note, Room, Screener
from dastan.labs.screeners import add_application_film, add_rough_cut
from dastan.labs.tests.factories import before_deadline, lab_world
from dastan.media.tests.films import film

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def storage_root(tmp_path: Path, settings: Any) -> Path:
    root = tmp_path / "storage"
    root.mkdir()
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root), "base_url": "/media/"}}}
    settings.DASTAN_X264_PRESET = "ultrafast"
    settings.DASTAN_MEDIA_RECHECK_S = 0  # every request re-checks who may watch
    storage_module.default_storage._setup()  # type: ignore[attr-defined]
    return root


def submitted_with_film(tmp_path: Path) -> tuple[Any, Any, Screener]:
    world = lab_world()
    applicant = world.people["applicant"]
    application = calls.start_application(user=applicant, call=world.call, country="PK", career_stage="first film",
                                          now=before_deadline(world.call, 30))
    calls.save_answers(user=applicant, application=application, answers={"logline": "A caravan."})
    source = film(tmp_path / "short.mp4", seconds=2, size="320x180")
    screener = add_application_film(user=applicant, application=application, field_key="film", filename="short.mp4",
                                    content=SimpleUploadedFile("short.mp4", source.read_bytes()),
                                    size_bytes=source.stat().st_size)
    calls.submit_application(user=applicant, application_id=application.pk, now=before_deadline(world.call))
    run_queued_jobs(worker="test")
    return world, application, screener


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_committee_plays_the_screener_through_its_own_grant_and_nobody_else_does(
        storage_root: Path, tmp_path: Path) -> None:
    world, application, screener = submitted_with_film(tmp_path)
    assert not screener.title.is_published and screener.title.owner is None
    member = signed_in(world.people["member"])
    master = member.get(f"/labs/screeners/{screener.pk}/master.m3u8")
    assert master.status_code == 200, master.content
    uri = re.search(r'^(/labs/s/[^\s"]+\.m3u8)$', master.content.decode(), re.MULTILINE)
    assert uri is not None
    media = member.get(uri.group(1))
    assert media.status_code == 200 and b"#EXTINF" in b"".join(media.streaming_content)  # type: ignore[attr-defined]

    # The same link in the public media path: refused (the title is no one's to publish).
    token = uri.group(1).split("/")[3]
    public = member.get(f"/media/s/{token}/{uri.group(1).split('/', 4)[4]}")
    assert public.status_code == 404
    # The same link in another person's session, or another browser: refused.
    other = signed_in(world.people["chair"])
    other.cookies["dastan_viewer"] = member.cookies["dastan_viewer"].value
    assert other.get(uri.group(1)).status_code == 403
    assert signed_in(world.people["member"]).get(uri.group(1)).status_code == 403  # no viewer cookie

    for who in ("other", "mentor", "host_admin"):
        assert signed_in(world.people[who]).get(f"/labs/screeners/{screener.pk}/master.m3u8").status_code == 404
    assert Client().get(f"/labs/screeners/{screener.pk}/master.m3u8").status_code == 404

    # A member who declares a conflict loses the screener at the next request.
    conflicted = signed_in(world.people["conflicted"])
    grant = re.search(r'^(/labs/s/[^\s"]+\.m3u8)$',
                      conflicted.get(f"/labs/screeners/{screener.pk}/master.m3u8").content.decode(), re.MULTILINE)
    assert grant is not None and conflicted.get(grant.group(1)).status_code == 200
    selection.declare_conflict(user=world.people["conflicted"], application_id=application.pk)
    assert conflicted.get(grant.group(1)).status_code == 404

    page = member.get(f"/labs/applications/{application.pk}/").content.decode()
    assert 'data-watermark="Madina Sultanova"' in page and "labs-watermark" in page


def test_the_compute_allowance_counts_the_ledgers_verified_minutes_and_notes_thread_and_resolve(
        storage_root: Path, tmp_path: Path) -> None:
    world, application, _screener = submitted_with_film(tmp_path)
    p = world.people
    selection.decide(user=p["chair"], application_id=application.pk, decision="selected", reason="Yes.")
    room = Room.objects.get(application=application)
    assert world.mentor is not None
    mentoring.assign_mentor(by=None, room=room, mentor=world.mentor)
    world.edition.compute_hours_per_participant = 1
    world.edition.save()
    source = film(tmp_path / "cut.mp4", seconds=2, size="320x180")
    cut = add_rough_cut(user=p["applicant"], room=room, filename="cut.mp4",
                        content=SimpleUploadedFile("cut.mp4", source.read_bytes()))
    run_queued_jobs(worker="test")
    room = Room.objects.get(pk=room.pk)  # the edition as saved above
    # The node's own worker did the cut's jobs: the compute ledger has no record of them,
    # so the shared pool is untouched however long the jobs ran.
    jobs = Job.objects.filter(target_id=str(cut.title_id))
    first = jobs.order_by("started_at").first()
    assert first is not None and first.finished_at is not None
    Job.objects.filter(pk=first.pk).update(started_at=first.finished_at - timedelta(minutes=90))
    use = mentoring.compute_use(room=room)
    assert use.used_minutes == 0 and use.allowed_minutes == 60 and not use.exhausted

    # A partner's farm did work on the cut: the ledger counts what was accepted or re-done and
    # matched (30 + 20 minutes), not what is being verified, failed or was voided.
    farm = Organisation.objects.create(name="Almaty Render Farm", slug="almaty-farm", kind="studio", country="KZ")
    for state, minutes in (("accepted", 30.0), ("passed", 20.0), ("pending", 40.0), ("failed", 100.0),
                           ("voided", 100.0)):
        ComputeRecord.objects.create(job=first, attempt=1, worker_name="farm-gpu-1", giver=farm, kind=first.kind,
                                     unit="encoded", minutes=minutes, busy_s=3600, verification=state)
    use = mentoring.compute_use(room=room)
    given = {r.organisation: r.given_minutes for r in ledger.monthly()}
    assert use.used_minutes == given["almaty-farm"] == 50.0 and use.records == 2 and not use.exhausted
    assert "0.83 of 1.0 hours" in signed_in(p["applicant"]).get(f"/labs/rooms/{room.pk}/").content.decode()

    ComputeRecord.objects.create(job=first, attempt=2, worker_name="farm-gpu-1", giver=farm, kind=first.kind,
                                 unit="encoded", minutes=20.0, verification="accepted")
    with pytest.raises(ComputeExhausted, match=r"1\.17 of 1\.0 hours"):
        add_rough_cut(user=p["applicant"], room=room, filename="cut2.mp4",
                      content=SimpleUploadedFile("cut2.mp4", source.read_bytes()))
    assert Screener.objects.filter(room=room).count() == 1

    mentor = signed_in(p["mentor"])
    mentor.post(f"/labs/rooms/{room.pk}/notes", {"screener": cut.pk, "timecode": "0:01.5", "text": "Too fast."})
    note = Note.objects.get(screener=cut)
    assert note.timecode_ms == 1500
    signed_in(p["applicant"]).post(f"/labs/rooms/{room.pk}/notes",
                                   {"screener": cut.pk, "parent": note.pk, "text": "I will slow it."})
    mentor.post(f"/labs/rooms/{room.pk}/notes", {"resolve": note.pk, "resolved": "1"})
    note.refresh_from_db()
    assert note.resolved and note.replies.get().timecode_ms == 1500
    page = mentor.get(f"/labs/rooms/{room.pk}/").content.decode()
    assert "I will slow it." in page and "Reopen" in page and 'data-seek-ms="1500"' in page


def test_screener_links_live_minutes_and_renew_while_a_revoked_member_stops_within_the_recheck_window(
        storage_root: Path, tmp_path: Path, settings: Any) -> None:
    settings.DASTAN_MEDIA_URL_TTL_S = 4  # a link lives 4 s here (minutes on a node); the page renews at 2 s
    settings.DASTAN_MEDIA_RECHECK_S = 1
    world, application, screener = submitted_with_film(tmp_path)
    member = signed_in(world.people["member"])
    assert 'data-renew-s="2"' in member.get(f"/labs/applications/{application.pk}/").content.decode()

    def grant(client: Client) -> str:
        found = re.search(r'^(/labs/s/[^\s"]+\.m3u8)$',
                          client.get(f"/labs/screeners/{screener.pk}/master.m3u8").content.decode(), re.MULTILINE)
        assert found is not None
        return found.group(1)

    with time_machine.travel(time.time(), tick=True) as traveller:  # the clock moves on; no waiting
        first = grant(member)
        assert member.get(first).status_code == 200
        traveller.shift(4.5)
        expired = member.get(first)
        assert expired.status_code == 403 and expired.json()["code"] == "link_expired"
        # What the page does at half the link's age: the master again, a fresh token, and the film goes on.
        renewed = grant(member)
        assert renewed.split("/")[3] != first.split("/")[3] and member.get(renewed).status_code == 200

        # A member who declares a conflict: their links stop within the re-check window, and the
        # renewal is refused with the reason.
        conflicted = signed_in(world.people["conflicted"])
        theirs = grant(conflicted)
        assert conflicted.get(theirs).status_code == 200
        selection.declare_conflict(user=world.people["conflicted"], application_id=application.pk)
        traveller.shift(1.2)
        assert conflicted.get(theirs).status_code == 404
        refused = conflicted.get(f"/labs/screeners/{screener.pk}/master.m3u8")
        assert refused.status_code == 404 and refused.json()["message"]
