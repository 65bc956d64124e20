"""The text pipeline on stored feedback: annotations with history, the urgent alert, the translation queue,
failures retried and shown, and the alert delivered by a real SMTP server (aiosmtpd)."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from service.analysis import DUTY_ALERT, PipelineHolder
from service.outbox.email import SmtpSender
from service.outbox.outbox import claim_due
from service.runtime import build_handlers
from service.storage.orm import OutboxMessage, Submission, TextAnnotation
from service.storage.types import utcnow
from service.text.pipeline import TextPipeline
from service.text.translate import LibreTranslateTranslator
from service.worker import Worker
from tests.conftest import make_token, free_port, settings_for

DISCLOSING = "My son takes my pension every week and says he will put me in a home if I tell anyone."
CALM = "The social worker listened to me and now I feel safer at home. Thank you."


@pytest.fixture(scope="session")
def loaded_pipelines(tmp_path_factory):
    holder = PipelineHolder(settings_for("sqlite://", tmp_path_factory.mktemp("p")))
    holder.get()
    return holder


@pytest.fixture
def analysed_services(services, loaded_pipelines):
    services.pipelines._pipeline = loaded_pipelines.get()
    return services


def worker_for(services, **handlers):
    all_handlers = build_handlers(services.settings, services.session_factory, services.pipelines)
    all_handlers.update(handlers)
    return Worker(services.session_factory, all_handlers, max_attempts=3)


def submit(client, text, language="en"):
    body = {"language": language, "answers": {"feel_safer": "less_safe"}, "texts": {"own_words": text}, "consent": "anonymous"}
    response = client.simulate_post("/api/v1/submissions", json=body)
    assert response.status_code == 201
    return response.json


def test_a_disclosure_makes_the_item_urgent_and_alerts_the_duty_team(client, analysed_services, admin_headers):
    created = submit(client, DISCLOSING)
    calm = submit(client, CALM)
    worker_for(analysed_services).run_until_idle()
    with analysed_services.session_factory() as session:
        assert session.get(Submission, created["id"]).urgent is True
        assert session.get(Submission, calm["id"]).urgent is False
        alerts = list(session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DUTY_ALERT)))
        assert len(alerts) == 1 and alerts[0].submission_id == created["id"]
        assert created["reference"] in alerts[0].subject
        assert "pension" not in alerts[0].body  # the person's words stay out of email
    analysis = client.simulate_get(f"/api/v1/submissions/{created['id']}/analysis", headers=admin_headers).json
    current = analysis["texts"][0]["current"]
    assert analysis["urgent"] and current["disclosure"] is True and current["disclosure_category"] == "financial"
    assert any(word.lower() in DISCLOSING.lower() for word in current["disclosure_evidence"])
    assert analysis["texts"][0]["text"] == DISCLOSING  # verbatim, untouched
    assert current["sentiment"] in ("negative", "neutral_mixed", "positive") and current["model_version"]


def test_the_alert_names_the_language_the_words_were_read_in(client, analysed_services):
    """Roman Urdu sent through the English form: the duty worker may need an interpreter before phoning."""
    created = submit(client, "Mera beta mujhe marta hai aur mere paise le leta hai")
    english = submit(client, DISCLOSING)
    worker_for(analysed_services).run_until_idle()
    with analysed_services.session_factory() as session:
        bodies = {a.submission_id: a.body for a in session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DUTY_ALERT))}
    assert "language en, words read as ur)" in bodies[created["id"]]
    assert "language en)" in bodies[english["id"]] and "words read as" not in bodies[english["id"]]


def test_words_in_the_other_need_box_are_checked_for_harm(client, analysed_services):
    body = {"language": "en", "communication_needs": ["other"], "consent": "anonymous",
            "communication_needs_other": "I need someone to come, my carer hits me and takes my money"}
    created = client.simulate_post("/api/v1/submissions", json=body)
    calm = client.simulate_post("/api/v1/submissions", json={**body, "communication_needs_other": "Large print please"})
    assert created.status_code == calm.status_code == 201
    worker_for(analysed_services).run_until_idle()
    with analysed_services.session_factory() as session:
        assert session.get(Submission, created.json["id"]).urgent is True
        assert session.get(Submission, calm.json["id"]).urgent is False
        alerts = list(session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DUTY_ALERT)))
        assert [a.submission_id for a in alerts] == [created.json["id"]]
    from service.auth.permissions import Role
    from tests.support.staff import signed_in

    page = signed_in(client, analysed_services, "duty@example.org", Role.DUTY_TEAM).get(f"/staff/submissions/{created.json['id']}")
    assert "my carer hits me and takes my money" in page.text   # the duty worker sees the words that raised it
    assert "“other need” words below" in page.text
    api = client.simulate_get(f"/api/v1/submissions/{created.json['id']}", headers={"Authorization": f"Bearer {make_token(analysed_services, Role.ADMIN)}"})
    assert api.json["communication_needs_other"] == body["communication_needs_other"]


def test_rerunning_keeps_the_history_and_alerts_once(client, analysed_services):
    created = submit(client, DISCLOSING)
    worker = worker_for(analysed_services)
    worker.run_until_idle()
    with analysed_services.session_factory.begin() as session:  # a new model version: run it again
        task = session.scalars(select(OutboxMessage).where(OutboxMessage.submission_id == created["id"], OutboxMessage.channel == "task")).one()
        task.status, task.next_attempt_at = "pending", task.created_at
    worker.run_until_idle()
    with analysed_services.session_factory() as session:
        annotations = list(session.scalars(select(TextAnnotation)))
        assert len(annotations) == 2 and [a.current for a in annotations].count(True) == 1
        assert len(list(session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DUTY_ALERT)))) == 1


def test_untranslated_text_is_queued_for_a_person_and_reread_with_the_translation(client, analysed_services, admin_headers):
    urdu = "میری بہو مجھے کمرے میں بند کر دیتی ہے اور کھانا نہیں دیتی۔"
    created = submit(client, urdu, language="ur")
    worker_for(analysed_services).run_until_idle()
    queue = client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"]
    assert [item["text"] for item in queue] == [urdu]
    translated = client.simulate_post(f"/api/v1/texts/{queue[0]['free_text_id']}/translation",
                                      json={"translation": "My daughter-in-law locks me in the room and does not give me food."}, headers=admin_headers)
    assert translated.status_code == 201 and translated.json["translation_status"] == "human"
    assert client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"] == []
    analysis = client.simulate_get(f"/api/v1/submissions/{created['id']}/analysis", headers=admin_headers).json
    assert analysis["texts"][0]["earlier_readings"] == 1 and analysis["texts"][0]["text"] == urdu
    assert analysis["urgent"] is True  # locked in and not fed: a disclosure, whichever reading found it


def test_a_failing_pipeline_never_loses_the_submission(client, services, admin_headers):
    def broken(_settings):
        raise RuntimeError("model file corrupt")

    services.pipelines.loader = broken
    created = submit(client, CALM)
    worker = worker_for(services)
    for _ in range(3):
        worker.run_once()
        with services.session_factory.begin() as session:
            for row in session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending")):
                row.next_attempt_at = row.created_at
    assert client.simulate_get(f"/api/v1/submissions/{created['id']}", headers=admin_headers).status_code == 200
    failed = client.simulate_get("/api/v1/outbox", params={"failed_tasks": "true"}, headers=admin_headers).json["items"]
    assert len(failed) == 1 and failed[0]["last_error"].startswith("RuntimeError")
    assert "model file corrupt" not in failed[0]["last_error"]  # exception text can quote data: kept out

    # Staff looking at the feedback are told its words were never read, and reanalyse queues it again.
    from service.analysis import queue_reanalysis
    from service.auth.permissions import Role
    from tests.support.staff import signed_in

    staff = signed_in(client, services, "duty@example.org", Role.DUTY_TEAM)
    page = staff.get(f"/staff/submissions/{created['id']}")
    assert page.status_code == 200 and "The text check failed" in page.text and "after 3 tries" in page.text
    listing = staff.get("/staff/submissions?urgent=true").text       # listed with the urgent ones, marked
    assert created["reference"] in listing and "Not checked" in listing
    with services.session_factory.begin() as session:
        assert queue_reanalysis(session, "any-model") == 1
        assert queue_reanalysis(session, "any-model") == 0     # waiting already
    for _ in range(3):                                         # the model is still broken: the re-read fails too
        worker.run_once()
        with services.session_factory.begin() as session:
            for row in session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending")):
                row.next_attempt_at = row.created_at
    with services.session_factory.begin() as session:
        assert queue_reanalysis(session, "any-model") == 1     # a failed re-read is queued again
    services.pipelines.loader = None
    worker.run_until_idle()
    with services.session_factory() as session:
        assert session.scalar(select(TextAnnotation).where(TextAnnotation.current.is_(True))) is not None


def test_a_disclosure_whose_reading_the_database_refuses_still_alerts_the_duty_team(client, analysed_services, engine):
    """Storing the reading fails (any database error: here a trigger refuses it): the disclosure check alone
    still raises the alert, as it does when the pipeline fails, and the check is retried (worker audit #5)."""
    from tests.integration.test_worker_batch_failure import database_refuses

    created = submit(client, DISCLOSING)
    worker = Worker(analysed_services.session_factory, {"task": build_handlers(
        analysed_services.settings, analysed_services.session_factory, analysed_services.pipelines)["task"]}, max_attempts=3)
    with database_refuses(engine, "test_reading_refused", "NEW.disclosure", "value too long", table="text_annotations",
                          event="INSERT"):
        worker.run_once()
    with analysed_services.session_factory() as session:
        alerts = session.scalars(select(OutboxMessage.submission_id).where(OutboxMessage.purpose == DUTY_ALERT)).all()
        check = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "task")).one()
        assert alerts == [created["id"]] and session.get(Submission, created["id"]).urgent is True
        assert (check.status, check.attempts) == ("pending", 1)
        assert session.scalar(select(func.count()).select_from(TextAnnotation)) == 0


