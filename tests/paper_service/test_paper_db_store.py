"""The database-backed PaperStore on the real test database: sheets registered at render time, returns
matched to sheets, duplicates caught, later pages added to the same submission, review and typing
queues, unreadable pages kept, and no page lost when storing fails."""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace

import pytest
from click.testing import CliRunner
from paper_service_helpers import choose, tick
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from channels.paper import queues
from channels.paper.models import (
    PAGE_RECORDED,
    PaperPage,
    PaperReview,
    PaperSheet,
    PaperTextCrop,
    PaperUnreadable,
)
from channels.paper.store import DatabasePaperStore, UnknownProvider, idempotency_key
from channels.paper.wiring import use_service_database
from easy_read.paper import cli as paper_cli
from easy_read.paper.scan import scan_files
from easy_read.paper.store import PaperStore
from service.domain.model import DomainError
from service.intake import ANALYSE_TEXT
from service.storage.orm import FreeText, OutboxMessage, Submission
from service.storage.unit_of_work import UnitOfWork
from service.transcription import add_answers, add_typed_text


def submissions(services) -> list[Submission]:
    with services.session_factory() as session:
        return list(session.scalars(select(Submission)))


def test_it_is_a_paper_store(store):
    assert isinstance(store, PaperStore)


def test_render_through_the_cli_registers_each_sheet_with_case_and_provider(services, provider_id, tmp_path, monkeypatch):
    monkeypatch.setattr(paper_cli, "store_factory", paper_cli.store_factory)       # restored after the test
    monkeypatch.setattr(paper_cli, "settings_factory", paper_cli.settings_factory)
    use_service_database(store_factory=lambda: DatabasePaperStore(services.session_factory),
                         settings_factory=lambda: {"return_address": "Town Hall\nBolton", "safeguarding_phone": "01204 337000"})
    out = tmp_path / "forms.pdf"
    result = CliRunner().invoke(paper_cli.paper, ["render", "--lang", "ur", "--count", "2", "--case", "SAB-2026-0142",
                                                  "--provider", str(provider_id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with services.session_factory() as session:
        sheets = list(session.scalars(select(PaperSheet)))
    assert len(sheets) == 2 and len({s.sheet_id for s in sheets}) == 2
    assert all(s.case_ref == "SAB-2026-0142" and s.provider_id == provider_id and s.language == "ur" for s in sheets)
    assert all(s.pages == 4 and s.submission_id is None for s in sheets)
    assert {s.sheet_id for s in sheets} == {line.split()[-1] for line in result.output.splitlines() if "sheet" in line}


def test_the_service_settings_and_database_are_what_the_cli_uses(services, monkeypatch, tmp_path):
    monkeypatch.setattr(paper_cli, "store_factory", paper_cli.store_factory)
    monkeypatch.setattr(paper_cli, "settings_factory", paper_cli.settings_factory)
    monkeypatch.setenv("DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("SECRET_KEY", services.settings.secret_key)
    monkeypatch.setenv("RETURN_ADDRESS", "Safeguarding Adults Board, Town Hall, Bolton BL1 1RU")
    monkeypatch.setenv("SAFEGUARDING_PHONE", "01204 999999")
    use_service_database()
    assert paper_cli.settings_factory() == {"return_address": "Safeguarding Adults Board\nTown Hall\nBolton BL1 1RU",
                                            "safeguarding_phone": "01204 999999"}
    assert isinstance(paper_cli.store_factory(), DatabasePaperStore)
    result = CliRunner().invoke(paper_cli.paper, ["render", "--lang", "en", "--provider", "No Such Home", "--out",
                                                  str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "there is no provider 'No Such Home'" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_register_and_find(store, printed, issue, provider_id):
    sheet = issue(printed("en"))
    found = store.find_sheet(sheet.sheet_id)
    assert found.sheet_id == sheet.sheet_id and found.case_ref == "CASE-42" and found.provider_id == str(provider_id)
    assert (found.form_id, found.form_version, found.language, found.pages) == ("msp", 1, "en", sheet.pages)
    assert store.find_sheet("NOTISSUED0") is None
    with pytest.raises(ValueError, match="already issued"):
        store.register_sheet(sheet)
    with pytest.raises(UnknownProvider):
        store.register_sheet(replace(sheet, sheet_id="ZZZZZZZZZ1", provider_id="999999"))
    for too_big_or_odd in ("99999999999", "9" * 30, "²", "١٢"):   # past the id column; digits int() cannot read
        with pytest.raises(UnknownProvider):
            store.register_sheet(replace(sheet, sheet_id="ZZZZZZZZZ2", provider_id=too_big_or_odd))


def test_a_provider_may_be_given_by_name(store, printed, provider_id):
    sheet = replace(printed("en").template, sheet_id="NAMED00001", provider_id="alder court CARE HOME")
    store.register_sheet(sheet)
    assert store.find_sheet("NAMED00001").provider_id == str(provider_id)


def test_a_scanned_page_makes_a_paper_submission_and_a_second_scan_is_a_duplicate(services, store, printed, issue, tmp_path):
    form = printed("en")
    sheet = issue(form)
    page = form.layout.page(2)
    choices = choose(page, seed=2)
    png = tmp_path / "p2.png"
    tick(form.pages[1], page, choices).save(png)

    first = scan_files([png], store)
    assert first.duplicates == [] and first.unreadable == []
    again = scan_files([png], DatabasePaperStore(services.session_factory))
    assert again.submissions == {} and len(again.duplicates) == 1 and "scanned before" in again.duplicates[0].reason

    [submission] = submissions(services)
    assert submission.channel == "paper" and submission.idempotency_key == idempotency_key(sheet.sheet_id)
    assert submission.answers == choices and submission.case_reference == "CASE-42"
    assert first.submissions[sheet.sheet_id] == submission.reference
    with services.session_factory() as session:
        pages = list(session.scalars(select(PaperPage)))
        assert [(p.page, p.status) for p in pages] == [(2, PAGE_RECORDED)]
        assert session.get(PaperSheet, sheet.sheet_id).submission_id == submission.id


def test_a_second_page_in_a_later_run_adds_to_the_same_submission(services, printed, issue, tmp_path):
    form = printed("en")
    sheet = issue(form)
    page1, page2 = form.layout.page(1), form.layout.page(2)
    choices1, choices2 = choose(page1, seed=1), choose(page2, seed=7)
    p1, p2 = tmp_path / "p1.png", tmp_path / "p2.png"
    tick(form.pages[0], page1, choices1).save(p1)
    tick(form.pages[1], page2, choices2).save(p2)

    one = scan_files([p2], DatabasePaperStore(services.session_factory))
    two = scan_files([p1], DatabasePaperStore(services.session_factory))

    assert one.submissions[sheet.sheet_id] == two.submissions[sheet.sheet_id]
    [submission] = submissions(services)
    questionnaire_answers = {q: a for q, a in {**choices1, **choices2}.items() if q not in ("respondent", "consent")}
    assert submission.answers == questionnaire_answers
    assert submission.respondent == choices1["respondent"]


def test_an_unclear_question_is_queued_and_the_decision_adds_the_answer(services, store, printed, issue, tmp_path):
    import random

    from PIL import ImageDraw

    from easy_read.paper.synthetic import draw_mark

    form = printed("en")
    sheet = issue(form)
    page = form.layout.page(2)
    image = form.pages[1].copy()
    boxes = {box.id: box for box in page.boxes}
    questions = sorted({b.question for b in page.boxes if b.kind == "tick"})
    doubled, clear = questions[0], questions[1]
    answers_of = {q: [b.answer for b in page.boxes if b.question == q] for q in questions}
    draw = ImageDraw.Draw(image)
    rng = random.Random(4)
    for answer in answers_of[doubled][:2]:                       # two boxes ticked: a person decides
        draw_mark(draw, boxes[f"{doubled}.{answer}"].rect, "tick", 200 / 25.4, rng)
    draw_mark(draw, boxes[f"{clear}.{answers_of[clear][0]}"].rect, "cross", 200 / 25.4, rng)
    png = tmp_path / "review.png"
    image.save(png)

    report = scan_files([png], store)
    assert report.review_items == 1

    with services.session_factory() as session:
        [item] = queues.open_reviews(session)
        assert item.question_id == doubled and item.reason == "multiple" and item.reference == report.submissions[sheet.sheet_id]
        assert Image.open(io.BytesIO(queues.review_crop(session, item.id))).width > 50
    with pytest.raises(DomainError):
        queues.decide_review(services.session_factory, item.id, "not-an-answer", "tester")
    added = queues.decide_review(services.session_factory, item.id, answers_of[doubled][1], "tester")
    assert added.added == {doubled: answers_of[doubled][1]}
    [submission] = submissions(services)
    assert submission.answers == {clear: answers_of[clear][0], doubled: answers_of[doubled][1]}
    with services.session_factory() as session:
        assert queues.open_reviews(session) == []
        review = session.get(PaperReview, item.id)
        assert review.status == "decided" and review.decided_by == "tester" and review.decided_at is not None
    with pytest.raises(DomainError, match="already decided"):
        queues.decide_review(services.session_factory, item.id, answers_of[doubled][0], "someone else")


def test_review_queue_is_least_certain_first(services, store, printed, issue):
    from easy_read.paper.store import BoxReading, ReviewItem

    sheet = issue(printed("en"))
    scan_sheet = store.find_sheet(sheet.sheet_id)
    for question, confidence in (("listened_to", 0.6), ("in_control", 0.1), ("understood", 0.4)):
        readings = (BoxReading(f"{question}.yes", "yes", "uncertain", 0.03, 0.05, confidence),
                    BoxReading(f"{question}.no", "no", "empty", 0.0, 0.0, 0.99))
        store.queue_review(scan_sheet, ReviewItem(sheet.sheet_id, 2, question, "uncertain", readings, b"png"))
    with services.session_factory() as session:
        assert [r.question_id for r in queues.open_reviews(session)] == ["in_control", "understood", "listened_to"]


def test_typed_text_is_stored_verbatim_with_its_analysis_task_in_one_transaction(services, store, printed, issue, tmp_path):
    form = printed("en")
    sheet = issue(form)
    page = form.layout.pages[-1]
    written = tuple(b.question for b in page.boxes if b.kind == "free_text")[:1]
    png = tmp_path / "last.png"
    tick(form.pages[-1], page, {}, write_in=written).save(png)
    report = scan_files([png], store)
    assert report.free_text_queued == 1

    with services.session_factory() as session:
        [crop] = queues.waiting_texts(session)
        assert crop.question_id == written[0] and crop.reference == report.submissions[sheet.sheet_id]
        assert Image.open(io.BytesIO(queues.crop_image(session, crop.id))).height > 40
    with pytest.raises(DomainError) as blank:
        queues.type_text(services.session_factory, crop.id, "   ", "typist")
    assert "blank" in blank.value.problems[0].message
    text = "  They listened to me.\nI felt safe  "
    free_text_id = queues.type_text(services.session_factory, crop.id, text, "typist")
    with services.session_factory() as session:
        stored = session.get(FreeText, free_text_id)
        assert stored.text == text and stored.question_id == written[0]        # verbatim, not stripped
        [task] = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == ANALYSE_TEXT))
        assert task.payload == {"submission_id": crop.submission_id, "question_id": crop.question_id} and task.status == "pending"
        assert session.get(PaperTextCrop, crop.id).status == "typed"
        assert queues.waiting_texts(session) == []


def test_add_typed_text_stores_nothing_when_the_task_cannot_be_queued(services, store, printed, issue):
    form = printed("en")
    sheet = issue(form)
    reference = store.submit_answers(store.find_sheet(sheet.sheet_id), {}, {})
    [submission] = submissions(services)
    with services.session_factory.begin() as session:     # the task's dedupe key already taken
        session.add(OutboxMessage(channel="task", purpose=ANALYSE_TEXT, dedupe_key=f"{ANALYSE_TEXT}:{submission.id}:better"))
    with pytest.raises(IntegrityError):
        add_typed_text(UnitOfWork(services.session_factory), submission.id, "better", "words")
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(FreeText)) == 0      # same transaction: both or neither
    assert reference == submission.reference
    with pytest.raises(DomainError):
        add_typed_text(UnitOfWork(services.session_factory), submission.id, "listened_to", "not a free-text question")


def test_add_answers_fills_only_unanswered_questions_and_validates(services, store, printed, issue):
    sheet = issue(printed("en"))
    store.submit_answers(store.find_sheet(sheet.sheet_id), {"listened_to": "yes", "consent": "none"}, {})
    [submission] = submissions(services)
    added = add_answers(UnitOfWork(services.session_factory), submission.id, {"listened_to": "no", "respected": "a_bit"})
    assert added.added == {"respected": "a_bit"} and added.kept == {"listened_to": "yes"}
    with pytest.raises(DomainError):
        add_answers(UnitOfWork(services.session_factory), submission.id, {"respected": "maybe"})
    with pytest.raises(DomainError):
        add_answers(UnitOfWork(services.session_factory), submission.id, {"no_such_question": "yes"})
    [submission] = submissions(services)
    assert submission.answers == {"listened_to": "yes", "respected": "a_bit"}


def test_unreadable_pages_are_kept_with_image_and_reason(services, store, printed, issue, tmp_path):
    form = printed("en")
    issue(form)
    blank = tmp_path / "blank.png"
    Image.new("L", form.pages[0].size, 255).save(blank)
    garbage = tmp_path / "garbage.tif"
    garbage.write_bytes(b"not an image" * 50)
    report = scan_files([blank, garbage], store)
    assert len(report.unreadable) == 2
    with services.session_factory() as session:
        rows = queues.unreadable_pages(session)
        reasons = sorted(r.reason for r in rows)
        assert any("blank page" in r for r in reasons) and any("not an image" in r for r in reasons)
        with_image = [r for r in rows if r.has_image]
        assert len(with_image) == 1
        assert Image.open(io.BytesIO(queues.unreadable_image(session, with_image[0].id))).size == form.pages[0].size
        assert session.scalar(select(func.count()).select_from(PaperUnreadable)) == 2


def test_a_sheet_not_issued_here_is_unreadable_not_dropped(services, store, printed, tmp_path):
    form = printed("en")                       # printed but never registered in this database
    png = tmp_path / "p1.png"
    form.pages[0].save(png)
    report = scan_files([png], store)
    assert len(report.unreadable) == 1 and "was not issued" in report.unreadable[0].reason
    with services.session_factory() as session:
        assert len(queues.unreadable_pages(session)) == 1


def test_a_failure_while_storing_loses_no_page(services, printed, issue, tmp_path, monkeypatch):
    import channels.paper.store as store_module

    form = printed("en")
    sheet = issue(form)
    page = form.layout.page(2)
    choices = choose(page, seed=3)
    png = tmp_path / "p2.png"
    tick(form.pages[1], page, choices).save(png)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(store_module, "submit_feedback", broken)
    with pytest.raises(RuntimeError):
        scan_files([png], DatabasePaperStore(services.session_factory))
    monkeypatch.undo()
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(PaperPage)) == 0       # un-marked

    report = scan_files([png], DatabasePaperStore(services.session_factory))   # the rescan reads it
    assert report.duplicates == [] and sheet.sheet_id in report.submissions
    [submission] = submissions(services)
    assert submission.answers == choices


def test_a_pending_mark_left_by_a_dead_run_does_not_block_a_rescan(services, printed, issue):
    sheet = issue(printed("en"))
    with services.session_factory.begin() as session:
        import socket
        session.add(PaperPage(sheet_id=sheet.sheet_id, page=1, status="pending", run_id=f"{socket.gethostname()[:60]}:999999999:x",
                              via="scan"))
    assert DatabasePaperStore(services.session_factory).mark_page_scanned(sheet.sheet_id, 1) is True
    assert DatabasePaperStore(services.session_factory).mark_page_scanned(sheet.sheet_id, 1) is False


def test_keyed_entry_and_a_later_scan_do_not_store_twice(services, printed, issue, tmp_path):
    form = printed("en")
    sheet = issue(form)
    keyed = DatabasePaperStore(services.session_factory, via="keyed")
    recorded = keyed.key_in(sheet.sheet_id, {"listened_to": "yes", "respondent": "advocate", "consent": "anonymous"},
                            {"own_words": "Typed from the form"})
    assert recorded.created
    assert DatabasePaperStore(services.session_factory, via="keyed").key_in(sheet.sheet_id, {"listened_to": "no"}, {}) is None
    png = tmp_path / "p1.png"      # page 1 as keyed: "an advocate", asked_outcomes left blank
    tick(form.pages[0], form.layout.page(1), {"respondent": "advocate"}).save(png)
    report = scan_files([png], DatabasePaperStore(services.session_factory))
    assert len(report.duplicates) == 1 and report.submissions == {} and report.unreadable == []
    other = tmp_path / "p1-other.png"  # a copy with other ticks is kept for a person, and stores nothing either
    tick(form.pages[0], form.layout.page(1), choose(form.layout.page(1))).save(other)
    report = scan_files([other], DatabasePaperStore(services.session_factory))
    assert report.duplicates == [] and report.submissions == {}
    assert "another copy of sheet" in report.unreadable[0].reason
    [submission] = submissions(services)
    assert submission.answers == {"listened_to": "yes"} and submission.respondent == "advocate" and submission.consent == "anonymous"
    assert [t.text for t in submission.texts] == ["Typed from the form"]


def test_keyed_entry_with_a_bad_answer_stores_nothing_and_can_be_redone(services, printed, issue):
    sheet = issue(printed("en"))
    with pytest.raises(DomainError):
        DatabasePaperStore(services.session_factory, via="keyed").key_in(sheet.sheet_id, {"listened_to": "perhaps"}, {})
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(PaperPage)) == 0
    assert DatabasePaperStore(services.session_factory, via="keyed").key_in(sheet.sheet_id, {"listened_to": "no"}, {}) is not None


def test_erasure_deletes_the_handwriting_and_consent_withdrawal_closes_the_consent_question(services, store, printed, issue):
    from easy_read.paper.store import BoxReading, ReviewItem
    from service.audit.log import Actor
    from service.privacy.consent import withdraw_consent
    from service.privacy.erasure import erase_person
    from service.privacy.person import PersonQuery

    queues.register_privacy_hooks()          # routes.install does this
    sheet = issue(printed("en"))
    record = store.find_sheet(sheet.sheet_id)
    reference = store.submit_answers(record, {}, {"own_words": b"png"})
    readings = (BoxReading("listened_to.yes", "yes", "uncertain", 0.03, 0.04, 0.4),)
    store.queue_review(record, ReviewItem(sheet.sheet_id, 2, "listened_to", "uncertain", readings, b"png"))
    store.queue_review(record, ReviewItem(sheet.sheet_id, 4, "consent", "uncertain", readings, b"png"))
    actor = Actor("user", id="1", role="admin", label="admin")
    with services.session_factory.begin() as session:
        withdraw_consent(session, PersonQuery.parse(reference=reference), actor=actor, secret_key=services.settings.secret_key)
    with services.session_factory() as session:
        assert [r.question_id for r in queues.open_reviews(session)] == ["listened_to"]
        consent_review = session.scalar(select(PaperReview.id).where(PaperReview.question_id == "consent"))
    with pytest.raises(DomainError):                   # closed: a later decision cannot give consent back
        queues.decide_review(services.session_factory, consent_review, "named", "someone")
    with services.session_factory.begin() as session:
        erase_person(session, PersonQuery.parse(reference=reference), actor=actor, secret_key=services.settings.secret_key)
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(PaperTextCrop)) == 0
        assert session.scalar(select(func.count()).select_from(PaperReview)) == 0


