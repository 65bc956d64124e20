"""Estimates of quality on labelled data: cross-validated themes/sentiment, disclosure, language.

    python -m service.text.evaluation themes-cv FILE.jsonl [--folds 5] [--jobs 2]
    python -m service.text.evaluation disclosure [FILE.jsonl] [-v]
    python -m service.text.evaluation disclosure-train [--folds 5]   # retrain the disclosure classifier tier
    python -m service.text.evaluation language [FILE.jsonl]

Cross-validation is nested: each outer training part is trained exactly as ``themes train`` would
(including its own inner 5-fold threshold tuning), then scored on the outer held-out part, so no
threshold ever sees the rows it is scored on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import disclosure
from . import themes as T

DATA_DIR = Path(__file__).resolve().parent / "data"
DEV = DATA_DIR / "dev.jsonl"
BLIND1 = DATA_DIR / "disclosure_blind.jsonl"
BLIND2 = DATA_DIR / "disclosure_blind2.jsonl"
# Written for training only (never scored as an estimate): see data/README.md.
TRAIN_FILES = sorted(DATA_DIR.glob("disclosure_train_*.jsonl"))
CASES = Path(__file__).resolve().parents[2] / "tests" / "unit" / "text" / "text_disclosure_cases.py"
V6 = DATA_DIR / "v6framework_train.csv"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


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
    """Recall and precision of the check on a labelled file, run as the pipeline runs it: on the
    original text, with the language the detector finds (the file's own language label is only used
    to group the figures)."""
    from .language import LanguageDetector

    detector = LanguageDetector()
    rows = read_jsonl(path)
    groups: dict[str, Counter] = defaultdict(Counter)
    mistakes = []
    cat_ok = 0
    for r in rows:
        res = disclosure.check(r["text"], language=detector.detect(r["text"]).language)
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


@dataclass
class DisclosureData:
    """The disclosure classifier tier's labelled rows, one list entry per row."""
    texts: list[str]
    labels: list[int]
    sources: list[str]             # the file's stem, "cases" or "v6"
    english: list[str | None]      # the English translation; None when English or none given
    languages: list[str | None]    # the row's labelled language; None where a file does not say


def disclosure_training_data(seed: int = 7, v6_negatives: int = 3000) -> DisclosureData:
    """The rows the disclosure classifier tier learns from: dev, blind files 1 and 2, the training
    files, the test paraphrases and a sample of general hospital feedback as negatives. Blind files 1
    and 2 were each measured once before they were used here; blind files 3 to 6 and the round-9 held-out files are never used
    for training."""
    texts, labels, src, english, languages = [], [], [], [], []
    for path in (DEV, BLIND1, BLIND2, *TRAIN_FILES):
        for line in open(path, encoding="utf-8"):
            if line.strip():
                r = json.loads(line)
                texts.append(r["text"])
                labels.append(int(bool(r["disclosure"])))
                src.append(path.stem)
                en = r.get("text_en")
                english.append(en if en and en.strip() != r["text"].strip() else None)
                languages.append(r.get("language"))
    if CASES.exists():
        ns: dict = {}
        exec(compile(CASES.read_text(encoding="utf-8"), str(CASES), "exec"), ns)
        cases = ([(t, 1) for t, _ in ns.get("POSITIVE", [])] + [(t, 1) for t in ns.get("MORE_POSITIVE", [])]
                 + [(t, 0) for t in ns.get("NEGATIVE", []) + ns.get("MORE_NEGATIVE", [])])
        for t, label in cases:   # several languages, unlabelled
            texts.append(t); labels.append(label); src.append("cases"); english.append(None); languages.append(None)
    if V6.exists() and v6_negatives:
        from .convert import convert_v6

        items = convert_v6(V6)
        for i in v6_negative_sample(len(items), seed, v6_negatives):
            texts.append(items[int(i)]["text"]); labels.append(0); src.append("v6"); english.append(None)
            languages.append("en")
    return DisclosureData(texts, labels, src, english, languages)


