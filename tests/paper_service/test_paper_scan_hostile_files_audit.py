"""Hostile scans found by an audit (forged QR codes, decompression bombs in PDF and TIFF, page floods): each test failed before its fix."""
from __future__ import annotations

from paper_service_helpers import choose, tick
from paperscan_files import many_frame_tiff, qr_page
import pytest
from sqlalchemy import event, select

from service.auth.permissions import Role
from tests.conftest import make_token

from channels.paper import queues
from channels.paper.models import PAGE_RECORDED, PaperPage
from channels.paper.store import DatabasePaperStore
from easy_read.paper import scan
from easy_read.paper.scan import scan_files


def _good_png(form, tmp_path):
    good = tmp_path / "good.png"
    tick(form.pages[0], form.layout.page(1), choose(form.layout.page(1))).save(good)
    return good


def test_a_qr_code_with_a_long_form_id_is_an_unreadable_page_not_a_crash(services, printed, issue, tmp_path):
    """QR 'MSPF:<300 x A>:1:en:1:X' -> load_questionnaire's Path.exists() raises OSError(ENAMETOOLONG), which
    read_page does not catch: the whole run stops, the good page before it stays pending and unrecorded,
    and every file after it in the batch is never read."""
    form = printed("en")
    issue(form)
    good = _good_png(form, tmp_path)
    hostile = tmp_path / "hostile.png"
    qr_page("MSPF:" + "A" * 300 + ":1:en:1:ABCDEFGHJK").save(hostile)
    later = tmp_path / "later.png"
    qr_page("not ours").save(later)
    report = scan_files([good, hostile, later], DatabasePaperStore(services.session_factory))
    assert report.submissions and len(report.unreadable) == 2
    with services.session_factory() as session:
        assert [p.status for p in session.scalars(select(PaperPage))] == [PAGE_RECORDED]


def test_a_tiff_is_cut_off_at_the_same_page_limit_as_a_pdf(services, tmp_path, monkeypatch):
    """A PDF is read up to MAX_PDF_PAGES pages ("split the file"); a TIFF has no limit at all. A 1.2 MB TIFF of
    10,000 A4 pages (every IFD pointing at one shared deflate strip) is decoded, measured, PNG-encoded and
    stored as 10,000 unreadable pages (~0.4 s CPU each at 35 Mpx: over an hour of a core). Shown small here:
    the limit lowered to 3, a TIFF of 7 small frames."""
    monkeypatch.setattr(scan, "MAX_PDF_PAGES", 3)
    tiff = many_frame_tiff(tmp_path / "many.tif", 7, 400, 400, pattern=True)
    report = scan_files([tiff], DatabasePaperStore(services.session_factory), max_pdf_pages=3)
    assert len(report.pages) <= 4


def test_the_unreadable_list_does_not_load_every_page_image(services, store):
    """queues.unreadable_pages selects whole PaperUnreadable rows, image_png included, for up to 200 rows, only
    to say bool(image_png): every view of /staff/paper/unreadable reads up to 200 full page PNGs into the web
    worker (a 35 Mpx noisy page is ~30 MB as PNG: several GB for one page view)."""
    for index in range(3):
        store.record_unreadable("f.tif", index + 1, "blank page (no print found)", b"\x89PNG" + b"x" * 1000)
    statements = []
    engine = services.session_factory.kw["bind"]

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with services.session_factory() as session:
            rows = queues.unreadable_pages(session)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(rows) == 3 and all(r.has_image for r in rows)
    assert not any("paper_unreadable.image_png" in s and "length" not in s.lower() for s in statements), statements


