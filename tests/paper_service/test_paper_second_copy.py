"""A page that comes back for a page already read: an identical rescan is a plain duplicate; another
copy of the sheet with other answers (a photocopy filled in by someone else) is kept for a person.

Adapted from the papermeet audit (M1): the second copy used to be dropped as a duplicate, its answers
("less safe") and its written box stored nowhere.
"""
from __future__ import annotations

import random

from paper_service_helpers import tick
from sqlalchemy import select

from channels.paper.models import PaperReview, PaperTextCrop, PaperUnreadable
from channels.paper.store import DatabasePaperStore
from easy_read.paper.scan import scan_files
from easy_read.paper.synthetic import degrade
from service.storage.orm import Submission


def rows(services):
    with services.session_factory() as session:
        return (list(session.scalars(select(Submission))), list(session.scalars(select(PaperUnreadable))),
                list(session.scalars(select(PaperReview))), list(session.scalars(select(PaperTextCrop))))


def test_a_second_copy_of_a_sheet_with_other_answers_is_kept_for_a_person(services, printed, issue, tmp_path):
    form = printed("en")
    sheet = issue(form)
    layout = form.layout.page(3)
    tick(form.pages[2], layout, {"feel_safer": "a_lot_safer", "respected": "yes"}).save(tmp_path / "a.png")
    tick(form.pages[2], layout, {"feel_safer": "less_safe", "respected": "no"},
         write_in=("own_words",)).save(tmp_path / "b.png")
    scan_files([tmp_path / "a.png"], DatabasePaperStore(services.session_factory))
    report = scan_files([tmp_path / "b.png"], DatabasePaperStore(services.session_factory))

    [submission], unreadable, _, crops = rows(services)
    assert submission.answers["feel_safer"] == "a_lot_safer"        # the first copy's answers stand
    assert crops == []                                               # the second copy's writing is not mixed in
    assert report.duplicates == []
    [kept] = unreadable
    assert kept.source == str(tmp_path / "b.png") and kept.page == 1 and kept.image_png.startswith(b"\x89PNG")
    assert f"another copy of sheet {sheet.sheet_id} page 3, already returned, with different answers" in kept.reason
    assert "feel_safer" in kept.reason and "respected" in kept.reason and "own_words" in kept.reason


def test_a_second_copy_differing_only_in_its_writing_is_kept(services, printed, issue, tmp_path):
    form = printed("en")
    issue(form)
    layout = form.layout.page(3)
    same = {"feel_safer": "a_bit_safer", "respected": "yes"}
    tick(form.pages[2], layout, same, write_in=("own_words",), seed=1).save(tmp_path / "a.png")
    tick(form.pages[2], layout, same, write_in=("own_words",), seed=7).save(tmp_path / "b.png")
    report = scan_files([tmp_path / "a.png", tmp_path / "b.png"], DatabasePaperStore(services.session_factory))
    assert report.duplicates == []
    [reason] = [p.reason for p in report.unreadable]
    assert "(own_words)" in reason


def test_an_identical_rescan_stays_a_plain_duplicate(services, printed, issue, tmp_path):
    """The same filled-in page scanned again (another scanner pass: skewed, noisy, JPEG) stores nothing."""
    form = printed("en")
    issue(form)
    layout = form.layout.page(3)
    page = tick(form.pages[2], layout, {"feel_safer": "less_safe", "respected": "no"}, write_in=("own_words",))
    page.save(tmp_path / "a.png")
    degrade(page, random.Random(3), max_rotation=2.0).save(tmp_path / "again.png")
    scan_files([tmp_path / "a.png"], DatabasePaperStore(services.session_factory))
    again = scan_files([tmp_path / "again.png", tmp_path / "a.png"], DatabasePaperStore(services.session_factory))

    assert [p.source for p in again.duplicates] == [str(tmp_path / "again.png"), str(tmp_path / "a.png")]
    assert again.unreadable == []
    [submission], unreadable, _, crops = rows(services)
    assert unreadable == [] and len(crops) == 1
    assert submission.answers["feel_safer"] == "less_safe"
