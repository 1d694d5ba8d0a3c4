"""PROTOCOL tests of the OpenAI-compatible chat translator against a real HTTP server in
the test process (conftest.ChatServer). They check our requests, answers and errors; the
server's "model" reverses text, so nothing here says anything about translation."""

from __future__ import annotations

import pytest

from dastan.localization.engines.openai_chat import OpenAIChatTranslator
from dastan.localization.errors import EngineFailed, EngineUnavailable


def make(server, **options) -> OpenAIChatTranslator:  # type: ignore[no-untyped-def]
    return OpenAIChatTranslator(url=server.url, model="test-model", **options)


def test_each_text_is_one_request_with_model_temperature_0_and_both_language_names(
        chat_server):
    result = make(chat_server).translate(texts=["Привет", "", "Как дела?"], source="ru",
                                         target="be")
    assert result.texts == ("Belarusian: тевирП", "", "Belarusian: ?алед каК")
    assert len(chat_server.requests) == 2  # the empty text was not sent
    request = chat_server.requests[0]
    assert request["model"] == "test-model" and request["temperature"] == 0
    assert "from Russian to Belarusian" in request["messages"][0]["content"]
    assert request["messages"][1] == {"role": "user", "content": "Привет"}
    assert result.provenance.engine == "openai-chat" and result.provenance.model == "test-model"


def test_the_key_is_read_from_the_named_environment_variable(chat_server, monkeypatch):
    monkeypatch.setenv("DASTAN_TEST_LLM_KEY", "sekret")
    make(chat_server, key_env="DASTAN_TEST_LLM_KEY").translate(texts=["a"], source="en",
                                                               target="ru")
    assert chat_server.headers[0]["Authorization"] == "Bearer sekret"


def test_a_named_key_variable_that_is_not_set_makes_the_engine_unavailable(chat_server,
                                                                            monkeypatch):
    monkeypatch.delenv("DASTAN_TEST_LLM_KEY", raising=False)
    engine = make(chat_server, key_env="DASTAN_TEST_LLM_KEY")
    assert not engine.available() and engine.pairs() == set()
    with pytest.raises(EngineUnavailable, match="DASTAN_TEST_LLM_KEY is not set"):
        engine.translate(texts=["a"], source="en", target="ru")


def test_an_unconfigured_endpoint_names_the_setting():
    info = OpenAIChatTranslator().describe()
    assert not info.available
    assert "DASTAN_ENGINES['OPTIONS']['openai-chat']" in info.problem


def test_pairs_are_limited_to_the_configured_languages(chat_server):
    engine = make(chat_server, languages=["ru", "kk"])
    assert engine.pairs() == {("ru", "kk"), ("kk", "ru")}
    with pytest.raises(EngineUnavailable, match="not configured for ru→en"):
        engine.translate(texts=["a"], source="ru", target="en")


def test_an_http_401_is_engine_failed_naming_the_key_variable(chat_server, monkeypatch):
    monkeypatch.setenv("DASTAN_TEST_LLM_KEY", "wrong")
    chat_server.status, chat_server.body = 401, b'{"error": {"message": "bad key"}}'
    with pytest.raises(EngineFailed, match="answered HTTP 401.*bad key") as caught:
        make(chat_server, key_env="DASTAN_TEST_LLM_KEY").translate(texts=["a"], source="en",
                                                                   target="ru")
    assert "DASTAN_TEST_LLM_KEY" in caught.value.hint


def test_an_answer_without_choices_is_engine_failed(chat_server):
    chat_server.body = b'{"object": "chat.completion"}'
    with pytest.raises(EngineFailed, match=r"without choices\[0\]\.message\.content"):
        make(chat_server).translate(texts=["a"], source="en", target="ru")


def test_an_empty_answer_is_engine_failed_not_an_empty_translation(chat_server):
    chat_server.body = b'{"choices": [{"message": {"role": "assistant", "content": "  "}}]}'
    with pytest.raises(EngineFailed, match="empty translation"):
        make(chat_server).translate(texts=["a"], source="en", target="ru")


def test_an_unreachable_server_is_engine_failed_naming_the_url():
    engine = OpenAIChatTranslator(url="http://127.0.0.1:9/v1", model="m", timeout_s=2)
    with pytest.raises(EngineFailed, match="could not be reached") as caught:
        engine.translate(texts=["a"], source="en", target="ru")
    assert "url" in caught.value.hint
