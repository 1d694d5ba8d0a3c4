import pytest
from django.contrib.auth.models import AnonymousUser

from dastan.accounts.access import NotAMember, can_edit_for, check_can_edit_for
from dastan.accounts.models import Membership
from dastan.catalog.tests.factories import OrganisationFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "allowed"), [
    (Membership.Role.ADMIN, True), (Membership.Role.EDITOR, True), (Membership.Role.TRANSLATOR, True),
    (Membership.Role.REVIEWER, False), (Membership.Role.VIEWER, False),
])
def test_editing_roles_may_edit_for_their_organisation(role: str, allowed: bool) -> None:
    studio = OrganisationFactory()
    assert can_edit_for(user=member_of(studio, role=role), organisation=studio) is allowed


def test_membership_of_one_studio_gives_nothing_at_another() -> None:
    assert not can_edit_for(user=member_of(OrganisationFactory()), organisation=OrganisationFactory())


def test_a_superuser_may_edit_for_any_organisation() -> None:
    admin = UserFactory(username="root", is_superuser=True)
    assert can_edit_for(user=admin, organisation=OrganisationFactory())


def test_an_anonymous_visitor_is_told_to_send_a_token() -> None:
    with pytest.raises(NotAMember, match="not a member of Kaveh Film") as info:
        check_can_edit_for(user=AnonymousUser(), organisation=OrganisationFactory(name="Kaveh Film"))
    assert "token" in info.value.hint and info.value.status == 403