def test_retention_deletes_unreadable_pages_nobody_dealt_with_once_old(services, store):
    from datetime import timedelta

    from service.privacy.retention import apply_retention
    from service.storage.types import utcnow

    now = utcnow()
    store.record_unreadable("/scans/old.pdf", 1, "no QR code found", b"\x89PNG old")
    store.record_unreadable("/scans/recent.pdf", 1, "no QR code found", b"\x89PNG recent")
    with services.session_factory.begin() as session:
        for row in session.scalars(select(PaperUnreadable)):
            row.created_at = now - (timedelta(days=25 * 31) if row.source == "/scans/old.pdf" else timedelta(days=30))
    with services.session_factory.begin() as session:
        report = apply_retention(session, None, now)
    assert report.derived_rows_changed == {"paper_unreadable": 1}
    with services.session_factory() as session:
        assert [r.source for r in session.scalars(select(PaperUnreadable))] == ["/scans/recent.pdf"]


def test_the_image_of_an_unreadable_page_of_a_persons_sheet_is_exported_and_erased_with_their_feedback(
        services, store, printed, issue, tmp_path):
    """A page that comes back torn is kept, with its image, on the unreadable list; its QR code named the sheet,
    so it is the person's: subject-access export lists it, and erasure of their feedback deletes it."""
    from service.audit.log import Actor
    from service.privacy.erasure import erase_person
    from service.privacy.person import PersonQuery
    from service.privacy.subject_access import subject_access_export

    form = printed("en")
    sheet = issue(form)
    files = []
    for number in (1, 2, 4):
        tick(form.pages[number - 1], form.layout.page(number), choose(form.layout.page(number))).save(tmp_path / f"p{number}.png")
        files.append(tmp_path / f"p{number}.png")
    form.pages[2].crop((0, 0, form.pages[2].width, form.pages[2].height // 2)).save(tmp_path / "p3-torn.png")
    Image.new("L", form.pages[0].size, 255).save(tmp_path / "someone-else.png")      # names no sheet
    scan_files([*files, tmp_path / "p3-torn.png", tmp_path / "someone-else.png"], store)
    with services.session_factory() as session:
        [reference] = [s.reference for s in submissions(services)]
        torn = session.scalar(select(PaperUnreadable).where(PaperUnreadable.source.endswith("p3-torn.png")))
        assert torn.sheet_id == sheet.sheet_id and f"[sheet {sheet.sheet_id} page 3]" in torn.reason
        assert session.scalar(select(PaperUnreadable.sheet_id).where(PaperUnreadable.source.endswith("someone-else.png"))) is None
    actor = Actor("user", id="1", role="admin", label="admin")
    with services.session_factory.begin() as session:
        document = subject_access_export(session, PersonQuery.parse(reference=reference), actor=actor,
                                         secret_key=services.settings.secret_key)
    [page] = document["other_records"]["paper_unreadable"]
    assert page["sheet_id"] == sheet.sheet_id and page["image_png"]["base64_png"]
    with services.session_factory.begin() as session:
        report = erase_person(session, PersonQuery.parse(reference=reference), actor=actor,
                              secret_key=services.settings.secret_key)
    assert report.derived_rows["paper_unreadable"] == 1
    with services.session_factory() as session:
        assert [r.source for r in session.scalars(select(PaperUnreadable))] == [str(tmp_path / "someone-else.png")]


def test_another_copy_of_a_page_is_tied_to_no_one_until_a_person_decides(services, store, printed, issue, tmp_path):
    """It may be a photocopy someone else filled in: tied to the sheet, it would be in that sheet's person's
    subject-access export (another person's words given away) and erased with her feedback."""
    form = printed("en")
    sheet = issue(form)
    page = form.layout.page(1)
    first = choose(page, seed=0)
    question = sorted(first)[0]
    other = dict(first, **{question: next(b.answer for b in page.boxes if b.question == question and b.answer != first[question])})
    tick(form.pages[0], page, first).save(tmp_path / "a.png")
    tick(form.pages[0], page, other).save(tmp_path / "b.png")
    scan_files([tmp_path / "a.png", tmp_path / "b.png"], store)
    with services.session_factory() as session:
        [copy] = session.scalars(select(PaperUnreadable))
        assert copy.reason.startswith(f"another copy of sheet {sheet.sheet_id}") and copy.sheet_id is None


def _at_once(monkeypatch, work: dict[str, Callable[[], object]]) -> dict[str, str]:
    """Run each of `work` in a thread of its own, all let go together once every one has read its item and is
    about to record it (the moment `queues.utcnow` is asked for the time): "saved", or the message refused with."""
    import threading

    barrier = threading.Barrier(len(work), timeout=10)
    now = queues.utcnow

    def together():
        try:
            barrier.wait()
        except threading.BrokenBarrierError:    # one of them had to wait for the other: serialised, no race
            pass
        return now()

    monkeypatch.setattr(queues, "utcnow", together)
    outcomes: dict[str, str] = {}

    def run(who: str) -> None:
        try:
            work[who]()
            outcomes[who] = "saved"
        except DomainError as error:
            outcomes[who] = error.problems[0].message

    threads = [threading.Thread(target=run, args=(who,)) for who in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_people_deciding_one_question_at_once_only_one_is_told_it_was_decided(services, store, printed, issue,
                                                                                 database_url, monkeypatch):
    """Both read the question open; before, both were told "Decided", and the second answer overwrote the
    first on the review while the first stayed on the feedback. Now one is told it was decided by someone else."""
    if not database_url.startswith("postgres"):
        pytest.skip("the race needs concurrent writers: PostgreSQL (SQLite serialises writers)")
    from easy_read.paper.store import BoxReading, ReviewItem

    sheet = issue(printed("en"))
    record = store.find_sheet(sheet.sheet_id)
    store.submit_answers(record, {}, {})
    readings = tuple(BoxReading(f"consent.{a}", a, "uncertain", 0.04, 0.04, 0.3) for a in ("named", "anonymous", "none"))
    review_id = int(store.queue_review(record, ReviewItem(sheet.sheet_id, 4, "consent", "multiple", readings, b"\x89PNG")))

    outcomes = _at_once(monkeypatch, {
        "keyer-a": lambda: queues.decide_review(services.session_factory, review_id, "none", "keyer-a"),
        "keyer-b": lambda: queues.decide_review(services.session_factory, review_id, "named", "keyer-b")})

    assert sorted(outcomes.values()) == ["saved", "this question was already decided by someone else"], outcomes
    [decider] = [who for who, outcome in outcomes.items() if outcome == "saved"]
    with services.session_factory() as session:
        review = session.get(PaperReview, review_id)
        [submission] = submissions(services)
        assert review.decided_by == decider
        assert submission.consent == review.decided_answer == {"keyer-a": "none", "keyer-b": "named"}[decider]


def test_two_typists_on_one_box_at_once_only_one_records_it(services, store, printed, issue, database_url, monkeypatch):
    if not database_url.startswith("postgres"):
        pytest.skip("the race needs concurrent writers: PostgreSQL (SQLite serialises writers)")
    sheet = issue(printed("en"))
    store.submit_answers(store.find_sheet(sheet.sheet_id), {}, {"own_words": b"\x89PNG words"})
    with services.session_factory() as session:
        crop_id = session.scalar(select(PaperTextCrop.id))

    outcomes = _at_once(monkeypatch, {
        "typist-a": lambda: queues.type_text(services.session_factory, crop_id, "he takes my money", "typist-a"),
        "typist-b": lambda: queues.type_text(services.session_factory, crop_id, None, "typist-b")})  # "nothing to type"

    assert sorted(outcomes.values()) == ["saved", "this box was already typed by someone else"], outcomes
    [typist] = [who for who, outcome in outcomes.items() if outcome == "saved"]
    with services.session_factory() as session:
        crop = session.get(PaperTextCrop, crop_id)
        texts = [t.text for t in session.scalars(select(FreeText))]
    assert crop.typed_by == typist
    assert (crop.status, texts) == {"typist-a": ("typed", ["he takes my money"]), "typist-b": ("no_text", [])}[typist]


def test_an_unreadable_page_is_marked_keyed_in_only_once_its_page_is_in(services, store, printed, issue, tmp_path):
    """'Keyed in by hand or scanned again' deletes the page's image: while that page of the sheet is not
    recorded, it is refused, and the image is kept."""
    form = printed("en")
    sheet = issue(form)
    form.pages[2].crop((0, 0, form.pages[2].width, form.pages[2].height // 2)).save(tmp_path / "p3-torn.png")
    scan_files([tmp_path / "p3-torn.png"], store)
    with services.session_factory() as session:
        [page_id] = session.scalars(select(PaperUnreadable.id))
    with pytest.raises(DomainError) as refused:
        queues.resolve_unreadable(services.session_factory, page_id, "keyed")
    assert f"Page 3 of sheet {sheet.sheet_id} is not in yet" in refused.value.problems[0].message
    with services.session_factory() as session:
        assert session.get(PaperUnreadable, page_id).image_png
    # Any other outcome is a person's own judgement (passed to the duty team, not our form): not checked.
    tick(form.pages[2], form.layout.page(3), choose(form.layout.page(3))).save(tmp_path / "p3-again.png")
    assert scan_files([tmp_path / "p3-again.png"], store).submissions     # scanned again: the page is in
    queues.resolve_unreadable(services.session_factory, page_id, "keyed")
    with services.session_factory() as session:
        assert session.get(PaperUnreadable, page_id) is None