class _LibreTranslate(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps({"translatedText": "My son hits me and takes my money"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_translation_through_a_long_gateway_url_is_stored_naming_the_host_only(client, analysed_services):
    """translation_source is 120 characters: "libretranslate:<the whole URL>" did not fit one behind a gateway path,
    so PostgreSQL refused every machine-translated reading (and no alert went: see the test above). Now the engine
    and the host are stored (worker audit #5)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LibreTranslate)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        url = (f"http://127.0.0.1:{port}"
               "/gateway/translation-services/libretranslate/v1/tenants/safeguarding-adults-board-north")
        base = analysed_services.pipelines.get()
        analysed_services.pipelines._pipeline = TextPipeline(base.theme_model, base.detector, LibreTranslateTranslator(url))
        created = submit(client, "Mera beta mujhe marta hai aur mere paise le leta hai")
        worker_for(analysed_services).run_once()
        with analysed_services.session_factory() as session:
            reading = session.scalars(select(TextAnnotation)).one()
            assert (reading.translation_status, reading.translation_source) == ("machine", f"libretranslate:127.0.0.1:{port}")
            assert session.scalars(select(OutboxMessage.submission_id).where(OutboxMessage.purpose == DUTY_ALERT)).all() == [
                created["id"]]
    finally:
        server.shutdown()


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def test_the_alert_goes_out_through_a_real_smtp_server(client, analysed_services, tmp_path):
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        submit(client, DISCLOSING)
        sender = SmtpSender(f"smtp://127.0.0.1:{port}", "msp@example.org")
        settings = settings_for(analysed_services.settings.database_url, tmp_path, DUTY_TEAM_EMAIL="duty@example.org",
                                SMTP_URL=f"smtp://127.0.0.1:{port}", MAIL_FROM="msp@example.org")
        analysed_services.settings = settings
        worker_for(analysed_services, email=sender).run_until_idle()
        deadline = time.monotonic() + 5
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(inbox.messages) == 1
        envelope = inbox.messages[0]
        assert envelope.rcpt_tos == ["duty@example.org"]
        assert b"URGENT" in envelope.content and b"pension" not in envelope.content
        with analysed_services.session_factory() as session:
            alert = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DUTY_ALERT)).one()
            assert alert.status == "sent" and alert.provider_message_id.startswith("<outbox-")
    finally:
        controller.stop()


def test_an_alert_queued_without_the_duty_address_reaches_it_once_it_is_set(client, analysed_services, tmp_path):
    """Alerts are never given up: one queued while DUTY_TEAM_EMAIL was unset (or mistyped) goes to the address
    configured now at its next try, not to the one stored with it."""
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        submit(client, DISCLOSING)                                          # DUTY_TEAM_EMAIL unset: no recipient stored
        worker_for(analysed_services, email=SmtpSender(f"smtp://127.0.0.1:{port}", "msp@example.org")).run_until_idle()
        with analysed_services.session_factory() as session:
            alert = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DUTY_ALERT)).one()
            assert alert.recipient is None and alert.status == "pending"     # refused, kept for another try
        with analysed_services.session_factory.begin() as session:           # as if its next try were due
            session.execute(update(OutboxMessage).where(OutboxMessage.purpose == DUTY_ALERT).values(next_attempt_at=utcnow()))
        fixed = SmtpSender(f"smtp://127.0.0.1:{port}", "msp@example.org", duty_team_email="duty@example.org")
        worker_for(analysed_services, email=fixed).run_until_idle()
        deadline = time.monotonic() + 5
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [m.rcpt_tos for m in inbox.messages] == [["duty@example.org"]]
    finally:
        controller.stop()


def test_smtp_refusals_map_to_final_or_retry(tmp_path):
    from service.outbox.handlers import DeliveryError
    from service.outbox.outbox import ClaimedMessage

    message = ClaimedMessage(id=1, channel="email", purpose="x", recipient=None, subject="s", body="b", payload={}, attempts=1,
                             submission_id=None, provider_message_id=None, reclaimed=False)
    with pytest.raises(DeliveryError) as no_recipient:
        SmtpSender("smtp://127.0.0.1:9", "a@example.org").handle(message)
    assert no_recipient.value.final
    unreachable = ClaimedMessage(**{**message.__dict__, "recipient": "b@example.org"})
    with pytest.raises(DeliveryError) as down:
        SmtpSender(f"smtp://127.0.0.1:{free_port()}", "a@example.org", timeout=2).handle(unreachable)
    assert not down.value.final


def test_a_rerun_keeps_a_persons_translation(client, analysed_services, admin_headers):
    urdu = "میری بہو مجھے کمرے میں بند کر دیتی ہے اور کھانا نہیں دیتی۔"
    created = submit(client, urdu, language="ur")
    worker = worker_for(analysed_services)
    worker.run_until_idle()
    text_id = client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"][0]["free_text_id"]
    client.simulate_post(f"/api/v1/texts/{text_id}/translation", json={"translation": "My daughter-in-law locks me in."}, headers=admin_headers)
    with analysed_services.session_factory.begin() as session:  # the analysis runs again (a retry, a new model)
        task = session.scalars(select(OutboxMessage).where(OutboxMessage.submission_id == created["id"], OutboxMessage.channel == "task")).one()
        task.status, task.next_attempt_at = "pending", task.created_at
    worker.run_until_idle()
    current = client.simulate_get(f"/api/v1/submissions/{created['id']}/analysis", headers=admin_headers).json["texts"][0]["current"]
    assert current["translation_status"] == "human" and current["translation"] == "My daughter-in-law locks me in."
    assert client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"] == []


def _translated_and_queued_again(client, services, admin_headers, translation):
    """A Russian text ("und") a person translated, and then queued to be read again (a retry, `reanalyse`)."""
    created = submit(client, "Мой сын забирает мою пенсию.")
    worker = worker_for(services)
    worker.run_until_idle()
    item = client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"][0]
    first = client.simulate_post(f"/api/v1/texts/{item['free_text_id']}/translation", headers=admin_headers,
                                 json={"translation": translation, "current_annotation_id": item["annotation_id"]})
    assert first.status_code == 201
    with services.session_factory.begin() as session:
        task = session.scalars(select(OutboxMessage).where(OutboxMessage.submission_id == created["id"], OutboxMessage.channel == "task")).one()
        task.status, task.next_attempt_at = "pending", task.created_at
    return created, item["free_text_id"], first.json["id"], worker


def test_a_reread_stores_nothing_over_a_translation_a_person_replaced_meanwhile(client, analysed_services, admin_headers):
    """Audit translq, finding 3, in the order it happens: the re-read loads translation A and reads the text with it;
    meanwhile a person replaces A with B (naming A); the re-read's reading (with A) must not put A back over B."""
    from service.analysis import _read_with_translation, store_annotations

    created, text_id, first_id, _worker = _translated_and_queued_again(client, analysed_services, admin_headers,
                                                                       "My son looks after my pension.")
    reading = _read_with_translation(analysed_services.pipelines.get(), text_id, "Мой сын забирает мою пенсию.",
                                     "My son looks after my pension.", "human:someone")      # the worker, with A
    corrected = client.simulate_post(f"/api/v1/texts/{text_id}/translation", headers=admin_headers,
                                     json={"translation": "My son takes my pension.", "current_annotation_id": first_id})
    assert corrected.status_code == 201                                                     # a person, B over A
    with analysed_services.session_factory.begin() as session:
        assert store_annotations(session, created["id"], [reading], analysed_services.settings, {text_id: first_id}).rows == []
    with analysed_services.session_factory() as session:
        current = session.scalars(select(TextAnnotation).where(TextAnnotation.free_text_id == text_id,
                                                               TextAnnotation.current.is_(True))).one()
    assert (current.id, current.translation) == (corrected.json["id"], "My son takes my pension.")
    # A reading based on the current translation is stored as before (a re-read with nothing replaced meanwhile).
    again = _read_with_translation(analysed_services.pipelines.get(), text_id, "Мой сын забирает мою пенсию.",
                                   "My son takes my pension.", current.translation_source)
    with analysed_services.session_factory.begin() as session:
        assert len(store_annotations(session, created["id"], [again], analysed_services.settings,
                                     {text_id: corrected.json["id"]}).rows) == 1


def test_the_worker_does_not_put_back_a_translation_replaced_while_it_ran(client, analysed_services, admin_headers, monkeypatch):
    """The same through the worker (audit translq, finding 3): the correction lands while the worker reads."""
    import service.analysis as analysis_mod

    created, text_id, first_id, worker = _translated_and_queued_again(client, analysed_services, admin_headers,
                                                                      "My son looks after my pension.")
    real, started, corrected = analysis_mod._read_with_translation, [], []

    def reading(pipeline, free_text_id, text, translation, source):
        row = real(pipeline, free_text_id, text, translation, source)
        if not started:                        # the worker's reading: the correction lands meanwhile
            started.append(True)               # (the person's save reads with this function too)
            corrected.append(client.simulate_post(
                f"/api/v1/texts/{free_text_id}/translation", headers=admin_headers,
                json={"translation": "My son takes my pension.", "current_annotation_id": first_id}))
        return row

    monkeypatch.setattr(analysis_mod, "_read_with_translation", reading)
    worker.run_until_idle()
    assert corrected[0].status_code == 201
    analysis = client.simulate_get(f"/api/v1/submissions/{created['id']}/analysis", headers=admin_headers).json["texts"][0]
    assert analysis["current"]["translation"] == "My son takes my pension.", analysis["current"]["translation"]
    with analysed_services.session_factory() as session:     # the task is done, not retried for ever
        assert session.scalars(select(OutboxMessage.status).where(OutboxMessage.submission_id == created["id"],
                                                                  OutboxMessage.channel == "task")).one() == "sent"


@pytest.fixture(scope="module")
def board_model_dir(tmp_path_factory):
    """A theme model trained the way the board would (`msp-feedback themes train`), with labels of its own."""
    from click.testing import CliRunner

    from service.text.cli import themes as themes_cli

    directory = tmp_path_factory.mktemp("board")
    rows = [{"text": f"the lift was broken again on floor {i}", "labels": ["lifts_and_stairs"], "sentiment": "negative"}
            for i in range(12)]
    rows += [{"text": f"lovely garden and kind staff, visit {i}", "labels": ["gardens"], "sentiment": "positive"}
             for i in range(12)]
    train = directory / "board.jsonl"
    train.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(themes_cli, ["train", "--train", str(train), "--out", str(directory / "model"), "--no-tune"])
    assert result.exit_code == 0, result.output
    return directory / "model"


def _board_services(services, tmp_path, board_model_dir):
    from service.app import build_services

    settings = settings_for(services.settings.database_url, tmp_path, THEME_MODEL_DIR=str(board_model_dir))
    return build_services(settings, engine=services.engine)


def test_a_model_the_board_trained_is_used_by_the_worker_when_configured(client, services, tmp_path, board_model_dir):
    """THEME_MODEL_DIR: the board retrains (`themes train`) and the worker themes with that model."""
    from service.config import ConfigurationError, Settings

    board_services = _board_services(services, tmp_path, board_model_dir)
    submit(client, "The lift was broken again and I could not get to my room.")
    worker_for(board_services).run_until_idle()
    with board_services.session_factory() as session:
        annotation = session.scalar(select(TextAnnotation).where(TextAnnotation.current.is_(True)))
    board_version = board_services.pipelines.get().theme_model.version
    assert annotation.model_version.startswith(board_version + ";")
    assert "lifts_and_stairs" in annotation.themes

    with pytest.raises(ConfigurationError, match="THEME_MODEL_DIR: .* is not a model directory"):
        Settings.from_environ({"THEME_MODEL_DIR": str(tmp_path), "SECRET_KEY": "x", "VAR_DIR": str(tmp_path / "var")})


def test_reanalyse_reads_again_what_another_model_read_keeping_history(client, analysed_services, tmp_path, monkeypatch,
                                                                       board_model_dir):
    from click.testing import CliRunner

    from service.analysis import queue_reanalysis
    from service.cli import main
    from service.privacy.models import TextReduction
    from service.storage.orm import FreeText
    from service.storage.types import utcnow

    first = submit(client, "The lift was broken again and I could not get to my room.")
    erased = submit(client, "Please forget what I wrote.")
    worker_for(analysed_services).run_until_idle()                 # read with the shipped model
    with analysed_services.session_factory.begin() as session:     # as erasure leaves a text
        text = session.scalar(select(FreeText).where(FreeText.submission_id == erased["id"]))
        session.add(TextReduction(free_text_id=text.id, kind="erased", at=utcnow()))
    with analysed_services.session_factory.begin() as session:
        assert queue_reanalysis(session, analysed_services.pipelines.get().model_version) == 0   # all read by it

    monkeypatch.setenv("DATABASE_URL", analysed_services.settings.database_url)
    monkeypatch.setenv("SECRET_KEY", "reanalyse-test-key")
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("THEME_MODEL_DIR", str(board_model_dir))
    result = CliRunner().invoke(main, ["reanalyse"])
    assert result.exit_code == 0, result.output
    board_services = _board_services(analysed_services, tmp_path, board_model_dir)
    board_version = board_services.pipelines.get().model_version
    assert f"queued 1 submission(s) to be read again with {board_version}" in result.output
    again = CliRunner().invoke(main, ["reanalyse"])                # queued already: not twice
    assert again.exit_code == 0 and "queued 0 submission(s)" in again.output

    worker_for(board_services).run_until_idle()
    with board_services.session_factory() as session:
        def readings(submission_id):
            return list(session.scalars(select(TextAnnotation).join(FreeText, FreeText.id == TextAnnotation.free_text_id)
                                        .where(FreeText.submission_id == submission_id).order_by(TextAnnotation.id)))
        earlier, now = readings(first["id"])
        assert not earlier.current and now.current and now.model_version == board_version   # the earlier one is history
        assert "lifts_and_stairs" in now.themes
        assert len(readings(erased["id"])) == 1                                              # erased words are not read again
    with board_services.session_factory.begin() as session:
        assert queue_reanalysis(session, board_version) == 0


def test_email_without_a_duty_team_address_is_refused_at_start(tmp_path):
    from service.config import ConfigurationError, Settings

    environ = {"VAR_DIR": str(tmp_path), "SECRET_KEY": "k", "SMTP_URL": "smtp://127.0.0.1:2525", "MAIL_FROM": "msp@example.org"}
    with pytest.raises(ConfigurationError, match="DUTY_TEAM_EMAIL must be set when SMTP_URL is set"):
        Settings.from_environ(environ)
    assert Settings.from_environ({**environ, "DUTY_TEAM_EMAIL": "duty@example.org"}).smtp_enabled


def test_reanalysis_falls_due_a_few_at_a_time_and_leaves_waiting_checks_alone(client, analysed_services):
    from service.analysis import queue_reanalysis

    from service.intake import ANALYSE_TEXT
    from service.outbox.outbox import enqueue

    submitted = [submit(client, text) for text in (CALM, "The food was cold again.", "The lift is broken.")]
    worker_for(analysed_services).run_until_idle()
    with analysed_services.session_factory.begin() as session:   # a text typed from paper: its check is waiting
        enqueue(session, channel="task", purpose=ANALYSE_TEXT, payload={"submission_id": submitted[2]["id"]},
                submission_id=submitted[2]["id"])
    with analysed_services.session_factory.begin() as session:
        assert queue_reanalysis(session, "board-model@2", per_second=0.5) == 2
        tasks = list(session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.like("%:again:%"))
                                     .order_by(OutboxMessage.next_attempt_at)))
    assert sorted(t.submission_id for t in tasks) == sorted([submitted[0]["id"], submitted[1]["id"]])
    assert (tasks[1].next_attempt_at - tasks[0].next_attempt_at).total_seconds() == 2.0


def test_new_feedback_is_checked_before_re_reads_that_fell_due_earlier(client, analysed_services):
    """Re-reads fall due a few a second; a worker that fell behind them (restarted for the new model, or slower than
    their pace) claimed every one due before a new submission's check first (worker audit #2)."""
    from service.analysis import queue_reanalysis

    for i in range(25):
        submit(client, f"The carer was kind, visit {i}.")
    worker_for(analysed_services).run_until_idle()
    with analysed_services.session_factory.begin() as session:
        assert queue_reanalysis(session, "board-model@2", per_second=1000) == 25
    with analysed_services.session_factory.begin() as session:   # the worker fell behind: all of them are due
        session.execute(update(OutboxMessage).where(OutboxMessage.status == "pending").values(next_attempt_at=utcnow()))
    created = submit(client, DISCLOSING)
    with analysed_services.session_factory.begin() as session:
        claimed = claim_due(session, limit=20)
    assert claimed[0].payload["submission_id"] == created["id"] and len(claimed) == 20    # the re-reads after it


def test_texts_never_read_fall_due_before_those_another_model_read(client, analysed_services):
    """A text whose check gave up was checked for disclosures alone: it has no themes and no translation. Queued
    again with re-reads for a new model, it fell due in the order of its id among thousands of them."""
    from service.analysis import queue_reanalysis
    from service.storage.orm import FreeText

    submitted = [submit(client, f"The carer was kind, visit {i}.") for i in range(4)]
    worker_for(analysed_services).run_until_idle()
    unread = max(s["id"] for s in submitted)          # it sorts last: only being never read puts it first
    with analysed_services.session_factory.begin() as session:
        texts = select(FreeText.id).where(FreeText.submission_id == unread)
        session.execute(TextAnnotation.__table__.delete().where(TextAnnotation.free_text_id.in_(texts)))
        session.execute(update(OutboxMessage).where(OutboxMessage.submission_id == unread,
                                                    OutboxMessage.purpose == "analyse_text").values(status="failed"))
    with analysed_services.session_factory.begin() as session:
        assert queue_reanalysis(session, "board-model@2", per_second=0.5) == 4
        tasks = list(session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.like("%:again:%"))
                                     .order_by(OutboxMessage.next_attempt_at)))
    assert [t.submission_id for t in tasks][0] == unread
    assert sorted(t.submission_id for t in tasks[1:]) == sorted(s["id"] for s in submitted if s["id"] != unread)