def _expanded(rows: list[int], texts: list[str], labels: list[int], english: list[str | None],
              cleared: list[bool]) -> tuple[list[str], list[int]]:
    """The rows' texts and labels, plus two kinds of extra examples made from a row:

    * its English translation, with the row's label: translations teach the English wording of harm
      that only the other languages' writers used;
    * when the row is a non-disclosure the rules cleared (``cleared``: not flagged, no resolved harm
      named; the general hospital comments included), each of its sentences of three or more words
      (and of its translation's) as a non-disclosure: the tier scores passages one by one, and without
      these a short ordinary sentence ("I can still go to college on my own.") was only ever judged
      as part of a longer text.

    Extra examples always go where their row goes (never into the fold that scores the row), so
    out-of-fold figures stay out of fold."""
    tx = [texts[i] for i in rows]
    ly = [labels[i] for i in rows]
    for i in rows:
        versions = [texts[i]] + ([english[i]] if english[i] else [])
        if english[i]:
            tx.append(english[i])
            ly.append(labels[i])
        if cleared[i]:
            for text in versions:
                spans = disclosure.passages(text)
                if len(spans) > 1:
                    for s, e in spans:
                        if len(text[s:e].split()) >= 3:
                            tx.append(text[s:e].strip())
                            ly.append(0)
    return tx, ly


def v6_negative_sample(n_items: int, seed: int = 7, count: int = 3000) -> np.ndarray:
    """Indices of the general hospital comments the disclosure classifier trains on as negatives
    (the rest measure its false-alarm rate on comments it has not seen)."""
    return np.random.default_rng(seed).choice(n_items, size=min(count, n_items), replace=False)


MIN_SCRIPT_DISCLOSURES = 30  # fewer, and a script's own threshold would be chosen on noise
THRESHOLD_GRID = tuple(float(t) for t in np.round(np.arange(0.05, 0.951, 0.025), 3))


def _rates(flag: np.ndarray, y: np.ndarray, where: np.ndarray) -> tuple[float, float]:
    """(recall, precision) of ``flag`` against labels ``y`` on the rows in ``where``."""
    tp = int((flag & (y == 1) & where).sum())
    fp = int((flag & (y == 0) & where).sum())
    return tp / max(1, int(((y == 1) & where).sum())), tp / max(1, tp + fp)


@dataclass
class ThresholdChoice:
    overall: float  # for scripts without a threshold of their own
    by_script: dict[str, float]
    reached: dict[str, bool]  # per script with its own threshold, and "overall"
    by_language: dict[str, float] = field(default_factory=dict)  # "ro:latin": lower than its script's

    def row_thresholds(self, scripts: np.ndarray, languages: np.ndarray | None = None) -> np.ndarray:
        """Each row's threshold as ``disclosure._Model.threshold_for`` applies it."""
        out = np.asarray([self.by_script.get(s, self.overall) for s in scripts], dtype=float)
        if languages is not None and self.by_language:
            for i, (language, script) in enumerate(zip(languages, scripts)):
                out[i] = min(out[i], self.by_language.get(disclosure.language_key(language, script), out[i]))
        return out


