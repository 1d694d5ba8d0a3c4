"""The studio's desk without a browser: who may enter, the titles with their film's
state, creating a title, and the pipeline's buttons."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dastan.accounts.models import Membership
from dastan.catalog.models import Title
from dastan.catalog.tests.factories import OrganisationFactory, UserFactory, make_title, member_of
from dastan.jobs.models import Job, JobState
from dastan.jobs.services import submit_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio() -> Any:
    return OrganisationFactory(name="Lollywood Pictures", slug="lollywood")


@pytest.fixture
def editor_client(studio: Any) -> Client:
    client = Client()
    client.force_login(member_of(studio, username="ayesha"))
    return client


def test_a_stranger_is_sent_to_the_studio_sign_in_page() -> None:
    response = Client().get("/studio/")
    assert response.status_code == 302
    assert response["Location"].startswith("/studio/login/?next=/studio/")


def test_a_signed_in_person_with_no_editing_role_gets_a_403_page_naming_the_fix(studio: Any) -> None:
    client = Client()
    client.force_login(member_of(studio, role=Membership.Role.REVIEWER))
    response = client.get("/studio/")
    assert response.status_code == 403
    assert "not an editor of any organisation" in response.content.decode()
    assert "Ask an administrator" in response.content.decode()


def test_an_editor_of_another_studio_is_refused_a_title_with_its_owner_named(studio: Any) -> None:
    title = make_title(names={"ur": "مولا جٹ"}, owner=studio, slug="maula-jatt")
    client = Client()
    client.force_login(member_of(OrganisationFactory(name="Kazakhfilm")))
    for url in (f"/studio/titles/{title.slug}/", f"/studio/titles/{title.slug}/upload/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "not a member of Lollywood Pictures" in response.content.decode()


def test_titles_list_their_film_state_no_film_processing_and_failed_with_reason(
        studio: Any, editor_client: Client) -> None:
    quiet = make_title(names={"en": "Quiet Film"}, owner=studio, slug="quiet")
    busy = make_title(names={"en": "Busy Film"}, owner=studio, slug="busy")
    broken = make_title(names={"en": "Broken Film"}, owner=studio, slug="broken")
    running = submit_job(kind="media.ingest", target=busy, params={})
    Job.objects.filter(pk=running.pk).update(state=JobState.SUCCEEDED, progress=100)
    transcode = submit_job(kind="media.transcode", target=busy, params={}, parents=[running])
    Job.objects.filter(pk=transcode.pk).update(state=JobState.RUNNING, progress=50)
    submit_job(kind="media.package", target=busy, params={}, parents=[transcode])
    failed = submit_job(kind="media.ingest", target=broken, params={})
    Job.objects.filter(pk=failed.pk).update(state=JobState.FAILED, error_message="'x.mp4' is not a video.",
                                            error_hint="Export the film again.")

    page = editor_client.get("/studio/").content.decode()

    assert "Quiet Film" in page and "No film yet" in page
    assert "Processing: 50%" in page
    assert "Failed: &#x27;x.mp4&#x27; is not a video." in page and "Export the film again." in page
    assert f"/studio/titles/{quiet.slug}/upload/" in page


def test_new_title_form_creates_the_title_with_names_and_opens_its_upload_page(
        studio: Any, editor_client: Client) -> None:
    response = editor_client.post("/studio/titles/new", {
        "owner": "lollywood", "slug": "zindagi-2026", "original_language": "ur", "country": "pk",
        "name": "زندگی", "name_en": "Life", "name_ru": ""})

    assert response.status_code == 302 and response["Location"] == "/studio/titles/zindagi-2026/upload/"
    title = Title.objects.get(slug="zindagi-2026")
    assert (title.owner, title.country_of_origin, title.original_language) == (studio, "PK", "ur")
    assert dict(title.texts.values_list("language", "name")) == {"ur": "زندگی", "en": "Life"}


def test_new_title_with_a_taken_slug_says_so_and_keeps_what_was_typed(studio: Any, editor_client: Client) -> None:
    make_title(names={"en": "First"}, owner=studio, slug="taken")
    response = editor_client.post("/studio/titles/new", {
        "owner": "lollywood", "slug": "taken", "original_language": "en", "country": "PK", "name": "Second"},
        follow=True)
    page = response.content.decode()
    assert "The slug &#x27;taken&#x27; is taken by another title." in page
    assert 'value="Second"' in page


def test_upload_page_points_tus_js_client_at_the_media_tus_endpoint_for_the_title(
        studio: Any, editor_client: Client) -> None:
    make_title(names={"en": "Film"}, owner=studio, slug="film-a")
    page = editor_client.get("/studio/titles/film-a/upload/").content.decode()
    assert 'data-endpoint="/media/tus/"' in page and 'data-title="film-a"' in page
    assert 'data-checksum="sha256"' in page
    assert "dastan/vendor/tus.min.js" in page


def test_pipeline_json_gives_each_job_with_its_error_and_fix(studio: Any, editor_client: Client) -> None:
    title = make_title(names={"en": "Film"}, owner=studio, slug="film-b")
    job = submit_job(kind="media.ingest", target=title, params={})
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, error_message="Not a video.",
                                         error_hint="Send the film's master file.", attempts=1)

    data = editor_client.get("/studio/titles/film-b/pipeline.json").json()

    assert data["state"]["kind"] == "failed"
    [row] = data["jobs"]
    assert (row["state"], row["error_message"], row["error_hint"], row["can_retry"]) == (
        "failed", "Not a video.", "Send the film's master file.", True)


def test_retry_and_cancel_buttons_change_the_job(studio: Any, editor_client: Client) -> None:
    title = make_title(names={"en": "Film"}, owner=studio, slug="film-c")
    job = submit_job(kind="media.ingest", target=title, params={})

    editor_client.post(f"/studio/titles/film-c/jobs/{job.pk}/cancel")
    assert Job.objects.get(pk=job.pk).state == JobState.CANCELLED
    editor_client.post(f"/studio/titles/film-c/jobs/{job.pk}/retry")
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED


def test_a_job_of_another_title_cannot_be_cancelled_from_this_page(studio: Any, editor_client: Client) -> None:
    make_title(names={"en": "Mine"}, owner=studio, slug="mine")
    other = make_title(names={"en": "Theirs"}, owner=OrganisationFactory(), slug="theirs")
    job = submit_job(kind="media.ingest", target=other, params={})

    response = editor_client.post(f"/studio/titles/mine/jobs/{job.pk}/cancel", follow=True)

    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED
    assert "not part of this film" in response.content.decode()


def test_publish_without_a_film_explains_to_upload_first(studio: Any, editor_client: Client) -> None:
    make_title(names={"en": "Film"}, owner=studio, slug="film-d", published=False)
    response = editor_client.post("/studio/titles/film-d/publish", follow=True)
    assert "has no film to publish yet" in response.content.decode()


def test_the_nodes_root_is_no_member_of_the_studios_and_is_refused_with_the_reason() -> None:
    make_title(names={"en": "Anyone's"}, owner=OrganisationFactory(), slug="anyones")
    client = Client()
    root: Any = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.get("/studio/")
    assert response.status_code == 403 and "Anyone&#x27;s" not in response.content.decode()


def chunked_pipeline(title: Any, *, farm_name: str = "Shanghai Render Farm") -> dict[str, Any]:
    """A long film's job graph as the chunked transcode leaves it mid-way: chunk 1 done on
    this node, chunk 2 done by a partner's machine and verified, chunk 3 running on that
    machine, chunk 4 queued. Returns the jobs by name."""
    from dastan.jobs.models import ComputeRecord, RemoteWorker
    from dastan.media.chunks import plan_chunks
    from dastan.media.split import AUDIO_KIND, CHUNK_KIND, JOIN_KIND

    farm: Any = OrganisationFactory(name=farm_name, slug="sh-farm")
    machine = RemoteWorker.objects.create(name="sh-farm-1", organisation=farm, key_id="worker-sh-farm-1",
                                          public_key_pem="-", capabilities=["transcode"])
    ingest = submit_job(kind="media.ingest", target=title, params={})
    transcode = submit_job(kind="media.transcode", target=title, params={}, parents=[ingest])
    package = submit_job(kind="media.package", target=title, params={}, parents=[transcode])
    chunks = plan_chunks(duration_s=480, frame_rate=25, chunk_s=120)
    chunk_jobs = [submit_job(kind=CHUNK_KIND, target=title, params={
        "chunk": c.as_params(), "chunks": len(chunks), "probe": {"duration_s": 480.0}}) for c in chunks]
    audio = submit_job(kind=AUDIO_KIND, target=title, params={})
    join = submit_job(kind=JOIN_KIND, target=title, parents=[*chunk_jobs, audio],
                      params={"chunk_jobs": [j.pk for j in chunk_jobs], "audio_job": audio.pk})
    package.parents.add(join)
    done = {"state": JobState.SUCCEEDED, "progress": 100, "attempts": 1}
    Job.objects.filter(pk__in=[ingest.pk, transcode.pk]).update(**done, worker="node-1")
    Job.objects.filter(pk=transcode.pk).update(result={"split": True, "join_job": join.pk})
    Job.objects.filter(pk=chunk_jobs[0].pk).update(**done, worker="node-1")
    Job.objects.filter(pk=chunk_jobs[1].pk).update(**done, worker=machine.name)
    Job.objects.filter(pk=chunk_jobs[2].pk).update(state=JobState.RUNNING, progress=40, attempts=1,
                                                   worker=machine.name)
    ComputeRecord.objects.create(job=chunk_jobs[1], attempt=1, worker=machine, worker_name=machine.name,
                                 giver=farm, receiver=title.owner, kind=CHUNK_KIND, verification="passed")
    return {"chunks": chunk_jobs, "audio": audio, "join": join, "package": package, "machine": machine}


def test_pipeline_lists_a_long_films_chunks_with_who_ran_each_and_whether_it_was_verified(
        studio: Any, editor_client: Client) -> None:
    title = make_title(names={"en": "Long Road"}, owner=studio, slug="long-road")
    graph = chunked_pipeline(title)

    data = editor_client.get("/studio/titles/long-road/pipeline.json").json()

    rows = data["chunks"]["rows"]
    assert [(r["number"], r["span"], r["state"], r["percent"]) for r in rows] == [
        (1, "0:00–2:00", "succeeded", 100), (2, "2:00–4:00", "succeeded", 100), (3, "4:00–6:00", "running", 40),
        (4, "6:00–8:00", "queued", 0)]
    assert [(r["worker"], r["where"], r["verification_label"]) for r in rows] == [
        ("node-1", "This node", "—"), ("sh-farm-1", "A partner's machine: Shanghai Render Farm", "Verified"),
        ("sh-farm-1", "A partner's machine: Shanghai Render Farm", "—"), ("", "This node", "—")]
    assert data["chunks"]["summary"] == "2 of 4 chunks done, 1 running; 51% of the encoding"  # 0.85 × 60 % of the chunks
    # The chunks are not repeated as jobs; the film's bar counts them (not the planning job).
    assert {j["kind"] for j in data["jobs"]} == {"media.ingest", "media.transcode", "media.package",
                                                 "media.transcode_audio", "media.join_chunks"}
    assert data["state"]["percent"] == (100 + 51 + 0) // 3
    page = editor_client.get("/studio/titles/long-road/").content.decode()
    assert "A partner&#x27;s machine: Shanghai Render Farm" in page and 'id="chunk-rows"' in page
    assert f'data-job-id="{graph["chunks"][2].pk}"' in page

    Job.objects.filter(pk=graph["chunks"][3].pk).update(state=JobState.FAILED)
    [last] = [r for r in editor_client.get("/studio/titles/long-road/pipeline.json").json()["chunks"]["rows"]
              if r["number"] == 4]
    assert last["can_retry"]
    editor_client.post(f"/studio/titles/long-road/jobs/{graph['chunks'][3].pk}/retry")
    assert Job.objects.get(pk=graph["chunks"][3].pk).state == JobState.QUEUED


def test_a_film_in_one_job_shows_no_chunks(studio: Any, editor_client: Client) -> None:
    title = make_title(names={"en": "Short"}, owner=studio, slug="short")
    submit_job(kind="media.transcode", target=title, params={})
    data = editor_client.get("/studio/titles/short/pipeline.json").json()
    assert data["chunks"] is None
    assert 'id="chunks" class="chunks" aria-labelledby="chunks-heading" hidden' in editor_client.get(
        "/studio/titles/short/").content.decode()


def test_the_pipeline_page_shows_each_sound_tracks_loudness_against_the_target(
        studio: Any, editor_client: Client) -> None:
    from dastan.media.models import AudioRendition

    title = make_title(names={"ur": "شور"}, owner=studio, slug="loud")
    measured = {"integrated_lufs": -23.02, "true_peak_dbtp": -4.9, "lra_lu": 5.0}
    AudioRendition.objects.create(title=title, language="ur", name="اردو", loudness=measured, playlist_name="a/0.m3u8")
    AudioRendition.objects.create(title=title, language="ru", name="Русский", kind="voice-over",
                                  loudness={**measured, "integrated_lufs": -16.9}, playlist_name="a/1.m3u8")
    AudioRendition.objects.create(title=title, language="en", name="English", playlist_name="a/2.m3u8")
    page = editor_client.get("/studio/titles/loud/").content.decode()
    rows = {lang: page.split(f'data-language="{lang}"', 1)[1].split("</tr>", 1)[0] for lang in ("ur", "ru", "en")}
    assert "-23.0 LUFS" in rows["ur"] and "-4.9 dBTP" in rows["ur"] and "within -23.0 LUFS ±0.5" in rows["ur"]
    assert "-16.9 LUFS" in rows["ru"] and "outside the target: package the film again" in rows["ru"]
    assert "not measured" in rows["en"]
