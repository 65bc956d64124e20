"""Issue 6, "done when": a form printed in Urdu, ticked by hand with a pen, scanned at 200 dpi, becomes a
submission with the right answers and its text waiting to be typed — through `msp-feedback paper render`
and `msp-feedback paper scan` on the real test database (the service's DatabasePaperStore), nothing mocked:
WeasyPrint renders, pdftoppm rasterises at 200 dpi, the library's synthetic pen marks tick the boxes,
OpenCV and zxing-cpp read them back."""
from __future__ import annotations

import io
import json

from click.testing import CliRunner
from paper_service_helpers import choose, rasterise, save_pages, tick
from PIL import Image
from sqlalchemy import select

from channels.paper import queues
from channels.paper.models import PaperSheet
from channels.paper.store import DatabasePaperStore
from channels.paper.wiring import use_service_database
from easy_read.paper import cli as paper_cli
from easy_read.paper.synthetic import rotate_exact
from service.intake import ANALYSE_TEXT
from service.storage.orm import FreeText, OutboxMessage, Submission


def test_urdu_form_ticked_with_a_pen_scanned_at_200_dpi_becomes_a_submission(services, provider_id, tmp_path, monkeypatch):
    monkeypatch.setattr(paper_cli, "store_factory", paper_cli.store_factory)
    monkeypatch.setattr(paper_cli, "settings_factory", paper_cli.settings_factory)
    use_service_database(store_factory=lambda: DatabasePaperStore(services.session_factory),
                         settings_factory=lambda: {"return_address": "Town Hall\nBolton BL1 1RU", "safeguarding_phone": "01204 337000"})
    runner = CliRunner()

    # Printed in Urdu for a case and a provider: the sheet is registered in the database.
    pdf, layout_file = tmp_path / "forms-ur.pdf", tmp_path / "layout-ur.json"
    result = runner.invoke(paper_cli.paper, ["render", "--lang", "ur", "--case", "SAB-2026-0142", "--provider", str(provider_id),
                                             "--out", str(pdf), "--layout-out", str(layout_file)])
    assert result.exit_code == 0, result.output
    with services.session_factory() as session:
        [sheet] = session.scalars(select(PaperSheet))
    from easy_read.paper.layout import FormLayout
    layout = FormLayout.from_json(layout_file.read_text(encoding="utf-8"))
    assert layout.language == "ur" and layout.direction == "rtl"

    # Ticked by hand with a pen (the library's synthetic pen marks), the first free-text box written in.
    pages = rasterise(pdf, 200, tmp_path)
    expected: dict[str, str] = {}
    scanned = []
    for number, (image, page) in enumerate(zip(pages, layout.pages), start=1):
        choices = choose(page, seed=40 + number)
        expected.update(choices)
        scanned.append(tick(image, page, choices, style="tick", seed=number, write_in=("own_words",)))
    scanned[1] = rotate_exact(scanned[1], 2.0)                 # fed into the scanner a little skewed
    returned = save_pages([scanned[2], scanned[0], scanned[3], scanned[1]], tmp_path / "returned-200dpi.pdf")

    # Scanned at 200 dpi and read.
    result = runner.invoke(paper_cli.paper, ["scan", str(returned), "--dpi", "200", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["unreadable"] == [] and report["duplicates"] == [] and report["sent_to_review"] == 0
    assert report["pages_read"] == 4 and report["free_text_to_type"] == 1

    with services.session_factory() as session:
        [submission] = session.scalars(select(Submission))
        assert report["submissions"] == {sheet.sheet_id: submission.reference}
        assert submission.channel == "paper" and submission.language == "ur"
        assert submission.idempotency_key == f"paper:{sheet.sheet_id}"
        assert submission.case_reference == "SAB-2026-0142" and submission.provider_id == provider_id
        assert submission.respondent == expected["respondent"] and submission.consent == expected["consent"]
        assert submission.answers == {q: a for q, a in expected.items() if q not in ("respondent", "consent")}
        assert set(submission.answers) == {"asked_outcomes", "outcomes_met", "listened_to", "in_control", "understood",
                                           "feel_safer", "respected"}
        assert session.get(PaperSheet, sheet.sheet_id).submission_id == submission.id
        # Its text waiting to be typed: the handwriting as an image, nothing invented.
        [crop] = queues.waiting_texts(session)
        assert crop.submission_id == submission.id and crop.question_id == "own_words" and crop.language == "ur"
        image = Image.open(io.BytesIO(queues.crop_image(session, crop.id)))
        assert image.width > 400 and image.height > 100
        assert session.scalars(select(FreeText)).all() == []

    # A second scan of the same pages records nothing.
    again = runner.invoke(paper_cli.paper, ["scan", str(returned)])
    assert "Duplicate pages (already scanned, nothing recorded): 4" in again.output

    # A person types the words; they go verbatim into the text pipeline's queue.
    words = "مجھے سنا گیا۔ شکریہ"
    queues.type_text(services.session_factory, crop.id, words, "typist@example.org")
    with services.session_factory() as session:
        [text] = session.scalars(select(FreeText))
        assert (text.text, text.language, text.submission_id) == (words, "ur", submission.id)
        assert [m.purpose for m in session.scalars(select(OutboxMessage).where(OutboxMessage.submission_id == submission.id))] == [ANALYSE_TEXT]
