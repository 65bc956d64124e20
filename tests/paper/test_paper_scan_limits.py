"""`paper scan` on hostile or broken files: nothing may crash the run or exhaust memory or disk.

Every file here is small (a few hundred bytes to a few hundred kilobytes) but would inflate to a huge
image: a tiny PDF with one enormous page, a PDF of many pages, PNG and TIFF files of huge dimensions.
Each becomes an unreadable page with its reason; the good page scanned with them is still read.
"""
from __future__ import annotations

import subprocess

import numpy as np
from paper_helpers import rasterise, tiny_pdf
from PIL import Image

from easy_read.paper import scan
from easy_read.paper.scan import MAX_PAGE_PIXELS, load_pages, scan_files
from easy_read.paper.store import InMemoryPaperStore
from test_paper_scan import choose, tick


def good_page(rendered, tmp_path) -> tuple[InMemoryPaperStore, object]:
    store = InMemoryPaperStore()
    for sheet in rendered.result.sheets:
        store.register_sheet(sheet)
    [image] = rasterise(rendered.pdf, 150, tmp_path, 1, 1)
    page = rendered.layout.page(1)
    png = tmp_path / "good.png"
    tick(image, page, 150, choose(page)).save(png)
    return store, png


def test_a_tiny_pdf_with_a_huge_page_is_rasterised_small_and_the_batch_goes_on(render_language, tmp_path):
    rendered = render_language("en")
    store, good = good_page(rendered, tmp_path)
    bomb = tiny_pdf(tmp_path / "bomb.pdf", 1, 5000, 5000)      # 69 x 69 inches: 193 Mpx at 200 dpi
    assert bomb.stat().st_size < 1000

    [page] = list(load_pages(bomb, dpi=200))
    assert page.image is not None and page.image.size <= MAX_PAGE_PIXELS

    report = scan_files([bomb, good], store)
    assert len(report.submissions) == 1 and report.answers_recorded == 2
    assert [(p.source, p.index) for p in report.unreadable] == [(str(bomb), 1)]


def test_a_pdf_with_too_many_pages_is_cut_off_with_a_reason(tmp_path):
    many = tiny_pdf(tmp_path / "many.pdf", 7, 595, 842)
    report = scan_files([many], InMemoryPaperStore(), max_pdf_pages=3)
    assert [p.index for p in report.pages] == [1, 2, 3, 4]
    assert all(p.status == "unreadable" for p in report.pages)
    assert "PDF has 7 pages: only the first 3 were read" in report.pages[3].reason


def test_pdf_pages_are_rasterised_one_at_a_time(tmp_path, monkeypatch):
    """pdftoppm is asked for one page per run (so at most one page image is on disk at once)."""
    calls = []
    real_run = subprocess.run

    def run(command, *args, **kwargs):
        calls.append((list(command), kwargs.get("timeout")))
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(scan.subprocess, "run", run)
    pages = list(load_pages(tiny_pdf(tmp_path / "three.pdf", 3, 595, 842), dpi=100))
    assert [p.index for p in pages] == [1, 2, 3] and all(p.image is not None for p in pages)
    # pdftoppm, run by prlimit where it is installed (its memory limit): the command from "pdftoppm" on.
    rasterising = [command[command.index("pdftoppm"):] for command, _ in calls if "pdftoppm" in command]
    assert [(c[c.index("-f") + 1], c[c.index("-l") + 1]) for c in rasterising] == [("1", "1"), ("2", "2"), ("3", "3")]
    assert all(timeout for _, timeout in calls)


def test_a_pdf_page_that_takes_too_long_is_unreadable(tmp_path, monkeypatch):
    monkeypatch.setattr(scan, "PDF_PAGE_TIMEOUT", 0.0001)
    [page] = list(load_pages(tiny_pdf(tmp_path / "slow.pdf", 1, 595, 842)))
    assert page.image is None and "took longer than" in page.error


def test_a_png_of_huge_dimensions_is_refused_before_it_is_decoded(render_language, tmp_path):
    rendered = render_language("en")
    store, good = good_page(rendered, tmp_path)
    huge = tmp_path / "huge.png"
    Image.new("1", (7000, 7000), 1).save(huge)                # 49 Mpx, a few kilobytes on disk
    assert huge.stat().st_size < 200_000

    report = scan_files([huge, good], store)
    assert len(report.submissions) == 1
    [refused] = report.unreadable
    assert refused.source == str(huge) and "too large to be a scanned page (7000 x 7000" in refused.reason
    [kept] = store.unreadable.values()
    assert kept.reason == refused.reason


def test_a_png_past_pillows_own_limit_is_reported_not_raised(tmp_path):
    huge = tmp_path / "bomb.png"
    Image.new("1", (14000, 14000), 1).save(huge)              # 196 Mpx: Pillow's open() refuses it
    [page] = list(load_pages(huge))
    assert page.image is None and "too large" in page.error


def test_every_tiff_frame_is_checked_for_size(tmp_path):
    small = Image.new("L", (800, 1000), 255)
    big = Image.new("1", (7000, 7000), 1)
    tiff = tmp_path / "pages.tif"
    small.save(tiff, save_all=True, append_images=[big.convert("L"), small], compression="tiff_deflate")
    pages = list(load_pages(tiff))
    assert [p.index for p in pages] == [1, 2, 3]
    assert isinstance(pages[0].image, np.ndarray) and isinstance(pages[2].image, np.ndarray)
    assert pages[1].image is None and "too large" in pages[1].error