def _queued_urdu_text(client, services, admin_headers):
    created = submit(client, "میری بہو مجھے کمرے میں بند کر دیتی ہے اور کھانا نہیں دیتی۔", language="ur")
    worker_for(services).run_until_idle()
    queue = client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"]
    return created, queue[0]["free_text_id"]


def test_a_translation_for_erased_words_is_refused_and_nothing_comes_back(client, analysed_services, admin_headers):
    created, text_id = _queued_urdu_text(client, analysed_services, admin_headers)
    erased = client.simulate_post("/api/v1/privacy/erasures", json={"reference": created["reference"]}, headers=admin_headers)
    assert erased.status_code == 200
    typed = client.simulate_post(f"/api/v1/texts/{text_id}/translation", headers=admin_headers,
                                 json={"translation": "My daughter-in-law Imran Khan locks me in the room."})
    assert typed.status_code == 404 and "erased" in typed.json["detail"]
    with analysed_services.session_factory() as session:
        assert list(session.scalars(select(TextAnnotation))) == []     # erasure removed them; none came back


def test_a_reading_finished_after_erasure_is_thrown_away(client, analysed_services, admin_headers):
    """The worker reads outside any transaction; if the words are erased meanwhile its result is not stored
    (nor is an alert raised from it)."""
    from service.analysis import annotation_row, store_annotations

    from service.storage.orm import FreeText

    created = submit(client, DISCLOSING)
    with analysed_services.session_factory() as session:
        text_id = session.scalar(select(FreeText.id).where(FreeText.submission_id == created["id"]))
    reading = annotation_row(text_id, analysed_services.pipelines.get().analyse(DISCLOSING))    # read first...
    assert client.simulate_post("/api/v1/privacy/erasures", json={"reference": created["reference"]},
                                headers=admin_headers).status_code == 200                    # ...erased meanwhile
    with analysed_services.session_factory.begin() as session:
        assert store_annotations(session, created["id"], [reading], analysed_services.settings).rows == []
    with analysed_services.session_factory() as session:
        assert list(session.scalars(select(TextAnnotation))) == []
        assert list(session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DUTY_ALERT))) == []


