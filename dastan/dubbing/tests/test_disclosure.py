"""Disclosure rules by territory: the seeded table, the EU's members, the default, the
operator's edits."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from dastan.accounts.models import NodeOperator
from dastan.accounts.permissions import NotAllowed
from dastan.dubbing.disclosure import disclosure_for_territory, seed_rules, set_rule
from dastan.errors import InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _starting_rules() -> None:
    # Migration 0002 seeds them, but a transactional test that ran before this one on the
    # same worker emptied every table when it ended.
    seed_rules()


def test_china_gets_a_label_of_at_least_two_seconds_and_the_eu_an_unobtrusive_notice() -> None:
    china = disclosure_for_territory("CN")
    assert china.rule == "CN" and china.visible_label_s >= 2 and china.notice == "prominent" and china.machine_readable
    germany = disclosure_for_territory("DE")
    assert germany.rule == "EU" and germany.visible_label_s == 0 and germany.notice == "unobtrusive"
    assert germany.machine_readable and "Article 50" in germany.legal_basis
    kazakhstan = disclosure_for_territory("KZ")
    assert kazakhstan.rule == "*" and kazakhstan.visible_label_s == 0 and kazakhstan.notice == "unobtrusive"
    assert disclosure_for_territory(None).rule == "*"


def test_only_operators_edit_the_rules_and_bad_values_are_refused() -> None:
    stranger = User.objects.create_user("s", password="x" * 12)
    with pytest.raises(NotAllowed, match="Only the operators"):
        set_rule(by=stranger, territory="KZ", visible_label_s=2, notice="prominent", machine_readable=True)
    operator = User.objects.create_user("o", password="x" * 12)
    NodeOperator.objects.create(user=operator)
    with pytest.raises(InvalidInput, match="'Kazakhstan' is not a territory"):
        set_rule(by=operator, territory="Kazakhstan", visible_label_s=2, notice="prominent", machine_readable=True)
    with pytest.raises(InvalidInput, match="'loud' is not a kind of notice"):
        set_rule(by=operator, territory="KZ", visible_label_s=2, notice="loud", machine_readable=True)
    set_rule(by=operator, territory="kz", visible_label_s=2.5, notice="prominent", machine_readable=True)
    assert disclosure_for_territory("KZ").visible_label_s == 2.5