def choose_thresholds(oof: np.ndarray, cand: np.ndarray, rule_flag: np.ndarray, y: np.ndarray,
                      fresh: np.ndarray, scripts: np.ndarray, base_score: float, target_recall: float,
                      min_disclosures: int = MIN_SCRIPT_DISCLOSURES,
                      languages: np.ndarray | None = None) -> ThresholdChoice:
    """The tier's thresholds, as run time will apply them: each is at least ``base_score`` (the tier
    never flags at or below it), and "reached" says whether rules + tier find ``target_recall`` of the
    disclosures at exactly that threshold.

    Overall: the highest threshold that finds ``target_recall`` of all the ``fresh`` rows'
    disclosures. Each script with at least ``min_disclosures`` fresh disclosures: the same on its own
    rows only. Out of reach, the highest threshold that still finds as many as the lowest (the base
    score) does, and reached is False.

    With ``languages``: each language within a script ("ro:latin") with at least ``min_disclosures``
    fresh disclosures whose own highest reaching threshold is *lower* than its script's gets it (a
    language the model knows less well than the rest of its script). Never higher: chosen on fewer
    rows, a raised threshold would be chosen on noise and cost recall on new wording."""
    # the floor rounded up to the 4 places model.json keeps, so the figures are those of the stored thresholds
    floor = math.ceil(base_score * 10_000) / 10_000
    grid = sorted({max(t, floor) for t in THRESHOLD_GRID})

    def highest_reaching(where: np.ndarray) -> tuple[float, bool]:
        recall = {t: _rates(rule_flag | (cand & (oof >= t)), y, where)[0] for t in grid}
        ok = [t for t in grid if recall[t] >= target_recall]
        if ok:
            return max(ok), True
        # out of reach: as many as the lowest threshold finds, with as few false alarms as that allows
        return max(t for t in grid if recall[t] >= recall[grid[0]]), False

    def enough(rows: np.ndarray) -> bool:
        return int((rows & (y == 1)).sum()) >= min_disclosures

    overall, overall_reached = highest_reaching(fresh)
    by_script, reached = {}, {"overall": overall_reached}
    for script in sorted(set(scripts[fresh].tolist())):
        rows = fresh & (scripts == script)
        if enough(rows):
            by_script[script], reached[script] = highest_reaching(rows)
    by_language: dict[str, float] = {}
    if languages is not None:
        groups = np.asarray([disclosure.language_key(language, script) for language, script in zip(languages, scripts)])
        for group in sorted(set(groups[fresh].tolist())):
            rows = fresh & (groups == group)
            if group.startswith(("und:", "None:")) or not enough(rows):   # no language found / labelled
                continue
            own, _ = highest_reaching(rows)
            if own < by_script.get(group.split(":", 1)[1], overall):
                by_language[group] = own
    choice = ThresholdChoice(overall, by_script, reached, by_language)
    if by_language:   # a script's recall counts its languages' lower thresholds, as run time does
        flag = rule_flag | (cand & (oof >= choice.row_thresholds(scripts, languages)))
        for script in by_script:
            reached[script] = _rates(flag, y, fresh & (scripts == script))[0] >= target_recall
    return choice