def test_other_need_words_erased_while_they_are_read_raise_no_alert(client, services, loaded_pipelines, admin_headers):
    body = {"language": "en", "communication_needs": ["other"], "consent": "anonymous", "communication_needs_other": DISCLOSING,
            "texts": {"own_words": CALM}}
    created = client.simulate_post("/api/v1/submissions", json=body).json

    def erase_meanwhile(_settings):   # the check has read the "other need"; the person's erasure lands now
        assert client.simulate_post("/api/v1/privacy/erasures", json={"reference": created["reference"]},
                                    headers=admin_headers).status_code == 200
        return loaded_pipelines.get()

    services.pipelines.loader = erase_meanwhile
    worker_for(services).run_until_idle()
    with services.session_factory() as session:
        assert session.get(Submission, created["id"]).urgent is False
        assert list(session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DUTY_ALERT))) == []


def test_english_needs_no_translation_and_a_save_is_audited(client, analysed_services, admin_headers):
    english = submit(client, CALM)
    created, text_id = _queued_urdu_text(client, analysed_services, admin_headers)
    from service.storage.orm import FreeText
    with analysed_services.session_factory() as session:
        english_text = session.scalar(select(FreeText.id).where(FreeText.submission_id == english["id"]))
    refused = client.simulate_post(f"/api/v1/texts/{english_text}/translation", headers=admin_headers,
                                   json={"translation": "Everything was lovely."})
    assert refused.status_code == 409
    assert client.simulate_post(f"/api/v1/texts/{2**40}/translation", headers=admin_headers,
                                json={"translation": "x"}).status_code == 404          # not a 500 from the driver
    saved = client.simulate_post(f"/api/v1/texts/{text_id}/translation", headers=admin_headers,
                                 json={"translation": "My daughter-in-law locks me in the room and does not feed me."})
    assert saved.status_code == 201
    events = client.simulate_get("/api/v1/audit", params={"action": "text.translated"}, headers=admin_headers).json["items"]
    assert [(e["target"]["id"], e["detail"]["free_text_id"]) for e in events] == [(created["id"], text_id)]
    listed = client.simulate_get("/api/v1/audit", params={"target_type": "translation_queue"}, headers=admin_headers).json["items"]
    assert any(created["id"] in e["detail"].get("submission_ids", []) for e in listed)
    assert {e["action"] for e in listed} == {"submission.list"}     # a page of people's words, as on the staff page
    found = client.simulate_get("/api/v1/audit", params={"target_id": created["id"]}, headers=admin_headers).json["items"]
    assert "translation_queue" in {e["target"]["type"] for e in found}


