"""Rows for localization tests, made through the services as an uploader and a translator
would make them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation, Title
from dastan.catalog.tests.factories import OrganisationFactory, TitleFactory, UserFactory, member_of
from dastan.localization.commissions import commission_house
from dastan.localization.glossary import add_glossary_term
from dastan.localization.models import (
    Commission,
    Cue,
    CueComment,
    CueRevision,
    DeclaredLanguagePair,
    GlossaryTerm,
    MemoryEntry,
    Notification,
    Review,
    StyleProfileOverride,
    SubtitleTrack,
    TranslationTask,
    VoiceTrack,
    WaveformPeaks,
)
from dastan.localization.notifications import notify
from dastan.localization.profiles import set_profile_override
from dastan.localization.review import comment_on_cue, request_changes
from dastan.localization.tracks import CueData, create_track, cue_data, edit_cue, replace_cues
from dastan.localization.translation import memory_key
from dastan.media.tests.factories import MediaAssetFactory

Line = tuple[int, int, str]  # start_ms, end_ms, text


def translated_track(*, owner: Organisation, source: Sequence[Line], language: str, lines: Sequence[Line],
                     slug: str = "caravan") -> SubtitleTrack:
    """A film title of ``owner`` with an English source track of ``source`` and a human
    translation into ``language`` whose cues are ``lines``; returns the translation."""
    title = Title.objects.create(slug=slug, original_language="en", country_of_origin="PK", owner=owner)
    original = create_track(title=title, language="en", origin=SubtitleTrack.Origin.UPLOAD, is_source=True,
                            cues=[CueData(*line) for line in source])
    return create_track(title=title, language=language, origin=SubtitleTrack.Origin.HUMAN, source_track=original,
                        cues=[CueData(*line) for line in lines])


# --- one factory per model ------------------------------------------------------------------------

class SubtitleTrackFactory(factory.django.DjangoModelFactory[SubtitleTrack]):
    """A title's source transcript in its original language, uploaded by the studio and in
    review, made through :func:`~dastan.localization.tracks.create_track` so its cues
    (``lines``: (start_ms, end_ms, text)) each have their first revision."""

    class Meta:
        model = SubtitleTrack

    title = factory.SubFactory(TitleFactory)
    language = factory.SelfAttribute("title.original_language")
    origin = SubtitleTrack.Origin.UPLOAD
    is_source = True
    lines = factory.LazyFunction(lambda: [(1000, 3500, "قافلہ صبح روانہ ہوگا۔"), (4000, 6000, "تیار رہو۔")])

    @classmethod
    def _create(cls, model_class: type[SubtitleTrack], *args: Any, **kwargs: Any) -> SubtitleTrack:
        lines = kwargs.pop("lines")
        return create_track(cues=[CueData(*line) for line in lines], **kwargs)


class CueFactory(factory.django.DjangoModelFactory[Cue]):
    """A cue added after the track's last one through
    :func:`~dastan.localization.tracks.replace_cues`, with its first revision."""

    class Meta:
        model = Cue

    track = factory.SubFactory(SubtitleTrackFactory)
    start_ms = factory.LazyAttribute(lambda o: max([c.end_ms for c in o.track.cues.all()], default=0) + 500)
    end_ms = factory.LazyAttribute(lambda o: o.start_ms + 2000)
    text = "خدا حافظ۔"
    speaker = ""

    @classmethod
    def _create(cls, model_class: type[Cue], *args: Any, **kwargs: Any) -> Cue:
        track = kwargs["track"]
        cues = [*cue_data(track), CueData(kwargs["start_ms"], kwargs["end_ms"], kwargs["text"], kwargs["speaker"])]
        replace_cues(track=track, cues=cues, note="added")
        return track.cues.get(index=len(cues))


class CueRevisionFactory(factory.django.DjangoModelFactory[CueRevision]):
    """A cue's second revision: its text changed by one of the organisation's translators
    through :func:`~dastan.localization.tracks.edit_cue`."""

    class Meta:
        model = CueRevision

    cue = factory.SubFactory(CueFactory)
    author = factory.LazyAttribute(lambda o: member_of(o.cue.track.title.owner, role=Membership.Role.TRANSLATOR))
    text = factory.Sequence(lambda n: f"پھر ملیں گے {n}۔")
    note = "edited"

    @classmethod
    def _create(cls, model_class: type[CueRevision], *args: Any, **kwargs: Any) -> CueRevision:
        cue = edit_cue(**kwargs)
        return cue.revisions.order_by("-created_at", "-id")[0]


class ReviewFactory(factory.django.DjangoModelFactory[Review]):
    """A reviewer of the title's owner sending the track back, through
    :func:`~dastan.localization.review.request_changes`."""

    class Meta:
        model = Review

    track = factory.SubFactory(SubtitleTrackFactory)
    reviewer = factory.LazyAttribute(lambda o: member_of(o.track.title.owner, role=Membership.Role.REVIEWER))
    comment = "Cue 2 reads too fast."

    @classmethod
    def _create(cls, model_class: type[Review], *args: Any, **kwargs: Any) -> Review:
        track = request_changes(**kwargs)
        return track.reviews.get(is_current=True)


class CueCommentFactory(factory.django.DjangoModelFactory[CueComment]):
    class Meta:
        model = CueComment

    cue = factory.SubFactory(CueFactory)
    author = factory.LazyAttribute(lambda o: member_of(o.cue.track.title.owner, role=Membership.Role.TRANSLATOR))
    text = "Is this the narrator?"

    @classmethod
    def _create(cls, model_class: type[CueComment], *args: Any, **kwargs: Any) -> CueComment:
        return comment_on_cue(**kwargs)


class TranslationTaskFactory(factory.django.DjangoModelFactory[TranslationTask]):
    """An open task to translate a title's source track into Kazakh (the track is the
    empty Kazakh draft the task fills)."""

    class Meta:
        model = TranslationTask

    track = factory.SubFactory(SubtitleTrackFactory, language="kk", origin=SubtitleTrack.Origin.HUMAN, is_source=False,
                               state=SubtitleTrack.State.AWAITING_TRANSLATOR, lines=[])
    organisation = factory.SelfAttribute("track.title.owner")
    reason = "No engine translates Urdu into Kazakh"
    state = TranslationTask.State.OPEN


class GlossaryTermFactory(factory.django.DjangoModelFactory[GlossaryTerm]):
    """A name the organisation always translates the same way, added by one of its reviewers."""

    class Meta:
        model = GlossaryTerm

    organisation = factory.SubFactory(OrganisationFactory)
    by = factory.LazyAttribute(lambda o: member_of(o.organisation, role=Membership.Role.REVIEWER))
    source_language = "ur"
    target_language = "ru"
    source_term = factory.Sequence(lambda n: f"قافلہ {n}")
    target_term = factory.Sequence(lambda n: f"Караван {n}")
    rule = GlossaryTerm.Rule.FORCE

    @classmethod
    def _create(cls, model_class: type[GlossaryTerm], *args: Any, **kwargs: Any) -> GlossaryTerm:
        return add_glossary_term(**kwargs)


class MemoryEntryFactory(factory.django.DjangoModelFactory[MemoryEntry]):
    """An approved line of the organisation's translation memory, keyed as
    :func:`~dastan.localization.translation.memory_key` keys it."""

    class Meta:
        model = MemoryEntry

    organisation = factory.SubFactory(OrganisationFactory)
    source_language = "ur"
    target_language = "ru"
    source_text = factory.Sequence(lambda n: f"قافلہ صبح روانہ ہوگا۔ {n}")
    target_text = factory.Sequence(lambda n: f"Караван отправится утром. {n}")
    source_key = factory.LazyAttribute(lambda o: memory_key(o.source_text))


class StyleProfileOverrideFactory(factory.django.DjangoModelFactory[StyleProfileOverride]):
    """An organisation's Russian subtitles at 40 characters a line, checked by
    :func:`~dastan.localization.profiles.set_profile_override`."""

    class Meta:
        model = StyleProfileOverride

    organisation = factory.SubFactory(OrganisationFactory)
    language = "ru"
    values = factory.LazyFunction(lambda: {"chars_per_line": 40})

    @classmethod
    def _create(cls, model_class: type[StyleProfileOverride], *args: Any, **kwargs: Any) -> StyleProfileOverride:
        set_profile_override(**kwargs)
        return StyleProfileOverride.objects.get(organisation=kwargs["organisation"], language=kwargs["language"])


class VoiceTrackFactory(factory.django.DjangoModelFactory[VoiceTrack]):
    """A synthesized Russian voice-over of a translation, waiting for a listener."""

    class Meta:
        model = VoiceTrack

    subtitle_track = factory.SubFactory(SubtitleTrackFactory, language="ru", origin=SubtitleTrack.Origin.MACHINE,
                                        is_source=False, provenance={"engine": "test-mt"},
                                        state=SubtitleTrack.State.APPROVED)
    mode = "voice-over"
    state = VoiceTrack.State.IN_REVIEW
    storage_name = factory.LazyAttribute(lambda o: f"titles/{o.subtitle_track.title.slug}/voice-ru.m4a")
    duration_ms = 6000
    provenance = factory.LazyFunction(lambda: [{"engine": "test-tts", "model": "ru-1", "version": "1"}])
    rendered_at = factory.LazyFunction(timezone.now)


class DeclaredLanguagePairFactory(factory.django.DjangoModelFactory[DeclaredLanguagePair]):
    """A translator in Lahore who says they translate Urdu into English."""

    class Meta:
        model = DeclaredLanguagePair

    user = factory.SubFactory(UserFactory)
    source_language = "ur"
    target_language = "en"


class CommissionFactory(factory.django.DjangoModelFactory[Commission]):
    """A studio's order to a localization house for one of its titles into Russian and
    Kazakh for a month, placed by its administrator through
    :func:`~dastan.localization.commissions.commission_house`."""

    class Meta:
        model = Commission

    studio = factory.SubFactory(OrganisationFactory)
    house = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.LOCALIZATION)
    titles = factory.LazyAttribute(lambda o: [TitleFactory(owner=o.studio)])
    languages = factory.LazyFunction(lambda: ["ru", "kk"])
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    by = factory.LazyAttribute(lambda o: member_of(o.studio, role=Membership.Role.ADMIN))
    note = "Festival deadline"

    @classmethod
    def _create(cls, model_class: type[Commission], *args: Any, **kwargs: Any) -> Commission:
        return commission_house(**kwargs)


class NotificationFactory(factory.django.DjangoModelFactory[Notification]):
    """A line for a person, written in their language by :func:`~dastan.localization.notifications.notify`."""

    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    text = "A track waits for your review."
    url = "/localization/tasks/"

    @classmethod
    def _create(cls, model_class: type[Notification], *args: Any, **kwargs: Any) -> Notification:
        return notify(**kwargs)


class WaveformPeaksFactory(factory.django.DjangoModelFactory[WaveformPeaks]):
    """A title's peaks at 100 pixels a second for 4 s of its mezzanine (the file is not made)."""

    class Meta:
        model = WaveformPeaks
        exclude = ("asset",)

    asset = factory.SubFactory(MediaAssetFactory)
    title = factory.SelfAttribute("asset.title")
    asset_id = factory.SelfAttribute("asset.pk")
    storage_name = factory.LazyAttribute(lambda o: f"{o.asset.folder}/peaks.dat")
    sample_rate_hz = 48_000
    samples_per_pixel = 480
    length = 400
    duration_ms = 4000
    shot_changes_ms = factory.LazyFunction(lambda: [1800])
    speech_onsets_ms = factory.LazyFunction(lambda: [1000, 4000])
