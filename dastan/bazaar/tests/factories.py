"""Rows for the bazaar's tests, made through its services as production makes them."""

from __future__ import annotations

from datetime import timedelta
from itertools import count
from typing import Any

import factory
from django.utils import timezone

from dastan.accounts.models import Membership
from dastan.bazaar.interest import express_interest
from dastan.bazaar.materials import attach_material
from dastan.bazaar.meetings import book_slot, publish_slots
from dastan.bazaar.models import (
    Interest,
    Meeting,
    NdaAcceptance,
    Notification,
    PastCredit,
    Profile,
    ProfileText,
    Project,
    ProjectChange,
    ProjectMaterial,
    ProjectText,
    Script,
    ScriptEvent,
    ScriptGrant,
    Slot,
    TextOrigin,
)
from dastan.bazaar.notifications import notify
from dastan.bazaar.profiles import Credit, Text, create_profile
from dastan.bazaar.projects import Pitch, create_project
from dastan.bazaar.scripts import accept_nda, add_script, share_script
from dastan.catalog.tests.factories import OrganisationFactory, TitleFactory, UserFactory, member_of

_n = count(1)


def org_profile(*, name: str, kind: str = "studio", country: str = "PK", role: str = "admin",
                username: str | None = None, **fields: Any) -> tuple[Profile, Any]:
    """An organisation, its profile, and one member with ``role``."""
    n = next(_n)
    org: Any = OrganisationFactory(name=name, slug=f"org-{n}", country=country)
    user: Any = UserFactory(username=username or f"member-{n}")
    Membership.objects.create(user=user, organisation=org, role=role)
    profile = create_profile(name=name, kind=kind if kind != "studio" else "studio", country=country,
                             organisation=org, slug=fields.pop("slug", f"p-{n}"), **fields)
    return profile, user


def person_profile(*, name: str, kind: str = "writer", country: str = "IR", username: str | None = None,
                   **fields: Any) -> tuple[Profile, Any]:
    n = next(_n)
    user: Any = UserFactory(username=username or f"person-{n}", first_name=name.split()[0],
                            last_name=" ".join(name.split()[1:]))
    profile = create_profile(name=name, kind=kind, country=country, user=user, slug=fields.pop("slug", f"p-{n}"),
                             **fields)
    return profile, user


def project(*, owner: Profile, user: Any, title: str = "", logline: str = "A story.", language: str = "en",
            stage: str = "development", format: str = "feature", **fields: Any) -> Project:
    n = next(_n)
    return create_project(user=user, owner=owner, title=title or f"Project {n}", slug=fields.pop("slug", f"pr-{n}"),
                          pitch=Pitch(logline=logline, language=language), format=format, stage=stage, **fields)


__all__ = ["Credit", "Text", "org_profile", "person_profile", "project"]


# --- one factory per model ------------------------------------------------------------------------

def _admin_of(profile: Profile) -> Any:
    """Someone who acts for an organisation's profile."""
    return member_of(profile.organisation, role=Membership.Role.ADMIN)


class ProfileFactory(factory.django.DjangoModelFactory[Profile]):
    """A studio's market profile in Karachi, made through
    :func:`~dastan.bazaar.profiles.create_profile` (which indexes it for search)."""

    class Meta:
        model = Profile

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.SelfAttribute("organisation.name")
    kind = "studio"
    country = factory.SelfAttribute("organisation.country")
    slug = factory.Sequence(lambda n: f"profile-{n}")
    city = "Karachi"
    strengths = factory.LazyFunction(lambda: ["development"])
    languages = factory.LazyFunction(lambda: ["ur", "en"])

    @classmethod
    def _create(cls, model_class: type[Profile], *args: Any, **kwargs: Any) -> Profile:
        return create_profile(**kwargs)


class ProfileTextFactory(factory.django.DjangoModelFactory[ProfileText]):
    """A profile's "about" in Russian, a person's translation."""

    class Meta:
        model = ProfileText

    profile = factory.SubFactory(ProfileFactory)
    language = "ru"
    about = "Студия из Карачи: драмы и документальное кино."
    origin = TextOrigin.HUMAN