@pytest.mark.parametrize("typed", ["   \n ", "...", "\u00a0\u2003?!"])
def test_a_translation_without_a_letter_is_refused_naming_the_field(client, analysed_services, admin_headers, typed):
    created, text_id = _queued_urdu_text(client, analysed_services, admin_headers)
    refused = client.simulate_post(f"/api/v1/texts/{text_id}/translation", headers=admin_headers, json={"translation": typed})
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "translation"
    assert "no letters" in refused.json["errors"][0]["message"]
    assert [i["free_text_id"] for i in client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"]] == [text_id]
    saved = client.simulate_post(f"/api/v1/texts/{text_id}/translation", headers=admin_headers,
                                 json={"translation": "  My daughter-in-law locks me in.\n"})
    assert saved.status_code == 201 and saved.json["translation"] == "My daughter-in-law locks me in."


def test_a_translation_saved_meanwhile_is_not_replaced_unseen(client, analysed_services, admin_headers):
    created, text_id = _queued_urdu_text(client, analysed_services, admin_headers)
    seen = client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"][0]["annotation_id"]
    first = client.simulate_post(f"/api/v1/texts/{text_id}/translation", headers=admin_headers,
                                 json={"translation": "My daughter-in-law locks me in the room.", "current_annotation_id": seen})
    assert first.status_code == 201
    second = client.simulate_post(f"/api/v1/texts/{text_id}/translation", headers=admin_headers,
                                  json={"translation": "My bahu shuts me in.", "current_annotation_id": seen})
    assert second.status_code == 409 and second.json["errors"][0]["field"] == "current_annotation_id"
    assert f"current_annotation_id {first.json['id']}" in second.json["detail"] and "human" in second.json["detail"]
    analysis = client.simulate_get(f"/api/v1/submissions/{created['id']}/analysis", headers=admin_headers).json["texts"][0]
    assert analysis["current"]["translation"] == "My daughter-in-law locks me in the room." and analysis["earlier_readings"] == 1
    confirmed = client.simulate_post(f"/api/v1/texts/{text_id}/translation", headers=admin_headers,
                                     json={"translation": "My bahu shuts me in.", "current_annotation_id": first.json["id"]})
    assert confirmed.status_code == 201
    analysis = client.simulate_get(f"/api/v1/submissions/{created['id']}/analysis", headers=admin_headers).json["texts"][0]
    assert analysis["current"]["translation"] == "My bahu shuts me in." and analysis["earlier_readings"] == 2   # history kept
    with analysed_services.session_factory() as session:
        kept = list(session.scalars(select(TextAnnotation.translation).where(TextAnnotation.free_text_id == text_id)
                                    .order_by(TextAnnotation.id)))
    assert kept == [None, "My daughter-in-law locks me in the room.", "My bahu shuts me in."]
    # The audit log says whose translation the second replaced (second review, round 13).
    from service.audit.models import AuditEvent
    with analysed_services.session_factory() as session:
        details = [e.detail for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "text.translated")
                                                     .order_by(AuditEvent.id))]
    assert "replaced_annotation_id" not in details[0]
    assert details[1]["replaced_annotation_id"] == first.json["id"] and details[1]["replaced_source"].startswith("human:")


