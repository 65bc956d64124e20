"""Benchmark the free-text pipeline on one core.

    .venv/bin/python benchmarks/text_pipeline.py [--n 2000] [--repeat 3]

Prints: model load time, resident memory before/after loading, comments per second for the whole
pipeline (English, no machine translation), and, measured in the same run, two baselines — the
redaction step alone and a bare TF-IDF transform of the shipped model — with the ratios.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")  # one core

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def english_comments(n: int) -> list[str]:
    from service.text.convert import convert_v6

    data = ROOT / "service" / "text" / "data"
    texts = [i["text"] for i in convert_v6(data / "v6framework_train.csv")]
    texts += [json.loads(x)["text"] for x in (data / "dev.jsonl").read_text(encoding="utf-8").splitlines()
              if x.strip() and json.loads(x)["language"] == "en"]
    return (texts * (n // len(texts) + 1))[:n]


def rate(fn, items, repeat: int) -> float:
    best = 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        for x in items:
            fn(x)
        best = max(best, len(items) / (time.perf_counter() - t0))
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # pin to one core

    rss0 = rss_mb()
    from service.text import redact
    from service.text.pipeline import TextPipeline

    t0 = time.perf_counter()
    pipeline = TextPipeline.load()
    load_s = time.perf_counter() - t0
    rss1 = rss_mb()

    texts = english_comments(args.n)
    mean_chars = sum(map(len, texts)) / len(texts)
    full = rate(pipeline.analyse, texts, args.repeat)
    red = rate(redact.redact, texts, args.repeat)
    feats = pipeline.theme_model.features
    tfidf = rate(lambda t: feats.transform([t]), texts, args.repeat)
    rss2 = rss_mb()
    out = {
        "comments": len(texts),
        "mean_chars": round(mean_chars, 1),
        "model_version": pipeline.model_version,
        "load_seconds": round(load_s, 3),
        "rss_mb_before_load": round(rss0, 1),
        "rss_mb_after_load": round(rss1, 1),
        "rss_mb_after_run": round(rss2, 1),
        "pipeline_comments_per_second": round(full, 1),
        "baseline_redaction_only_per_second": round(red, 1),
        "baseline_bare_tfidf_per_second": round(tfidf, 1),
        "ratio_pipeline_to_redaction": round(full / red, 3),
        "ratio_pipeline_to_tfidf": round(full / tfidf, 3),
        "target_per_second": 500,
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
