"""Rows for federation tests: this node's keys, its peers (each with a real published
key), the feed positions of its own titles, and what peers sent it. A peer's title shows
here as a title owned by a mirror of its owner, as :mod:`dastan.federation.receive`
makes it.

Rows only: nothing is fetched or sent. Pass ``key=`` to PeerFactory to sign as the peer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from dastan.catalog.models import Organisation
from dastan.catalog.tests.factories import OrganisationFactory, TitleFactory
from dastan.federation.models import (
    LicenceAnswer,
    NodeKey,
    Peer,
    RemoteLicence,
    RemoteTitle,
    TitleState,
)
from dastan.federation.receive import local_slug
from dastan.rights.codec import format_row
from dastan.rights.tests.factories import terms
from dastan.signing import keys

__all__ = [
    "LicenceAnswerFactory",
    "NodeKeyFactory",
    "PeerFactory",
    "RemoteLicenceFactory",
    "RemoteTitleFactory",
    "TitleStateFactory",
]


def key_entry(key: keys.PrivateKey, *, valid_until: dt.datetime | None = None) -> dict[str, Any]:
    """``key`` as a discovery document lists it."""
    return {"key_id": key.key_id, "algorithm": key.algorithm.value, "pem": key.public().pem,
            "valid_until": valid_until.isoformat() if valid_until else None}


class NodeKeyFactory(factory.django.DjangoModelFactory[NodeKey]):
    """One of this node's signing keys (Ed25519, unretired)."""

    class Meta:
        model = NodeKey
        exclude = ("key",)

    key = factory.Sequence(lambda n: keys.generate(f"http://testserver#k-{n}"))
    key_id = factory.SelfAttribute("key.key_id")
    algorithm = factory.LazyAttribute(lambda o: o.key.algorithm.value)
    private_pem = factory.SelfAttribute("key.pem")
    public_pem = factory.LazyAttribute(lambda o: o.key.public().pem)


class PeerFactory(factory.django.DjangoModelFactory[Peer]):
    """An accepted peer node whose key was fetched a minute ago."""

    class Meta:
        model = Peer
        exclude = ("key",)

    url = factory.Sequence(lambda n: f"https://node-{n}.example.org")
    key = factory.LazyAttribute(lambda o: keys.generate(f"{o.url}#k-1"))
    name = factory.Sequence(lambda n: f"Node {n}")
    country = "PK"
    state = Peer.State.ACCEPTED
    keys = factory.LazyAttribute(lambda o: [key_entry(o.key)])
    keys_fetched_at = factory.LazyFunction(timezone.now)


class TitleStateFactory(factory.django.DjangoModelFactory[TitleState]):
    """One of this node's own titles in its feed."""

    class Meta:
        model = TitleState

    title = factory.SubFactory(TitleFactory)
    position = factory.Sequence(lambda n: n + 1)
    stamp = factory.Sequence(lambda n: f"{n:064x}")
    document = factory.LazyAttribute(lambda o: {"slug": o.title.slug, "sequence": o.sequence})
    sequence = 1


class RemoteTitleFactory(factory.django.DjangoModelFactory[RemoteTitle]):
    """A peer's title, shown here by a local title that a mirror of its owner owns."""

    class Meta:
        model = RemoteTitle

    peer = factory.SubFactory(PeerFactory)
    remote_slug = factory.Sequence(lambda n: f"remote-film-{n}")
    sequence = 1
    document = factory.LazyAttribute(lambda o: {"slug": o.remote_slug, "sequence": o.sequence})
    title = factory.SubFactory(
        TitleFactory,
        slug=factory.LazyAttribute(lambda t: local_slug(t.factory_parent.peer, t.factory_parent.remote_slug)),
        owner=factory.SubFactory(
            OrganisationFactory, kind=Organisation.Kind.DISTRIBUTOR,
            slug=factory.LazyAttribute(lambda org: f"{org.factory_parent.factory_parent.peer.handle}-studio")),
    )


class RemoteLicenceFactory(factory.django.DjangoModelFactory[RemoteLicence]):
    """A licence fact of a remote title, accepted here, as avails columns (by default
    ``rights.tests.factories.terms()``: SVOD in Kazakhstan, March to August 2027)."""

    class Meta:
        model = RemoteLicence

    remote_title = factory.SubFactory(RemoteTitleFactory)
    ref = factory.Sequence(lambda n: f"KZ-SVOD-{n}")
    licensor = factory.SelfAttribute("remote_title.title.owner.name")
    row = factory.LazyAttribute(lambda o: format_row(terms(o.ref, title_id=o.remote_title.title_id),
                                                     title_slug=o.remote_title.remote_slug))


class LicenceAnswerFactory(factory.django.DjangoModelFactory[LicenceAnswer]):
    """What a peer answered about one of our licence facts."""

    class Meta:
        model = LicenceAnswer

    peer = factory.SubFactory(PeerFactory)
    title_slug = factory.Sequence(lambda n: f"film-{n}")
    ref = factory.Sequence(lambda n: f"KZ-SVOD-{n}")
    verdict = LicenceAnswer.Verdict.ACCEPTED
    sequence = 1