def test_a_reading_made_again_without_a_translation_does_not_stop_a_translation(client, analysed_services, admin_headers):
    """Only a translation made meanwhile is a reason to refuse: the worker reading the text again (a retry, a
    new model) while it still waits in the queue changes nothing the person would lose."""
    created, text_id = _queued_urdu_text(client, analysed_services, admin_headers)
    seen = client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"][0]["annotation_id"]
    with analysed_services.session_factory.begin() as session:
        task = session.scalars(select(OutboxMessage).where(OutboxMessage.submission_id == created["id"], OutboxMessage.channel == "task")).one()
        task.status, task.next_attempt_at = "pending", task.created_at
    worker_for(analysed_services).run_until_idle()
    assert client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"][0]["annotation_id"] != seen
    saved = client.simulate_post(f"/api/v1/texts/{text_id}/translation", headers=admin_headers,
                                 json={"translation": "My daughter-in-law locks me in.", "current_annotation_id": seen})
    assert saved.status_code == 201


def test_a_broken_theme_model_does_not_hold_back_the_alert(client, services):
    """The full reading keeps failing (and is retried, then shown to staff), but the disclosure check needs no
    theme model: the duty team is alerted at the first attempt."""
    def broken(_settings):
        raise RuntimeError("theme model corrupt")

    services.pipelines.loader = broken
    created = submit(client, DISCLOSING)
    calm = submit(client, CALM)
    needs = client.simulate_post("/api/v1/submissions", json={
        "language": "en", "communication_needs": ["other"], "communication_needs_other": DISCLOSING, "consent": "anonymous"}).json
    calm_need = client.simulate_post("/api/v1/submissions", json={
        "language": "en", "communication_needs": ["other"], "communication_needs_other": "Large print", "consent": "anonymous"}).json
    worker_for(services).run_until_idle()   # the alerts are claimed as soon as they are queued
    with services.session_factory() as session:
        assert session.get(Submission, created["id"]).urgent is True
        assert session.get(Submission, calm["id"]).urgent is False
        alerts = list(session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DUTY_ALERT)))
        assert sorted(a.submission_id for a in alerts) == sorted([created["id"], needs["id"]])
        tasks = list(session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "task")))
        # An "other need" alone needs no theme model: its check is done; the free texts' are retried.
        assert {t.submission_id: t.status for t in tasks if t.submission_id in (needs["id"], calm_need["id"])} == {
            needs["id"]: "sent", calm_need["id"]: "sent"}
        others = [t for t in tasks if t.submission_id not in (needs["id"], calm_need["id"])]
        assert {t.status for t in others} == {"pending"} and all(t.attempts == 1 for t in others)   # still retried


def test_text_in_a_script_the_check_cannot_read_comes_first_after_urgent_ones(client, analysed_services, admin_headers):
    calm_urdu = submit(client, "کھانا اچھا تھا اور عملہ بہت مہربان تھا، شکریہ", language="ur")
    ukrainian = submit(client, "Вони мене б'ють кожного дня, допоможіть", language="en")
    worker_for(analysed_services).run_until_idle()
    queue = client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"]
    assert [item["submission_id"] for item in queue] == [ukrainian["id"], calm_urdu["id"]]   # queued after it
    assert queue[0]["detected_language"] == "und"
    from service.auth.permissions import Role
    from tests.support.staff import signed_in

    page = signed_in(client, analysed_services, "duty@example.org", Role.DUTY_TEAM).get("/staff/translations")
    assert page.status_code == 200 and "Not checked for harm" in page.text


def test_a_language_the_board_does_not_serve_waits_for_a_person_as_not_checked(client, analysed_services, admin_headers):
    """French on the English form was read as confident English: checked by the English rules alone, never
    translated, and shown to the provider once nothing was found."""
    calm_urdu = submit(client, "کھانا اچھا تھا اور عملہ بہت مہربان تھا، شکریہ", language="ur")
    french = submit(client, "Ma fille m'enferme dans ma chambre le soir et garde ma pension.", language="en")
    worker_for(analysed_services).run_until_idle()
    queue = client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"]
    assert [item["submission_id"] for item in queue] == [french["id"], calm_urdu["id"]]
    assert queue[0]["detected_language"] == "und"
    from service.analysis import checked_and_not_urgent

    with analysed_services.session_factory() as session:      # what a provider may see: not these words
        assert session.scalar(select(func.count()).select_from(Submission).where(
            Submission.id == french["id"], checked_and_not_urgent())) == 0


def test_two_readings_saved_at_once_leave_one_current(client, analysed_services):
    """Two staff saving a translation of one text at the same moment (or the worker and a person): the text's
    row is locked, so the second marks the first not current. Without it, PostgreSQL kept both current."""
    import threading

    from service.analysis import annotation_row, store_annotations
    from service.storage.orm import FreeText

    created = submit(client, CALM)
    with analysed_services.session_factory() as session:
        text_id = session.scalar(select(FreeText.id).where(FreeText.submission_id == created["id"]))
    analysis = analysed_services.pipelines.get().analyse(CALM)
    for _round in range(5):
        barrier = threading.Barrier(2)
        errors = []

        def save():
            try:
                barrier.wait(timeout=10)
                with analysed_services.session_factory.begin() as session:
                    store_annotations(session, created["id"], [annotation_row(text_id, analysis)], analysed_services.settings)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=save) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        with analysed_services.session_factory() as session:
            current = list(session.scalars(select(TextAnnotation).where(TextAnnotation.free_text_id == text_id,
                                                                        TextAnnotation.current.is_(True))))
            assert len(current) == 1


