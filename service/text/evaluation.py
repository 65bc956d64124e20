"""Estimates of quality on labelled data: cross-validated themes/sentiment, disclosure, language.

    python -m service.text.evaluation themes-cv FILE.jsonl [--folds 5] [--jobs 2]
    python -m service.text.evaluation disclosure [FILE.jsonl] [-v]
    python -m service.text.evaluation language [FILE.jsonl]

Cross-validation is nested: each outer training part is trained exactly as ``themes train`` would
(including its own inner 5-fold threshold tuning), then scored on the outer held-out part, so no
threshold ever sees the rows it is scored on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from . import disclosure
from . import themes as T

DEV = Path(__file__).resolve().parent / "data" / "dev.jsonl"


def _fold_run(args):
    examples, test_idx, settings = args
    test = set(test_idx)
    train = [e for i, e in enumerate(examples) if i not in test]
    held = [e for i, e in enumerate(examples) if i in test]
    model = T.train(train, settings)
    preds = model.predict([e.text for e in held])
    return held, [p[0] for p in preds], [p[1] for p in preds]


def cross_validate(examples: list[T.Example], folds: int = 5, seed: int = 99, jobs: int = 1,
                   settings: T.TrainSettings | None = None, min_train_count: int = 10) -> dict:
    parts = T._kfold(len(examples), folds, seed)
    jobs_args = [(examples, p.tolist(), settings) for p in parts]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(_fold_run, jobs_args))
    else:
        results = [_fold_run(a) for a in jobs_args]
    held, labels, sents = [], [], []
    for h, lbl, s in results:
        held += h
        labels += lbl
        sents += s
    # "labels with N or more training examples": counted on the whole training file
    counts = Counter(label for e in examples for label in e.labels)
    report = T.score_predictions(held, labels, sents, dict(counts), min_train_count)
    report["cross_validation"] = f"{folds}-fold, nested threshold tuning, seed {seed}"
    return report


def evaluate_disclosure(path: Path = DEV) -> tuple[dict, list[dict]]:
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    groups: dict[str, Counter] = defaultdict(Counter)
    mistakes = []
    cat_ok = 0
    for r in rows:
        res = disclosure.check(r["text"])
        gold = bool(r["disclosure"])
        key = "tp" if res.flag and gold else "fp" if res.flag else "fn" if gold else "tn"
        for g in ("all", "language:" + r.get("language", "?"), "channel:" + r.get("channel", "?")):
            groups[g][key] += 1
        if key == "tp" and res.category == r.get("abuse_type"):
            cat_ok += 1
        if key in ("fp", "fn") or (key == "tp" and res.category != r.get("abuse_type")):
            mistakes.append({"id": r.get("id"), "kind": key, "gold": r.get("abuse_type"), "got": res.category,
                             "evidence": res.evidence, "text": r["text"][:160]})
    out = {}
    for g, c in sorted(groups.items()):
        rec = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None
        prec = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else None
        out[g] = {"recall": rec, "precision": prec, **{k: c[k] for k in ("tp", "fp", "fn", "tn")}}
    out["category_accuracy_on_true_positives"] = round(cat_ok / max(1, groups["all"]["tp"]), 4)
    return out, mistakes


def evaluate_language(path: Path = DEV) -> dict:
    from .language import LanguageDetector

    det = LanguageDetector()
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    per = defaultdict(Counter)
    wrong = []
    for r in rows:
        res = det.detect(r["text"])
        ok = res.language == r["language"]
        per[r["language"]]["ok" if ok else "wrong"] += 1
        if not ok:
            wrong.append({"id": r.get("id"), "gold": r["language"], "got": res.to_dict(), "text": r["text"][:80]})
    total = sum(c["ok"] + c["wrong"] for c in per.values())
    return {"accuracy": round(sum(c["ok"] for c in per.values()) / max(1, total), 4),
            "per_language": {k: dict(v) for k, v in sorted(per.items())}, "wrong": wrong}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m service.text.evaluation")
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("themes-cv")
    a.add_argument("file", type=Path)
    a.add_argument("--folds", type=int, default=5)
    a.add_argument("--jobs", type=int, default=1)
    b = sub.add_parser("disclosure")
    b.add_argument("file", type=Path, nargs="?", default=DEV)
    b.add_argument("-v", action="store_true")
    c = sub.add_parser("language")
    c.add_argument("file", type=Path, nargs="?", default=DEV)
    args = ap.parse_args(argv)
    if args.cmd == "themes-cv":
        report = cross_validate(T.read_jsonl(args.file), args.folds, jobs=args.jobs)
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif args.cmd == "disclosure":
        out, mistakes = evaluate_disclosure(args.file)
        print(json.dumps(out, indent=1))
        if args.v:
            for m in mistakes:
                print(json.dumps(m, ensure_ascii=False))
    else:
        print(json.dumps(evaluate_language(args.file), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