def train_disclosure(folds: int = 5, seed: int = 7, target_recall: float = 0.95, C: float = 30.0,
                     v6_negatives: int = 3000, out_dir: Path | None = None) -> dict:
    """Cross-validate the classifier tier (out-of-fold scores), pick its threshold, then train on
    everything and write the model.

    The threshold is set on the training files only (``disclosure_train_*``): the rules were never
    widened on them, so rules + out-of-fold classifier there behave as on wording nobody has seen.
    It is the highest threshold at which that pair still finds ``target_recall`` of those files'
    disclosures (recall first: a missed disclosure can cost a life, a false alarm a duty worker's
    minute). Each script with at least ``MIN_SCRIPT_DISCLOSURES`` disclosures in those files gets its
    own threshold the same way, on its own rows (see ``_Model.threshold_for``); the overall one is
    for the others. The precision and the share of general hospital comments flagged are recorded
    beside them."""
    data = disclosure_training_data(seed, v6_negatives=v6_negatives)
    texts, labels, src, english = data.texts, data.labels, data.sources, data.english
    # Thresholds by language are chosen by the language the detector finds, as the pipeline applies
    # them; figures are reported by the rows' labelled language.
    from .language import LanguageDetector

    detector = LanguageDetector()
    languages = np.asarray([detector.detect(t).language for t in texts])
    labelled = np.asarray([str(language) for language in data.languages])
    y = np.asarray(labels)
    srcs = np.asarray(src)
    rules = [disclosure._check_one(t) for t in texts]
    rule_flag = np.asarray([r.flag for r in rules])
    cleared = [labels[i] == 0 and not rules[i].flag and not rules[i].resolved_evidence
               for i in range(len(texts))]
    oof = np.zeros(len(texts))
    words_point_to_harm = np.zeros(len(texts), dtype=bool)
    for part in T._kfold(len(texts), folds, seed):
        test = set(part.tolist())
        tr = [i for i in range(len(texts)) if i not in test]
        idx, w, b = disclosure.train_model(*_expanded(tr, texts, labels, english, cleared), C=C)
        m = disclosure._Model(idx, w, b, 0.5, "cv")
        for i in part:
            oof[i] = m.score_passages(disclosure._blank(texts[i], disclosure._FIGURATIVE))[0]
            words_point_to_harm[i] = m.words_point_to_harm(oof[i])
    # the tier only looks where it applies at run time, and flags only when the text's own words
    # raise the score above the base score (see _classifier_tier)
    applies = np.asarray([disclosure.tier_applies(t, r) for t, r in zip(texts, rules)])
    cand = applies & words_point_to_harm
    fresh = np.asarray([s.startswith("disclosure_train_") for s in src])
    if not fresh.any():
        fresh = np.ones(len(texts), dtype=bool)
    v6 = srcs == "v6"

    # The final model first: its base score is the floor every threshold meets at run time.
    all_texts, all_labels = _expanded(list(range(len(texts))), texts, labels, english, cleared)
    idx, w, b = disclosure.train_model(all_texts, all_labels, C=C)
    n_translations = sum(1 for e in english if e)
    base_score = float(disclosure.logistic(b))
    scripts = np.asarray([disclosure.script_of(t) for t in texts])
    choice = choose_thresholds(oof, cand, rule_flag, y, fresh, scripts, base_score, target_recall,
                               languages=languages)
    table = []
    for t in THRESHOLD_GRID:
        flag = rule_flag | (cand & (oof >= max(t, base_score)))
        rec, prec = _rates(flag, y, fresh)
        rec_all, prec_all = _rates(flag, y, ~v6)
        table.append({"threshold": round(max(t, base_score), 4), "recall_unseen_wording": round(rec, 4),
                      "precision_unseen_wording": round(prec, 4), "recall_all": round(rec_all, 4),
                      "precision_all": round(prec_all, 4),
                      "general_feedback_flag_rate": round(float(flag[v6].mean()) if v6.any() else 0.0, 4)})
    flag = rule_flag | (cand & (oof >= choice.row_thresholds(scripts, languages)))
    rec, prec = _rates(flag, y, fresh)
    rec_all, prec_all = _rates(flag, y, ~v6)
    groups = np.asarray([disclosure.language_key(language, script) for language, script in zip(labelled, scripts)])
    chosen_row = {"thresholds_by_script": choice.by_script, "threshold_other_scripts": choice.overall,
                  "thresholds_by_language": choice.by_language,
                  "recall_unseen_wording": round(rec, 4), "precision_unseen_wording": round(prec, 4),
                  "recall_all": round(rec_all, 4), "precision_all": round(prec_all, 4),
                  "general_feedback_flag_rate": round(float(flag[v6].mean()) if v6.any() else 0.0, 4),
                  "per_script": {s: dict(zip(("recall", "precision"),
                                             (round(x, 4) for x in _rates(flag, y, fresh & (scripts == s)))))
                                 for s in sorted(set(scripts[fresh & (y == 1)].tolist()))},
                  # by the rows' labelled language and script, where 10+ disclosures (flagged with the
                  # thresholds of the language the detector found, as at run time)
                  "per_language": {g: dict(zip(("recall", "precision"),
                                               (round(x, 4) for x in _rates(flag, y, fresh & (groups == g)))))
                                   for g in sorted(set(groups[fresh & (y == 1)].tolist()))
                                   if int((fresh & (groups == g) & (y == 1)).sum()) >= 10}}
    short = [s for s, ok in choice.reached.items() if not ok]
    if short:
        print(f"disclosure-train: recall {target_recall} on unseen wording is out of reach for "
              f"{', '.join(short)}: {chosen_row['per_script']}", file=sys.stderr)
    out = Path(out_dir) if out_dir else disclosure.MODEL_DIR
    out.mkdir(parents=True, exist_ok=True)
    shipped = w.astype(np.float16).astype(np.float32)
    np.savez_compressed(out / "weights.npz", index=idx, weights=shipped)
    thresholds = {"threshold": round(choice.overall, 4),
                  "thresholds_by_script": {s: round(t, 4) for s, t in choice.by_script.items()},
                  # only ever lower than the script's: used when the pipeline detected that language
                  "thresholds_by_language": {g: round(t, 4) for g, t in choice.by_language.items()}}
    # the algorithm's name and a digest of what it learned and where it flags: retraining changes
    # the version, so annotations made by the old and the new tier stay distinguishable
    digest = hashlib.sha256(idx.tobytes() + shipped.tobytes() + repr(b).encode()
                            + json.dumps(thresholds, sort_keys=True).encode()).hexdigest()[:12]
    meta = {"version": f"disclosure-clf-3@{digest}", "bias": b,
            # every threshold is at least the base score: the tier never flags below it
            **thresholds,
            "target_reached": bool(all(choice.reached.values())),
            "target_reached_by_script": choice.reached,
            "n_buckets": disclosure._N_BUCKETS, "C": C,
            "features": "hashed crc32: char 3-5-grams in ' word ', word unigrams and bigrams; L2-style 1/sqrt(n)",
            "decides_on": "mean of the whole text's score and its best passage's (one or two sentences)",
            "trained_on": {k: int(sum(1 for s in src if s == k)) for k in sorted(set(src))},
            "english_translations_added": n_translations,
            "sentences_of_cleared_non_disclosures_added": len(all_texts) - len(texts) - n_translations,
            "positives": int(y.sum()), "negatives": int((1 - y).sum()), "target_recall": target_recall,
            "base_score": round(base_score, 4),
            "at_threshold": chosen_row, "cv": table}
    (out / "model.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    disclosure._MODEL = None
    return meta


def evaluate_language(path: Path = DEV) -> dict:
    from .language import LanguageDetector

    det = LanguageDetector()
    rows = read_jsonl(path)
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


def evaluate_names(path: Path) -> tuple[dict, list[dict]]:
    """How many of the listed names redaction replaces (each whole; the spaces of a full name aside), and
    how many [NAME]s it puts where no name is. Lines: {"id", "text", "names": [exact substrings, in order],
    "lang"}."""
    import unicodedata

    from .redact import spans_as_written

    per: dict[str, Counter] = defaultdict(Counter)
    mistakes: list[dict] = []
    for row in read_jsonl(path):
        text = unicodedata.normalize("NFC", row["text"])
        group = "en" if row.get("lang") == "en" else "other"
        spans = spans_as_written(text)   # as `redact` finds them (NFKC, hidden characters, dotted letters)
        covered = bytearray(len(text))
        for span in spans:
            covered[span.start:span.end] = b"\x01" * (span.end - span.start)
        named = bytearray(len(text))
        position = 0
        for name in row["names"]:
            name = unicodedata.normalize("NFC", name)
            start = text.find(name, position)
            if start < 0:
                raise ValueError(f"{row.get('id')}: {name!r} is not in the text")
            position = start + len(name)
            named[start:position] = b"\x01" * len(name)
            found = all(covered[i] or text[i].isspace() for i in range(start, position))
            per[group]["names"] += 1
            per[group]["found"] += found
            if not found:
                mistakes.append({"id": row.get("id"), "missed": name})
        wrong = [text[s.start:s.end] for s in spans if s.kind == "NAME" and not any(named[s.start:s.end])]
        per[group]["rows"] += 1
        per[group]["wrong_name_spans"] += len(wrong)
        per[group]["rows_without_names"] += not row["names"]
        per[group]["rows_without_names_given_a_name"] += bool(not row["names"] and wrong)
        mistakes.extend({"id": row.get("id"), "wrong": w} for w in wrong)
    report = {group: {**dict(c), "recall": round(c["found"] / max(1, c["names"]), 3)} for group, c in sorted(per.items())}
    return report, mistakes


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
    t = sub.add_parser("disclosure-train")
    t.add_argument("--folds", type=int, default=5)
    t.add_argument("--target-recall", type=float, default=0.95)
    c = sub.add_parser("language")
    c.add_argument("file", type=Path, nargs="?", default=DEV)
    n = sub.add_parser("names")
    n.add_argument("file", type=Path)
    n.add_argument("-v", action="store_true")
    args = ap.parse_args(argv)
    if args.cmd == "themes-cv":
        report = cross_validate(T.read_jsonl(args.file), args.folds, jobs=args.jobs)
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif args.cmd in ("disclosure", "names"):    # figures, then with -v each mistake
        out, mistakes = (evaluate_disclosure if args.cmd == "disclosure" else evaluate_names)(args.file)
        print(json.dumps(out, indent=1))
        if args.v:
            for m in mistakes:
                print(json.dumps(m, ensure_ascii=False))
    elif args.cmd == "disclosure-train":
        meta = train_disclosure(args.folds, target_recall=args.target_recall)
        print(json.dumps({k: v for k, v in meta.items() if k != "cv"}, indent=1))
    else:
        print(json.dumps(evaluate_language(args.file), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
