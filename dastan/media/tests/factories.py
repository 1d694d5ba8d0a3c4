"""Rows for media tests: uploads, quotas, mezzanines, renditions, versions and streams,
each belonging to a title of a real organisation (the catalog's factories). They are
rows only: no file lies behind their storage names; a test that plays or packages a film
makes one with ``films.film()`` and ingests it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from dastan.accounts.models import Membership
from dastan.catalog.tests.factories import OrganisationFactory, TitleFactory, member_of
from dastan.media.models import (
    AudioRendition,
    MediaAsset,
    MediaQuota,
    Stream,
    SubtitleRendition,
    Upload,
    Version,
    VideoRendition,
)
from dastan.media.probe import AudioTrack, ProbeResult

__all__ = [
    "AudioRenditionFactory",
    "MediaAssetFactory",
    "MediaQuotaFactory",
    "StreamFactory",
    "SubtitleRenditionFactory",
    "UploadFactory",
    "VersionFactory",
    "VideoRenditionFactory",
]


class UploadFactory(factory.django.DjangoModelFactory[Upload]):
    """An upload under way, by an editor of the organisation whose quota it counts against."""

    class Meta:
        model = Upload

    organisation = factory.SubFactory(OrganisationFactory)
    owner = factory.LazyAttribute(lambda o: member_of(o.organisation, role=Membership.Role.EDITOR))
    length_bytes = 1000
    filename = "film.mov"
    metadata = factory.LazyAttribute(lambda o: {"filename": o.filename})
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))


class MediaQuotaFactory(factory.django.DjangoModelFactory[MediaQuota]):
    class Meta:
        model = MediaQuota

    organisation = factory.SubFactory(OrganisationFactory)
    quota_bytes = 10 * 1024 * 1024


class MediaAssetFactory(factory.django.DjangoModelFactory[MediaAsset]):
    """A stored mezzanine of a title (its file is not made)."""

    class Meta:
        model = MediaAsset

    title = factory.SubFactory(TitleFactory)
    source_filename = "film.mov"
    storage_name = factory.LazyAttribute(lambda o: f"titles/{o.title.slug}/{o.source_filename}")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    size_bytes = 4500
    # What the ingest's probe recorded: 4 s of 640x360 at 25 fps, stereo in the original language.
    probe = factory.LazyAttribute(lambda o: ProbeResult(
        size_bytes=o.size_bytes, container="mov,mp4,m4a,3gp,3g2,mj2", duration_s=4.0, readable_s=4.0,
        width=640, height=360, display_width=640, display_height=360, rotation=0, frame_rate=25.0,
        is_variable_frame_rate=False, is_interlaced=False, video_codec="h264", video_bitrate_bps=800_000,
        audio=(AudioTrack(index=0, language=o.title.original_language, channels=2, layout="stereo", codec="aac"),),
    ).as_dict())


class VideoRenditionFactory(factory.django.DjangoModelFactory[VideoRendition]):
    class Meta:
        model = VideoRendition

    asset = factory.SubFactory(MediaAssetFactory)
    width = 640
    height = 360
    frame_rate = 25.0
    bitrate_kbps = 800
    peak_bps = 960_000
    average_bps = 820_000
    codecs = "avc1.64001e"
    playlist_name = factory.LazyAttribute(lambda o: f"{o.asset.folder}/v{o.height}/index.m3u8")


class AudioRenditionFactory(factory.django.DjangoModelFactory[AudioRendition]):
    """The original sound of a title's mezzanine."""

    class Meta:
        model = AudioRendition

    asset = factory.SubFactory(MediaAssetFactory)
    title = factory.SelfAttribute("asset.title")
    language = factory.SelfAttribute("title.original_language")
    name = "اردو"
    kind = AudioRendition.Kind.ORIGINAL
    is_default = True
    playlist_name = factory.LazyAttribute(lambda o: f"{o.asset.folder}/a-{o.language}/index.m3u8")


class SubtitleRenditionFactory(factory.django.DjangoModelFactory[SubtitleRendition]):
    class Meta:
        model = SubtitleRendition

    title = factory.SubFactory(TitleFactory)
    language = "ru"
    name = "Русский"
    playlist_name = factory.LazyAttribute(lambda o: f"titles/{o.title.slug}/s-{o.language}/index.m3u8")


class VersionFactory(factory.django.DjangoModelFactory[Version]):
    """A published version of a title: one video rung and its original sound (pass
    ``video=[...]``, ``audio=[...]``, ``subtitles=[...]`` for others)."""

    class Meta:
        model = Version
        skip_postgeneration_save = True  # the hooks set relations only

    asset = factory.SubFactory(MediaAssetFactory)
    title = factory.SelfAttribute("asset.title")
    number = factory.LazyAttribute(lambda o: Version.objects.filter(title=o.title).count() + 1)
    master_name = factory.LazyAttribute(lambda o: f"{o.asset.folder}/v{o.number}/master.m3u8")

    @factory.post_generation
    def video(obj: Version, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.video.set(extracted if extracted is not None else [VideoRenditionFactory.create(asset=obj.asset)])

    @factory.post_generation
    def audio(obj: Version, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.audio.set(extracted if extracted is not None else [AudioRenditionFactory.create(asset=obj.asset)])

    @factory.post_generation
    def subtitles(obj: Version, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.subtitles.set(extracted)


class StreamFactory(factory.django.DjangoModelFactory[Stream]):
    """A title's stream pointing at its current version."""

    class Meta:
        model = Stream

    current = factory.SubFactory(VersionFactory)
    title = factory.SelfAttribute("current.title")