@pytest.mark.parametrize("prlimit", ["prlimit", "without prlimit"])
def test_a_tiny_pdf_with_a_jbig2_image_does_not_make_pdftoppm_take_gigabytes(tmp_path, prlimit):
    """A 713-byte A4 PDF whose one image is a JBIG2 stream with a page-information segment declaring
    100,000 x 100,000 pixels. pdfinfo sees an ordinary A4 page, so the 40 Mpx limit (which only sets the
    resolution) lets it through; poppler allocates and clears the whole 1-bit bitmap (1.25 GB) before it
    draws it. 100,000 x 171,000 plus a generic region segment: 4.2 GB RSS for 28 s, from 742 bytes; every
    page of a 200-page PDF may draw the same image object. pdftoppm runs with no memory limit. The limit is
    set by util-linux's prlimit, or where it is missing by the child before it starts pdftoppm."""
    import json
    import subprocess
    import sys

    from paperscan_files import jbig2_pdf

    pdf = jbig2_pdf(tmp_path / "jbig2.pdf", 100_000, 100_000)
    assert pdf.stat().st_size < 1000
    # In a process of its own: this one's earlier children (browsers, servers) would count in its peak.
    hide_prlimit = ("import shutil; which = shutil.which; "
                    "shutil.which = lambda name, *a, **k: None if name == 'prlimit' else which(name, *a, **k); "
                    if prlimit == "without prlimit" else "")
    code = (hide_prlimit + "import json, resource, sys; from easy_read.paper.scan import load_pages; pages = list(load_pages(sys.argv[1], dpi=200)); "
            "print(json.dumps([len(pages), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")
    out = subprocess.run([sys.executable, "-c", code, str(pdf)], capture_output=True, text=True, check=True, timeout=300)
    pages, peak_kb = json.loads(out.stdout.strip().splitlines()[-1])
    assert pages == 1
    assert peak_kb < 1_000_000, f"pdftoppm peaked at {peak_kb / 1024:.0f} MB for a {pdf.stat().st_size}-byte file"


@pytest.mark.parametrize("role", list(Role))
def test_only_paper_entry_roles_see_scans_and_crops(client, services, store, printed, issue, provider_id, role):
    """Probe (passes): every role, by API token and by staff session, on every image and queue route."""
    from channels.paper.models import PaperReview, PaperTextCrop
    from easy_read.paper.store import BoxReading, ReviewItem
    from paper_service_helpers import signed_in

    sheet = issue(printed("en"))
    record = store.find_sheet(sheet.sheet_id)
    store.submit_answers(record, {}, {"own_words": b"\x89PNG crop"})
    store.queue_review(record, ReviewItem(sheet.sheet_id, 1, "feel_safe", "uncertain",
                                          (BoxReading("b", "yes", "uncertain", 0.03, 0.03, 0.2),), b"\x89PNG review"))
    unreadable = store.record_unreadable("f.png", 1, "blank page", b"\x89PNG page")
    with services.session_factory() as session:
        crop = session.scalar(select(PaperTextCrop.id))
        review = session.scalar(select(PaperReview.id))
    paths = [f"/staff/paper/texts/{crop}/crop.png", f"/staff/paper/review/{review}/crop.png",
             f"/staff/paper/unreadable/{unreadable}/image.png", "/staff/paper/review", "/staff/paper/texts",
             "/staff/paper/unreadable"]
    allowed = role in (Role.ADMIN, Role.DATA_ENTRY)
    token = make_token(services, role, (provider_id,) if role is Role.PROVIDER_RESPONDER else ())
    for path in paths:
        for method in ("GET", "HEAD"):
            status = client.simulate_request(method, path, headers={"Authorization": f"Bearer {token}"}).status_code
            assert (status < 400) == allowed, (path, method, status)
    person = signed_in(client, services, f"{role.value}@example.org", role, **({"provider_ids": (provider_id,)} if role is Role.PROVIDER_RESPONDER else {}))
    for path in paths:
        status = person.get(path).status_code
        assert (status == 200) == allowed, (path, status)
    assert client.simulate_get(paths[0]).status_code in (303, 401)


def test_a_tiny_tiled_tiff_does_not_make_the_scanner_take_gigabytes(tmp_path):
    """A 152-byte TIFF of 1000 x 1000 pixels (1 Mpx: the 40 Mpx header check passes) whose one tile is declared
    46,336 x 46,336: libtiff sizes and fills a 2 GB tile buffer inside the scanning process before it gives up
    ('not an image Pillow can read (OSError)'). Measured in a child process so the peak is its own."""
    import json
    import subprocess
    import sys

    from paperscan_files import tiled_tiff

    tiff = tiled_tiff(tmp_path / "tiled.tif", 1000, 1000, 46336)
    assert tiff.stat().st_size < 200
    code = ("import json, resource, sys; from easy_read.paper.scan import load_pages; "
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; pages = list(load_pages(sys.argv[1])); "
            "print(json.dumps([before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, pages[0].error]))")
    out = subprocess.run([sys.executable, "-c", code, str(tiff)], capture_output=True, text=True, check=True, timeout=120)
    before, after, error = json.loads(out.stdout.strip().splitlines()[-1])
    assert after - before < 500_000, f"scanning a {tiff.stat().st_size}-byte TIFF grew the process by {(after - before) / 1024:.0f} MB ({error})"
