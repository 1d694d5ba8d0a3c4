"""The bazaar's notifications and their e-mails are written in each recipient's language,
whatever the language of the person whose action sent them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from dastan.accounts.languages import remember_language
from dastan.bazaar.interest import decide_interest, express_interest
from dastan.bazaar.models import Notification
from dastan.bazaar.tests.factories import org_profile, project

pytestmark = pytest.mark.django_db


def test_a_decline_reaches_the_sender_in_their_language_and_follows_them() -> None:
    owner, owner_user = org_profile(name="Lollywood Pictures")
    film = project(owner=owner, user=owner_user, title="Noori", visibility="public")
    sender, sender_user = org_profile(name="Almaty Pixel Works", country="KZ")
    sender_user.email = "almaty@example.org"
    sender_user.save()
    remember_language(user_id=sender_user.pk, language="ru")
    interest = express_interest(user=sender_user, project_id=film.pk, sender=sender, message="We do VFX.")
    with translation.override("ur"):  # the owner decides in Urdu
        decide_interest(user=owner_user, interest_id=interest.pk, accept=False, reason="budget",
                        note="We need a partner under 200k.")
    sent = mail.outbox[-1]
    assert sent.subject == "Решение по проекту «Noori»"
    assert sent.body.startswith("Lollywood Pictures: ваш интерес к проекту «Noori» отклонён: Бюджет не подходит. "
                                "We need a partner under 200k.")
    note = Notification.objects.get(user=sender_user)
    assert note.text == sent.body.split("\n")[0]
    client = Client()
    client.force_login(sender_user)
    client.cookies["dastan_language"] = "ur"
    page = client.get("/bazaar/notifications/").content.decode()
    assert "Lollywood Pictures نے Noori میں آپ کی دلچسپی سے انکار کیا: بجٹ موزوں نہیں۔ We need a partner under 200k." in page