class PastCreditFactory(factory.django.DjangoModelFactory[PastCredit]):
    """A profile's earlier film: one of its organisation's titles."""

    class Meta:
        model = PastCredit

    profile = factory.SubFactory(ProfileFactory)
    title = factory.SubFactory(TitleFactory, owner=factory.SelfAttribute("..profile.organisation"))
    name = factory.LazyAttribute(lambda o: o.title.slug.replace("-", " ").title())
    year = 2024
    strength = "development"


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    """A feature in development pitched by a studio's profile, made by its administrator
    through :func:`~dastan.bazaar.projects.create_project` (first text, first change, index)."""

    class Meta:
        model = Project

    owner = factory.SubFactory(ProfileFactory)
    user = factory.LazyAttribute(lambda o: _admin_of(o.owner))
    title = factory.Sequence(lambda n: f"The Ferry {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    pitch = factory.LazyFunction(lambda: Pitch(logline="A ferryman carries one last passenger.", language="en"))
    format = "feature"
    stage = "development"

    @classmethod
    def _create(cls, model_class: type[Project], *args: Any, **kwargs: Any) -> Project:
        return create_project(**kwargs)


class ProjectTextFactory(factory.django.DjangoModelFactory[ProjectText]):
    """A project's logline in Urdu, beside the original English one."""

    class Meta:
        model = ProjectText

    project = factory.SubFactory(ProjectFactory)
    language = "ur"
    logline = "ایک ملاح آخری مسافر کو لے جاتا ہے۔"
    origin = TextOrigin.HUMAN


class ProjectMaterialFactory(factory.django.DjangoModelFactory[ProjectMaterial]):
    """A teaser of the owner organisation's (an unpublished title), attached by its
    administrator through :func:`~dastan.bazaar.materials.attach_material`."""

    class Meta:
        model = ProjectMaterial

    project = factory.SubFactory(ProjectFactory)
    kind = "teaser"
    label = "Teaser, March cut"
    title = factory.SubFactory(TitleFactory, owner=factory.SelfAttribute("..project.owner.organisation"),
                               is_published=False)

    @classmethod
    def _create(cls, model_class: type[ProjectMaterial], *args: Any, **kwargs: Any) -> ProjectMaterial:
        project = kwargs["project"]
        return attach_material(user=_admin_of(project.owner), project_id=project.pk, kind=kwargs["kind"],
                               label=kwargs["label"], title_slug=kwargs["title"].slug)


class ProjectChangeFactory(factory.django.DjangoModelFactory[ProjectChange]):
    """A project's move from development to financing, as its history records it."""

    class Meta:
        model = ProjectChange

    project = factory.SubFactory(ProjectFactory)
    revision = factory.LazyAttribute(lambda o: o.project.revision + 1)
    by = factory.LazyAttribute(lambda o: _admin_of(o.project.owner))
    fields = factory.LazyFunction(lambda: {"stage": ["development", "financing"]})


class InterestFactory(factory.django.DjangoModelFactory[Interest]):
    """Another studio's interest in a project, sent by its administrator through
    :func:`~dastan.bazaar.interest.express_interest`."""

    class Meta:
        model = Interest

    project = factory.SubFactory(ProjectFactory, visibility="members")
    sender = factory.SubFactory(ProfileFactory)
    message = "We co-produce features in Almaty; can we talk?"

    @classmethod
    def _create(cls, model_class: type[Interest], *args: Any, **kwargs: Any) -> Interest:
        sender = kwargs["sender"]
        return express_interest(user=_admin_of(sender), project_id=kwargs["project"].pk, sender=sender,
                                message=kwargs["message"])


class SlotFactory(factory.django.DjangoModelFactory[Slot]):
    """A 20-minute meeting slot a profile published for a market, a week from now."""

    class Meta:
        model = Slot

    profile = factory.SubFactory(ProfileFactory)
    starts_at = factory.Sequence(lambda n: (timezone.now() + timedelta(days=7, hours=n)).replace(microsecond=0))
    duration_min = 20
    event = "Almaty Film Market"

    @classmethod
    def _create(cls, model_class: type[Slot], *args: Any, **kwargs: Any) -> Slot:
        profile = kwargs["profile"]
        [slot] = publish_slots(user=_admin_of(profile), profile=profile, starts=[kwargs["starts_at"]],
                               duration_min=kwargs["duration_min"], event=kwargs["event"])
        return slot


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    """A slot booked by another studio's profile through :func:`~dastan.bazaar.meetings.book_slot`."""

    class Meta:
        model = Meeting

    slot = factory.SubFactory(SlotFactory)
    host = factory.SelfAttribute("slot.profile")
    guest = factory.SubFactory(ProfileFactory)
    notes = "About the co-production."

    @classmethod
    def _create(cls, model_class: type[Meeting], *args: Any, **kwargs: Any) -> Meeting:
        guest = kwargs["guest"]
        return book_slot(user=_admin_of(guest), slot_id=kwargs["slot"].pk, guest=guest, notes=kwargs["notes"])


class NotificationFactory(factory.django.DjangoModelFactory[Notification]):
    """A line for one person, written in their language by :func:`~dastan.bazaar.notifications.notify`."""

    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    subject = "A script was shared with you"
    text = "Steppe Pictures shared the script Draft 3 with you."
    link = "/bazaar/"

    @classmethod
    def _create(cls, model_class: type[Notification], *args: Any, **kwargs: Any) -> Notification:
        [notification] = notify(users=[kwargs.pop("user")], **kwargs)
        return notification


SCRIPT = b"Title: The Ferry\n\nINT. FERRY - NIGHT\n\nA ferryman waits.\n\nFERRYMAN\nLast crossing.\n"


class ScriptFactory(factory.django.DjangoModelFactory[Script]):
    """A project's script, a Fountain file stored as PDF by its owner's administrator
    through :func:`~dastan.bazaar.scripts.add_script` (under MEDIA_ROOT: set it to a
    temporary folder)."""

    class Meta:
        model = Script

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Draft {n}")

    @classmethod
    def _create(cls, model_class: type[Script], *args: Any, **kwargs: Any) -> Script:
        project = kwargs["project"]
        return add_script(user=_admin_of(project.owner), project_id=project.pk, name=kwargs["name"],
                          content=SCRIPT, filename="ferry.fountain")


class ScriptGrantFactory(factory.django.DjangoModelFactory[ScriptGrant]):
    """A script shared with a reader through :func:`~dastan.bazaar.scripts.share_script`
    (which also writes the "granted" event and tells the reader)."""

    class Meta:
        model = ScriptGrant

    script = factory.SubFactory(ScriptFactory)
    recipient = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class: type[ScriptGrant], *args: Any, **kwargs: Any) -> ScriptGrant:
        script = kwargs["script"]
        return share_script(user=_admin_of(script.project.owner), script_id=script.pk, recipient=kwargs["recipient"])


