"""`paper scan` on the real database: a hostile file in a batch is an unreadable page, not a crash.

Adapted from the papermeet audit (M4): a good page followed by a 436-byte PDF with one 5000 x 5000 pt
page used to raise DecompressionBombError, leaving the good page *pending* and the batch unread.
"""
from __future__ import annotations

from paper_service_helpers import choose, tick, tiny_pdf
from PIL import Image
from sqlalchemy import select

from channels.paper.models import PAGE_RECORDED, PaperPage, PaperUnreadable
from channels.paper.store import DatabasePaperStore
from easy_read.paper.scan import scan_files


def test_an_oversized_pdf_page_is_reported_not_a_crash(services, printed, issue, tmp_path):
    form = printed("en")
    issue(form)
    good = tmp_path / "good.png"
    tick(form.pages[0], form.layout.page(1), choose(form.layout.page(1))).save(good)
    bomb = tiny_pdf(tmp_path / "bomb.pdf", 1, 5000, 5000)
    huge = tmp_path / "huge.png"
    Image.new("1", (7000, 7000), 1).save(huge)
    report = scan_files([good, bomb, huge], DatabasePaperStore(services.session_factory))
    assert report.submissions and len(report.unreadable) == 2
    with services.session_factory() as session:
        assert [p.status for p in session.scalars(select(PaperPage))] == [PAGE_RECORDED]
        kept = {row.source: row.reason for row in session.scalars(select(PaperUnreadable))}
    assert set(kept) == {str(bomb), str(huge)}
    assert "too large to be a scanned page" in kept[str(huge)]
