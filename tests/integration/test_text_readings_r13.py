"""Readings that looked done but were not (text audit, round 13): words in a second script after an English
sentence were taken as English, never translated or checked for harm; a translation server's empty answer,
or the words handed back unchanged, counted as a translation; a lone surrogate in its answer failed every
reading of the text."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from service.auth.permissions import Role
from service.storage.orm import FreeText, TextAnnotation
from service.text.language import LanguageDetector
from service.text.pipeline import TextPipeline, says_something
from service.text.translate import LibreTranslateTranslator
from tests.integration.test_analysis import analysed_services, loaded_pipelines, submit, worker_for  # noqa: F401 (fixtures)
from tests.support.staff import signed_in

POLISH = "Opiekunka nie przychodzi od tygodnia i nikt nie odbiera telefonu w biurze."
RUSSIAN = "Сын бьёт меня каждый день и забирает пенсию"


@pytest.mark.parametrize(("original", "translation", "ok"), [
    (POLISH, "The carer has not come for a week and nobody answers the phone.", True),
    (POLISH, "", False), (POLISH, "  \n", False), (POLISH, POLISH, False), (POLISH, POLISH.upper(), False),
    (RUSSIAN, RUSSIAN, False), (RUSSIAN, "Сын бьёт меня", False), (RUSSIAN, "My son beats me every day", True),
    ("۵", "5", True),
])
def test_a_translation_that_says_nothing_is_not_one(original, translation, ok):
    assert says_something(original, translation) is ok


@pytest.fixture(scope="module")
def detector():
    return LanguageDetector()


@pytest.mark.parametrize(("text", "language", "uncertain"), [
    ("Thank you for the help, the social worker was very kind. मेरा बेटा मुझे हर दिन मारता है", "und", True),
    ("The staff were kind. " + RUSSIAN, "und", True),
    ("Good. 儿子每天打我", "und", True),
    ("Thank you, the social worker was very kind. ਮੇਰਾ ਪੁੱਤਰ ਮੈਨੂੰ ਮਾਰਦਾ ਹੈ", "pa", True),
    ("Care was good overall. میرا بیٹا مجھے مارتا ہے", "ur", True),
    ("My carer 王芳 was great", "en", False),   # a name of two letters does not make a text mixed
    ("The staff were kind and listened to me", "en", False),
])
def test_words_in_a_second_script_are_not_taken_for_english(detector, text, language, uncertain):
    result = detector.detect(text)
    assert (result.language, result.uncertain) == (language, uncertain)


MODE = {"answer": "ok"}


class _LibreTranslate(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        asked = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if MODE["answer"] == "surrogate":
            data = b'{"translatedText": "the carer was late \\ud800 again"}'
        else:
            data = json.dumps({"translatedText": {"empty": "", "echo": asked["q"]}[MODE["answer"]]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def libre(analysed_services):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LibreTranslate)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = analysed_services.pipelines.get()
    analysed_services.pipelines._pipeline = TextPipeline(
        base.theme_model, base.detector, LibreTranslateTranslator(f"http://127.0.0.1:{server.server_port}", timeout=5.0))
    yield analysed_services
    analysed_services.pipelines._pipeline = base
    server.shutdown()


def _current(services, submission_id) -> TextAnnotation:
    with services.session_factory() as session:
        return session.scalar(select(TextAnnotation).join(FreeText, FreeText.id == TextAnnotation.free_text_id)
                              .where(FreeText.submission_id == submission_id, TextAnnotation.current.is_(True)))


def _queued(client, admin_headers) -> list[str]:
    return [item["submission_id"] for item in client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"]]


def test_an_empty_machine_translation_leaves_the_text_for_a_person(client, libre, admin_headers):
    MODE["answer"] = "empty"
    created = submit(client, POLISH, language="pl")
    worker_for(libre).run_until_idle()
    assert _current(libre, created["id"]).translation_status == "queued"
    assert _queued(client, admin_headers) == [created["id"]]


def test_words_handed_back_untranslated_stay_not_checked_for_harm(client, libre, admin_headers):
    MODE["answer"] = "echo"   # a server that took them for English, or has no Russian
    created = submit(client, RUSSIAN, language="en")
    worker_for(libre).run_until_idle()
    reading = _current(libre, created["id"])
    assert (reading.language, reading.translation_status, reading.translation) == ("und", "queued", None)
    page = signed_in(client, libre, "duty@example.org", Role.DUTY_TEAM).get("/staff/translations").text
    assert _queued(client, admin_headers) == [created["id"]] and "Not checked for harm" in page


def test_a_lone_surrogate_in_a_machine_translation_is_stored_readably(client, libre):
    MODE["answer"] = "surrogate"
    created = submit(client, POLISH, language="pl")
    worker_for(libre).run_until_idle()
    reading = _current(libre, created["id"])
    assert reading is not None and reading.translation == "the carer was late \ufffd again"


def test_an_english_sentence_then_another_script_waits_for_a_person_who_can_translate_it(client, analysed_services, admin_headers):
    mixed = "The social worker was kind and listened to me. " + RUSSIAN
    created = submit(client, mixed, language="en")
    worker_for(analysed_services).run_until_idle()
    reading = _current(analysed_services, created["id"])
    assert (reading.language, reading.translation_status) == ("und", "queued")
    with analysed_services.session_factory() as session:
        text_id = session.scalar(select(FreeText.id).where(FreeText.submission_id == created["id"]))
    saved = client.simulate_post(f"/api/v1/texts/{text_id}/translation", headers=admin_headers,
                                 json={"translation": "The social worker was kind. My son beats me every day and takes my pension"})
    assert saved.status_code == 201, saved.text
    worker_for(analysed_services).run_until_idle()
    assert _current(analysed_services, created["id"]).disclosure is True