def test_a_duty_alert_is_never_given_up_and_staff_see_it_waiting(client, analysed_services, tmp_path, monkeypatch):
    """A mail server that answers 554 (over quota) or is down for hours: other mail fails in the end, the
    duty team's alert keeps being retried, and the item's page says it has not gone, so staff phone."""
    monkeypatch.setattr(SmtpSender, "REST_SECONDS", 0.0)     # each pass below comes after the sender's rest
    created = submit(client, DISCLOSING)
    refusing = SmtpSender(f"smtp://127.0.0.1:{free_port()}", "msp@example.org", timeout=2)   # nothing listens there
    analysed_services.settings = settings_for(analysed_services.settings.database_url, tmp_path, DUTY_TEAM_EMAIL="duty@example.org",
                                              SMTP_URL="smtp://127.0.0.1:9", MAIL_FROM="msp@example.org")
    worker = worker_for(analysed_services, email=refusing)    # max_attempts=3
    for _ in range(6):
        worker.run_once()
        with analysed_services.session_factory.begin() as session:
            for row in session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending")):
                row.next_attempt_at = row.created_at
    with analysed_services.session_factory() as session:
        alert = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DUTY_ALERT)).one()
        assert alert.status == "pending" and alert.attempts > 3 and "could not reach" in alert.last_error
    from service.auth.permissions import Role
    from tests.support.staff import signed_in

    page = signed_in(client, analysed_services, "duty@example.org", Role.DUTY_TEAM).get(f"/staff/submissions/{created['id']}")
    assert page.status_code == 200 and "not delivered yet" in page.text and "tell the duty team yourself" in page.text


def test_staff_can_send_a_waiting_alert_at_once_once_the_mail_server_is_put_right(client, analysed_services, tmp_path):
    """The duty team puts the mail server right and presses "Try sending the alert again now" on the item's
    page: the alert goes at the worker's next pass, not at its next scheduled try, and the press is audited.
    A message that has gone is left alone (never sent twice)."""
    from service.audit.models import AuditEvent
    from service.auth.permissions import Role
    from tests.support.staff import signed_in

    created = submit(client, DISCLOSING)
    analysed_services.settings = settings_for(analysed_services.settings.database_url, tmp_path, DUTY_TEAM_EMAIL="duty@example.org",
                                              SMTP_URL="smtp://127.0.0.1:9", MAIL_FROM="msp@example.org")
    worker_for(analysed_services, email=SmtpSender(f"smtp://127.0.0.1:{free_port()}", "msp@example.org", timeout=2)).run_until_idle()
    with analysed_services.session_factory() as session:
        alert = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DUTY_ALERT)).one()
        assert alert.status == "pending" and alert.next_attempt_at > utcnow()   # waiting for its next try
    duty = signed_in(client, analysed_services, "duty@example.org", Role.DUTY_TEAM)
    page = duty.get(f"/staff/submissions/{created['id']}")
    assert f'action="/staff/outbox/{alert.id}/retry"' in page.text

    inbox, port = _Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        pressed = duty.post(f"/staff/outbox/{alert.id}/retry", {"back": "submission"})
        assert pressed.status_code == 303 and pressed.headers["location"] == f"/staff/submissions/{created['id']}?done=retry"
        assert "tried again within seconds" in duty.get(pressed.headers["location"]).text
        worker_for(analysed_services, email=SmtpSender(f"smtp://127.0.0.1:{port}", "msp@example.org")).run_once()
        deadline = time.monotonic() + 5
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    with analysed_services.session_factory() as session:
        assert session.get(OutboxMessage, alert.id).status == "sent"
        audited = session.scalars(select(AuditEvent).where(AuditEvent.action == "outbox.retry")).one()
        assert audited.target_id == str(alert.id) and audited.detail["submission_id"] == created["id"]
    again = duty.post(f"/staff/outbox/{alert.id}/retry")
    assert again.status_code == 303 and again.headers["location"] == "/staff/outbox?done=not-waiting"
    with analysed_services.session_factory() as session:
        assert session.get(OutboxMessage, alert.id).status == "sent"
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "outbox.retry")) == 1
    assert duty.post("/staff/outbox/999999999/retry").status_code == 404
    assert duty.post(f"/staff/outbox/{alert.id}/retry", csrf=False).status_code == 403
    engagement = signed_in(client, analysed_services, "engagement@example.org", Role.ENGAGEMENT)
    assert engagement.post(f"/staff/outbox/{alert.id}/retry").status_code == 403


def test_other_mail_is_given_up_after_its_tries(analysed_services):
    from service.outbox.outbox import enqueue, record_failure

    with analysed_services.session_factory.begin() as session:
        ordinary = enqueue(session, channel="email", purpose="receipt", recipient="a@example.org", subject="s", body="b")
        alert = enqueue(session, channel="email", purpose=DUTY_ALERT, recipient="d@example.org", subject="s", body="b")
        session.flush()
        ids = (ordinary.id, alert.id)
    with analysed_services.session_factory.begin() as session:
        from service.worker import NEVER_GIVE_UP
        statuses = [record_failure(session, i, "mail server answered 554", final=True, max_attempts=8, never_give_up=NEVER_GIVE_UP)
                    for i in ids]
    assert statuses == ["failed", "pending"]


def test_a_refused_duty_alert_is_tried_again_within_minutes_however_often_it_failed(analysed_services):
    """Other mail backs off to hours apart; an alert about harm waits at most URGENT_BACKOFF_MAX_SECONDS, so a
    mail server put right in the night lets it through within minutes, not at the next 6-hourly try."""
    from datetime import timedelta

    from service.outbox.outbox import URGENT_BACKOFF_MAX_SECONDS, enqueue, record_failure
    from service.storage.types import utcnow
    from service.worker import NEVER_GIVE_UP

    with analysed_services.session_factory.begin() as session:
        ordinary = enqueue(session, channel="email", purpose="receipt", recipient="a@example.org", subject="s", body="b").id
        alert = enqueue(session, channel="email", purpose=DUTY_ALERT, recipient="d@example.org", subject="s", body="b").id
    now = utcnow()
    for attempts in (1, 12, 5000):      # 5,000 tries: the back-off must not overflow either
        with analysed_services.session_factory.begin() as session:
            for message_id in (ordinary, alert):
                session.get(OutboxMessage, message_id).attempts = attempts
            statuses = [record_failure(session, i, "mail server answered 451", final=False, max_attempts=10**6,
                                       never_give_up=NEVER_GIVE_UP, now=now) for i in (ordinary, alert)]
        assert statuses == ["pending", "pending"]
        with analysed_services.session_factory() as session:
            waits = [session.get(OutboxMessage, i).next_attempt_at - now for i in (ordinary, alert)]
        assert waits[1] <= timedelta(seconds=URGENT_BACKOFF_MAX_SECONDS)
        if attempts > 1:
            assert waits[0] > timedelta(hours=1)        # ordinary mail still backs off to hours


