"""Rows for accounts tests: people's roles in organisations, their API tokens, and the
node's operators. People and organisations come from the catalog's factories."""

from __future__ import annotations

from typing import Any

import factory

from dastan.accounts.models import (
    ApiToken,
    LanguagePreference,
    Membership,
    NodeOperator,
    hash_token,
)
from dastan.catalog.tests.factories import OrganisationFactory, UserFactory

__all__ = ["ApiTokenFactory", "LanguagePreferenceFactory", "MembershipFactory", "NodeOperatorFactory", "OrganisationFactory", "UserFactory"]


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.EDITOR


class ApiTokenFactory(factory.django.DjangoModelFactory[ApiToken]):
    """A token stored as :func:`~dastan.accounts.tokens.issue_api_token` stores it (its
    hash and prefix). Pass ``raw=`` to know the value a client sends."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "api"
    raw = factory.Sequence(lambda n: f"dst_test-token-{n:06d}")
    key_sha256 = factory.LazyAttribute(lambda o: hash_token(o.raw))
    prefix = factory.LazyAttribute(lambda o: o.raw[:8])

    @classmethod
    def _create(cls, model_class: type[ApiToken], *args: Any, raw: str, **kwargs: Any) -> ApiToken:
        return super()._create(model_class, *args, **kwargs)  # only the hash is kept


class NodeOperatorFactory(factory.django.DjangoModelFactory[NodeOperator]):
    class Meta:
        model = NodeOperator

    user = factory.SubFactory(UserFactory)
    note = "runs this node"


class LanguagePreferenceFactory(factory.django.DjangoModelFactory[LanguagePreference]):
    """The language a person last used (RememberLanguageMiddleware writes it)."""

    class Meta:
        model = LanguagePreference

    user = factory.SubFactory(UserFactory)
    language = "ur"