class NdaAcceptanceFactory(factory.django.DjangoModelFactory[NdaAcceptance]):
    """The reader's acceptance of the script's NDA, through :func:`~dastan.bazaar.scripts.accept_nda`."""

    class Meta:
        model = NdaAcceptance

    grant = factory.SubFactory(ScriptGrantFactory)
    ip = "192.0.2.10"
    user_agent = "Mozilla/5.0"

    @classmethod
    def _create(cls, model_class: type[NdaAcceptance], *args: Any, **kwargs: Any) -> NdaAcceptance:
        grant = kwargs["grant"]
        return accept_nda(user=grant.recipient, script_id=grant.script_id, text_shown=grant.script.nda_text,
                          affirmed=True, ip=kwargs["ip"], user_agent=kwargs["user_agent"])


class ScriptEventFactory(factory.django.DjangoModelFactory[ScriptEvent]):
    """A reader's view of page 1 of a script they accepted the NDA of."""

    class Meta:
        model = ScriptEvent

    grant = factory.LazyAttribute(lambda o: NdaAcceptanceFactory().grant)
    script = factory.SelfAttribute("grant.script")
    user = factory.SelfAttribute("grant.recipient")
    kind = ScriptEvent.Kind.VIEWED
    page = 1
    ip = "192.0.2.10"
