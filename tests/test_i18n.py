"""dastan.i18n: texts that keep their message id and named values, so a text made in one
language (a worker's, a sender's) is said again in another (the reader's)."""

from __future__ import annotations

import pickle

from django.utils import translation

from dastan.errors import DastanError
from dastan.i18n import Message, describe, gettext, in_english, ngettext, refill, render, render_in
from dastan.media.errors import SourceMissing

GONE = "The uploaded file '%(name)s' is no longer in the media storage."


def test_a_text_is_the_str_of_the_active_language_and_keeps_its_id_and_values() -> None:
    with translation.override("ru"):
        text = gettext(GONE) % {"name": "a.mp4"}
    assert text == "Загруженного файла 'a.mp4' больше нет в медиахранилище."
    assert describe(text) == {"msgid": GONE, "params": {"name": "a.mp4"}}
    assert render_in("ur", describe(text)) == "اپ لوڈ شدہ فائل 'a.mp4' اب میڈیا اسٹوریج میں نہیں ہے۔"
    assert in_english(text) == "The uploaded file 'a.mp4' is no longer in the media storage."


def test_an_error_crosses_processes_with_its_message_ids() -> None:
    with translation.override("ru"):
        error = SourceMissing(gettext(GONE) % {"name": "a.mp4"}, gettext("Upload the film again."))
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is SourceMissing and again.code == error.code
    assert isinstance(again.message, Message) and describe(again.message) == describe(error.message)
    assert str(again) == str(error)


def test_plural_and_nested_texts_are_said_again_with_their_number() -> None:
    text = ngettext("%(count)s day", "%(count)s days", 5) % {"count": 5, "what": gettext("Nothing new.")}
    described = describe(text)
    assert described["plural"] == "%(count)s days" and described["count"] == 5
    assert described["params"]["what"] == {"__message__": {"msgid": "Nothing new."}}


def test_a_text_without_an_id_or_a_translation_that_lost_a_placeholder_falls_back_to_the_stored_text() -> None:
    assert describe("plain words") == {} and render({}, "as stored") == "as stored"
    assert describe(gettext("%s and %s") % ("a", "b")) == {}  # positional values: no id kept
    assert render({"msgid": GONE, "params": {"other": 1}}, "as stored") == "as stored"


def test_a_plain_dastan_error_still_pickles() -> None:
    again = pickle.loads(pickle.dumps(DastanError("Plain.", "Hint.", code="x")))
    assert (again.message, again.hint, again.code) == ("Plain.", "Hint.", "x")


def test_a_value_changed_afterwards_is_said_again_with_the_new_value() -> None:
    with translation.override("ru"):
        text = gettext(GONE) % {"name": "12.part"}
        renamed = refill(text, name="film.mov")
    assert renamed == "Загруженного файла 'film.mov' больше нет в медиахранилище."
    assert in_english(renamed) == "The uploaded file 'film.mov' is no longer in the media storage."
