"""Rebuild the shipped theme/sentiment model (service/text/models/default) from service/text/data.

    .venv/bin/python scripts/train_default_model.py [--out DIR]

Training data: the v6 framework TRAINING part (converted; v6 labels mapped to the service taxonomy
with service/text/data/v6_to_service_themes.json, unmapped labels dropped) plus the safeguarding
feedback labelled with service themes and sentiment — the dev set, blind files 1 and 2 and the
disclosure training files (both the original text and its English text). Blind files 3, 4 and 5
are kept out: blind 4 and 5 measure the model on safeguarding feedback it has not seen (README,
"Understanding the free text"). No row is repeated: repeats leak across the threshold-tuning folds and measured worse.
Deterministic: same data and code give the same files (and so the same model hash).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.text import themes as T  # noqa: E402
from service.text.convert import convert_v6  # noqa: E402

DATA = ROOT / "service" / "text" / "data"
# Safeguarding feedback labelled with service themes; blind files 3 to 6 and disclosure_heldout_* stay out.
MSP_FILES = ("dev.jsonl", "disclosure_blind.jsonl", "disclosure_blind2.jsonl",
             "disclosure_train_en.jsonl", "disclosure_train_en2.jsonl",
             "disclosure_train_other.jsonl", "disclosure_train_other2.jsonl",
             "disclosure_train_r3_en_webpaper.jsonl", "disclosure_train_r3_en_smsmeeting.jsonl",
             "disclosure_train_r3_southasian.jsonl", "disclosure_train_r3_pl_ro_ar.jsonl",
             "disclosure_train_r4_bn.jsonl", "disclosure_train_r4_gu.jsonl",
             "disclosure_train_r5_pa.jsonl", "disclosure_train_r5_meetings.jsonl",
             "disclosure_train_r5_bn_gu.jsonl", "disclosure_train_r6_bn.jsonl", "disclosure_train_r6_gu.jsonl",
             "disclosure_train_r6_ar.jsonl", "disclosure_train_r6_meetings.jsonl", "themes_train_r10_short.jsonl")


def build_examples() -> list[T.Example]:
    mapping = json.loads((DATA / "v6_to_service_themes.json").read_text(encoding="utf-8"))
    mapping.pop("_comment", None)
    examples = []
    for item in convert_v6(DATA / "v6framework_train.csv"):
        labels = sorted({t for lbl in item["labels"] for t in mapping.get(lbl, [])})
        examples.append(T.Example(item["text"], tuple(labels), item.get("sentiment")))
    for name in MSP_FILES:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            texts = [row["text_en"]] + ([row["text"]] if row["text"] != row["text_en"] else [])
            for text in texts:
                examples.append(T.Example(text, tuple(row["themes"]), row["sentiment"]))
    return examples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "service" / "text" / "models" / "default")
    args = ap.parse_args()
    examples = build_examples()
    model = T.train(examples, name="msp-default", log=lambda m: print(m, file=sys.stderr))
    model.meta["training_data"] = ("pxtextmining v6framework_train.csv mapped to service themes + "
                                   + ", ".join(MSP_FILES))
    model.save(args.out)
    (args.out / "README.md").write_text(
        "# Shipped theme and sentiment model\n\nBuilt by `scripts/train_default_model.py` from "
        "`service/text/data` (see its README for provenance and licences). Plain JSON and NPZ files; "
        "nothing is downloaded at run time.\n", encoding="utf-8")
    sizes = {p.name: p.stat().st_size for p in args.out.iterdir()}
    print(json.dumps({"out": str(args.out), "version": model.version, "labels": model.labels,
                      "sizes": sizes}, indent=1))


if __name__ == "__main__":
    main()
