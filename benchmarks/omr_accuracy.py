"""OMR accuracy and speed of ``easy_read.paper.scan`` on forms filled and degraded by program.

    .venv/bin/python benchmarks/omr_accuracy.py [--pages 160] [--seed 7] [--langs en,ur]

Renders real PDFs (WeasyPrint), rasterises them with pdftoppm at 150, 200 and 300 dpi, fills the
boxes with pen ticks, crosses, coloured-in boxes, faint pencil ticks and stray marks (some
questions skipped, some with two boxes ticked), writes in some free-text boxes (scribbled lines, one short word,
or a line of words just under the printed hint), degrades each page (rotation up to 5 degrees, a
fifth upside down, scaling, blur, noise, JPEG artefacts) and reads it back.

Prints:
- box accuracy: boxes whose machine state (ticked / empty) is right and that did not go to review;
- share of boxes and of questions sent to review;
- wrong boxes and wrong answers recorded without review (the target is zero);
- how each mark style fared;
- free-text boxes: written ones read as written (by style of writing), blank ones read as written (false);
- pages per second, and the ratio of reading a page to the baseline of rasterising one page of the
  same PDF with pdftoppm at 200 dpi, measured in the same run.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from easy_read.paper.render import render_pdf  # noqa: E402
from easy_read.paper.scan import read_page  # noqa: E402
from easy_read.paper.synthetic import WRITING_STYLES, degrade, fill_page  # noqa: E402


def rasterise(pdf: Path, dpi: int, out_dir: Path) -> list[Image.Image]:
    prefix = out_dir / f"{pdf.stem}-{dpi}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(prefix)], check=True)
    files = sorted(out_dir.glob(f"{prefix.name}-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [Image.open(f).convert("L") for f in files]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=160)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--langs", default="en,ur")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    languages = args.langs.split(",")

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        clean: dict[tuple[str, int], list[Image.Image]] = {}
        layouts = {}
        raster_times = []
        raster_cpu = []
        for language in languages:
            result = render_pdf(language, return_address="Safeguarding Adults Board\nTown Hall\nBL1 1RU",
                                safeguarding_phone="01204 000000")
            layouts[language] = result.layout
            pdf = tmpdir / f"{language}.pdf"
            pdf.write_bytes(result.pdf)
            for dpi in (150, 200, 300):
                start, before = time.perf_counter(), os.times()
                clean[(language, dpi)] = rasterise(pdf, dpi, tmpdir)
                after = os.times()
                if dpi == 200:
                    pages = len(clean[(language, dpi)])
                    raster_times.append((time.perf_counter() - start) / pages)
                    raster_cpu.append((after.children_user + after.children_system + after.user + after.system
                                       - before.children_user - before.children_system - before.user
                                       - before.system) / pages)

        boxes_total = boxes_right = boxes_review = boxes_wrong_unreviewed = 0
        questions_total = questions_review = answers_wrong_unreviewed = answers_recorded = 0
        unreadable = 0
        free_total = free_right = 0
        style_stats: Counter = Counter()
        writing_stats: Counter = Counter()
        failures: list[str] = []
        scan_time = scan_cpu = 0.0
        for n in range(args.pages):
            language = rng.choice(languages)
            dpi = rng.choice((150, 200, 300))
            page_number = rng.randint(1, len(layouts[language].pages))
            page_layout = layouts[language].page(page_number)
            filled = fill_page(clean[(language, dpi)][page_number - 1], page_layout, dpi, rng,
                               writing_styles=WRITING_STYLES, hint_depth=layouts[language].free_text_hint_depth())
            scanned = degrade(filled.image, rng, upside_down=rng.random() < 0.2,
                              jpeg=(35, 90) if rng.random() < 0.6 else None)
            grey = np.asarray(scanned)
            start, cpu = time.perf_counter(), time.process_time()
            result = read_page(grey, source=f"synthetic-{n}")
            scan_time += time.perf_counter() - start
            scan_cpu += time.process_time() - cpu
            if result.status != "read":
                unreadable += 1
                failures.append(f"page {n} ({language}, {dpi} dpi) unreadable: {result.reason}")
                continue
            for q in result.questions:
                if q.kind == "free_text":
                    free_total += 1
                    free_right += q.has_writing == filled.written[q.question]
                    kind = (filled.writing or {}).get(q.question, "blank")
                    writing_stats[(kind, "total")] += 1
                    writing_stats[(kind, "written")] += q.has_writing
                    if q.has_writing != filled.written[q.question]:
                        failures.append(f"page {n} ({language}, {dpi} dpi): {q.question} ({kind}) read "
                                        f"{'written' if q.has_writing else 'blank'}, biggest mark "
                                        f"{q.largest_mark_mm2:.2f} mm2, ink {q.ink:.4f}")
                    continue
                truth = filled.truth[q.question]
                questions_total += 1
                if q.review_reason:
                    questions_review += 1
                else:
                    expected = next(iter(truth)) if len(truth) == 1 else None
                    if q.answer is not None:
                        answers_recorded += 1
                    if q.answer != expected:
                        answers_wrong_unreviewed += 1
                        failures.append(f"page {n} ({language}, {dpi} dpi): {q.question} recorded "
                                        f"{q.answer!r}, truth {sorted(truth)}")
                for reading in q.readings:
                    boxes_total += 1
                    style = filled.styles.get(reading.box_id, "empty")
                    should = "ticked" if reading.answer in truth else "empty"
                    style_stats[(style, "total")] += 1
                    if reading.state == "uncertain":
                        boxes_review += 1
                        style_stats[(style, "review")] += 1
                    elif reading.state == should:
                        boxes_right += 1
                    else:
                        style_stats[(style, "wrong")] += 1
                        if not q.review_reason:
                            boxes_wrong_unreviewed += 1
                            failures.append(f"page {n}: box {reading.box_id} ({style}) read {reading.state} "
                                            f"coverage {reading.coverage:.3f} faint {reading.faint:.3f}")

    pages_read = args.pages - unreadable
    per_page = scan_time / max(args.pages, 1)
    per_page_cpu = scan_cpu / max(args.pages, 1)
    baseline = sum(raster_times) / len(raster_times)
    baseline_cpu = sum(raster_cpu) / len(raster_cpu)
    print(f"pages: {args.pages} ({pages_read} read, {unreadable} unreadable); languages {','.join(languages)}; "
          f"150/200/300 dpi; seed {args.seed}")
    print(f"boxes: {boxes_total}")
    print(f"box accuracy without review: {100 * boxes_right / max(boxes_total, 1):.2f}%")
    print(f"boxes sent to review (uncertain): {100 * boxes_review / max(boxes_total, 1):.2f}%")
    print(f"questions sent to review (uncertain or two ticked): {questions_review}/{questions_total} "
          f"= {100 * questions_review / max(questions_total, 1):.2f}%")
    print(f"wrong boxes without review: {boxes_wrong_unreviewed}")
    print(f"wrong answers recorded without review: {answers_wrong_unreviewed} (of {answers_recorded} recorded)")
    print(f"free-text boxes: written/blank right {free_right}/{free_total}")
    written_total = sum(writing_stats[(kind, "total")] for kind in WRITING_STYLES)
    written_read = sum(writing_stats[(kind, "written")] for kind in WRITING_STYLES)
    print(f"  written in, read as written: {written_read}/{written_total} ("
          + ", ".join(f"{kind} {writing_stats[(kind, 'written')]}/{writing_stats[(kind, 'total')]}"
                      for kind in WRITING_STYLES) + ")")
    print(f"  blank, read as written (false): {writing_stats[('blank', 'written')]}/{writing_stats[('blank', 'total')]}")
    print("by mark style (total / to review / wrong):")
    for style in ("tick", "cross", "fill", "pencil", "stray", "empty"):
        total = style_stats[(style, "total")]
        if total:
            print(f"  {style:7s} {total:6d} {style_stats[(style, 'review')]:6d} {style_stats[(style, 'wrong')]:6d}")
    print(f"speed: {args.pages / scan_time:.1f} pages/s ({1000 * per_page:.0f} ms a page wall clock, "
          f"{1000 * per_page_cpu:.0f} ms CPU)")
    print(f"baseline: pdftoppm rasterising one page at 200 dpi: {1000 * baseline:.0f} ms wall clock, "
          f"{1000 * baseline_cpu:.0f} ms CPU; reading a page costs {per_page / baseline:.2f}x that "
          f"(CPU: {per_page_cpu / max(baseline_cpu, 1e-9):.2f}x)")
    for line in failures[:30]:
        print("  ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