def test_the_worker_reports_a_theme_model_it_cannot_read_and_still_delivers(tmp_path, monkeypatch, services, client):
    """An unreadable THEME_MODEL_DIR is reported when the worker starts; the worker runs on, because it also
    delivers the duty team's alerts, and each text is checked for disclosures alone until the model is fixed."""
    import shutil

    from click.testing import CliRunner

    from service.cli import main
    from service.text.pipeline import DEFAULT_MODEL_DIR

    broken = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, broken)
    (broken / "model.json").write_text('{"broken": ', encoding="utf-8")     # model.json is there, but unreadable
    monkeypatch.setenv("DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("SECRET_KEY", "worker-test-key")
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("THEME_MODEL_DIR", str(broken))
    created = submit(client, DISCLOSING)
    result = CliRunner().invoke(main, ["worker", "--once"])
    assert result.exit_code == 0 and "the text check cannot load its models" in result.output
    assert "not a valid theme model" in result.output
    with services.session_factory() as session:
        alert = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DUTY_ALERT)).one()
        assert alert.submission_id == created["id"] and alert.status == "sent"     # kept in the outbox log


def test_texts_waiting_for_translation_can_be_read_again_when_a_translator_answers(client, analysed_services, admin_headers):
    from service.analysis import queue_reanalysis

    created, _text_id = _queued_urdu_text(client, analysed_services, admin_headers)
    version = analysed_services.pipelines.get().model_version
    with analysed_services.session_factory.begin() as session:
        assert queue_reanalysis(session, version) == 0                            # read by this model already
        assert queue_reanalysis(session, version, waiting_translation=True) == 1  # but its translation waits
    worker_for(analysed_services).run_until_idle()
    with analysed_services.session_factory() as session:
        readings = list(session.scalars(select(TextAnnotation).order_by(TextAnnotation.id)))
        assert [r.current for r in readings] == [False, True] and readings[-1].translation_status == "queued"


def _read_once(client, services):
    created = submit(client, CALM)
    worker_for(services).run_until_idle()        # one current annotation exists
    from service.storage.orm import FreeText
    with services.session_factory() as session:
        return created, session.scalar(select(FreeText.id).where(FreeText.submission_id == created["id"]))


def test_an_erasure_that_starts_while_a_reading_is_being_stored_erases_it_too(client, analysed_services, admin_headers):
    """The reading has locked the text and written (not committed) when the erasure starts: the erasure waits
    for it, then deletes it with the rest. (Before the erasure locked the texts first, PostgreSQL left the new
    reading, with the words and their evidence, beside the erased text.)"""
    import threading

    from service.analysis import annotation_row, store_annotations

    created, text_id = _read_once(client, analysed_services)
    reading = annotation_row(text_id, analysed_services.pipelines.get().analyse(DISCLOSING))
    stored, release, status = threading.Event(), threading.Event(), {}

    def store():
        with analysed_services.session_factory.begin() as session:
            store_annotations(session, created["id"], [reading], analysed_services.settings)
            session.flush()
            stored.set()
            release.wait(20)

    def erase():
        status["code"] = client.simulate_post("/api/v1/privacy/erasures", json={"reference": created["reference"]},
                                              headers=admin_headers).status_code

    storing = threading.Thread(target=store)
    storing.start()
    assert stored.wait(20)
    erasing = threading.Thread(target=erase)
    erasing.start()
    time.sleep(1)
    release.set()
    storing.join(30)
    erasing.join(30)
    assert status == {"code": 200}
    with analysed_services.session_factory() as session:
        assert list(session.scalars(select(TextAnnotation).where(TextAnnotation.free_text_id == text_id))) == []


def test_a_reading_stored_while_an_erasure_runs_waits_and_writes_nothing(client, analysed_services, admin_headers, monkeypatch):
    """The erasure has deleted the readings and not yet reached the texts when a reading is stored: it waits
    for the erasure (no deadlock, no 500), then sees the words erased and writes nothing."""
    import threading

    import service.privacy.erasure as erasure
    from service.analysis import annotation_row, store_annotations

    created, text_id = _read_once(client, analysed_services)
    reading = annotation_row(text_id, analysed_services.pipelines.get().analyse(CALM))
    deleted, go_on, status, errors, stored = threading.Event(), threading.Event(), {}, [], []
    tables = erasure.person_tables

    def slow_person_tables(session, scope):
        for position, item in enumerate(tables(session, scope)):
            yield item
            if position == 0:           # the readings are deleted; the texts are next
                deleted.set()
                go_on.wait(20)
        deleted.set()

    monkeypatch.setattr(erasure, "person_tables", slow_person_tables)

    def erase():
        status["code"] = client.simulate_post("/api/v1/privacy/erasures", json={"reference": created["reference"]},
                                              headers=admin_headers).status_code

    def store():
        try:
            with analysed_services.session_factory.begin() as session:
                stored.extend(store_annotations(session, created["id"], [reading], analysed_services.settings).rows)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    erasing = threading.Thread(target=erase)
    erasing.start()
    assert deleted.wait(20)
    storing = threading.Thread(target=store)
    storing.start()
    time.sleep(1)
    go_on.set()
    erasing.join(30)
    storing.join(30)
    assert status == {"code": 200} and errors == [] and stored == []
    with analysed_services.session_factory() as session:
        assert list(session.scalars(select(TextAnnotation).where(TextAnnotation.free_text_id == text_id))) == []


def test_an_erasure_and_the_retention_run_wait_for_each_other(client, analysed_services, admin_headers, monkeypatch):
    """The daily retention run and an erasure of the same person's old feedback lock the texts first, in the
    same order: one waits for the other. (Retention used to update contacts and the outbox first; on
    PostgreSQL the erasure then died of a deadlock, a 500 to the member of staff.)"""
    import threading
    from datetime import timedelta

    import service.privacy.erasure as erasure
    from service.privacy.retention import apply_retention
    from service.storage.types import utcnow

    created = submit(client, DISCLOSING)
    worker_for(analysed_services).run_until_idle()          # a sent alert and a done task in the outbox
    locked, go_on, status, errors = threading.Event(), threading.Event(), {}, []
    tables = erasure.person_tables

    def slow_person_tables(session, scope):
        locked.set()                   # the erasure holds the texts
        go_on.wait(20)
        yield from tables(session, scope)

    monkeypatch.setattr(erasure, "person_tables", slow_person_tables)

    def erase():
        status["code"] = client.simulate_post("/api/v1/privacy/erasures", json={"reference": created["reference"]},
                                              headers=admin_headers).status_code

    def retain():
        try:
            with analysed_services.session_factory.begin() as session:
                apply_retention(session, analysed_services.settings, now=utcnow() + timedelta(days=3650))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    erasing = threading.Thread(target=erase)
    erasing.start()
    assert locked.wait(20)
    retaining = threading.Thread(target=retain)
    retaining.start()
    time.sleep(1)
    go_on.set()
    erasing.join(60)
    retaining.join(60)
    assert status == {"code": 200} and errors == []
