"""Theme (multi-label) and sentiment models: train, save, load, predict, evaluate.

Model: TF-IDF of word 1-2-grams and character 2-5-grams (within word boundaries), then

* themes: one logistic regression per label (balanced class weights), each with its own decision
  threshold chosen by 5-fold cross-validation on the training data to maximise that label's F1;
* sentiment: an ensemble of a multinomial logistic regression, a linear SVM and a complement naive
  Bayes (scores summed after standardising; the sum is one linear model), three classes
  ``positive``, ``neutral_mixed``, ``negative`` (or the two a training file has: the third is never said;
  with fewer than two, no sentiment is learnt).

A saved model is a directory of plain data, never pickles: ``model.json`` (labels, thresholds,
settings, training counts), ``vocab.json`` (the n-gram vocabularies) and ``weights-*.npz``
(IDF vectors and int8-quantised weight matrices with one float scale per row). Loading rebuilds the
vectorisers from that data, so only numbers and strings are ever read from disk.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import math
import os
import re
import secrets
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

SENTIMENTS = ("positive", "neutral_mixed", "negative")
FORMAT_VERSION = 1
MIN_POSITIVES = 3  # labels with fewer training examples are not modelled (never predicted)
MIN_SENTIMENT_KINDS = 2  # sentiment is learnt from two kinds or three, never from one

WORD_PARAMS = dict(
    analyzer="word",
    ngram_range=(1, 2),
    min_df=2,
    sublinear_tf=True,
    lowercase=True,
    token_pattern=r"(?u)\b\w+\b",
    dtype=np.float32,
)
CHAR_PARAMS = dict(
    analyzer="char_wb",
    ngram_range=(2, 5),
    min_df=3,
    sublinear_tf=True,
    lowercase=True,
    max_features=60000,
    dtype=np.float32,
)


class ModelError(Exception):
    """A model directory is missing, incomplete or not of a format this code understands."""


class TrainingDataError(ValueError):
    """Training or test data is malformed."""


@dataclass(frozen=True)
class Example:
    text: str
    labels: tuple[str, ...] = ()
    sentiment: str | None = None


def read_jsonl(path: Path | str, replaced: list[str] | None = None) -> list[Example]:
    """The examples of a JSON-lines file. A text with a lone surrogate is read with U+FFFD in its place
    and its line ("path:lineno") added to `replaced`, for the caller to say so (see example_from_obj)."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")   # -sig: a byte-order mark from a Windows editor is fine
    except UnicodeDecodeError as exc:
        # Named by line, as a JSON error is: a file saved from Excel or Notepad in a local code page would
        # otherwise stop the command with a traceback and no hint of where or why.
        before = data[:exc.start]
        lineno = before.count(b"\n") + 1
        byte_in_line = exc.start - (before.rfind(b"\n") + 1) + 1
        raise TrainingDataError(f"{path}:{lineno}: not valid UTF-8 (byte {byte_in_line} of the line); "
                                "save the file as UTF-8") from None
    examples = []
    # newline=None reads \n, \r\n and \r line ends alike, as the text-mode file it replaces did.
    for lineno, line in enumerate(io.StringIO(text, newline=None), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TrainingDataError(f"{path}:{lineno}: not JSON ({exc.msg})") from exc
        examples.append(example_from_obj(obj, f"{path}:{lineno}", replaced))
    return examples


LABEL_KEYS = ("labels", "themes")   # "themes" as the project's own labelled files name it
# A "\ud800" escape in JSON reads as half a character, which no file can hold: written into the model it
# stopped `train` after the training, with the model directory half written.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def example_from_obj(obj: object, where: str = "", replaced: list[str] | None = None) -> Example:
    """One example. In a text, lone surrogates become U+FFFD (as `analyse` reads them; `where` is added to
    `replaced`); in a label, whose name the model keeps, one is an error."""
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise TrainingDataError(f"{where}: each line needs a string field 'text'")
    # Every line says what its labels are, [] for none: a misspelt key ("label", "lables") read as "no
    # labels" would silently teach the model that the row has none of them.
    key = next((k for k in LABEL_KEYS if k in obj), None)
    if key is None:
        others = ", ".join(repr(k) for k in obj if k != "text") or "none"
        raise TrainingDataError(f"{where}: each line needs 'labels' (or 'themes'): a list of strings, [] for a "
                                f"row with no label; the line's other fields are {others}")
    labels = obj[key]
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise TrainingDataError(f"{where}: {key!r} must be a list of strings")
    for label in labels:
        if _LONE_SURROGATE.search(label):
            shown = _LONE_SURROGATE.sub(lambda half: f"\\u{ord(half.group()):04x}", label)
            raise TrainingDataError(f"{where}: the label '{shown}' holds a lone surrogate escape (\\ud800 to "
                                    "\\udfff: half of a character, which no file can hold); correct the label")
    sentiment = obj.get("sentiment")
    if sentiment is not None and sentiment not in SENTIMENTS:
        raise TrainingDataError(f"{where}: sentiment must be one of {', '.join(SENTIMENTS)}")
    text = obj["text"]
    if _LONE_SURROGATE.search(text):
        text = _LONE_SURROGATE.sub("\ufffd", text)
        if replaced is not None:
            replaced.append(where)
    return Example(text, tuple(dict.fromkeys(labels)), sentiment)


# --------------------------------------------------------------------------- features


def _fit_vectorizer(params: dict, texts: Sequence[str]):
    """A TfidfVectorizer fitted on `texts`. With `max_features`, the most frequent terms are kept as
    scikit-learn would, but ties at the cut are broken by the term itself: scikit-learn breaks them with
    NumPy's unstable argsort, whose order depends on the CPU, so the same files gave a different model
    (350 of 60,000 character n-grams) on another machine."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    limit = params.get("max_features")
    if not limit:
        return TfidfVectorizer(**params).fit(texts)
    counting = {k: v for k, v in params.items() if k not in ("max_features", "sublinear_tf", "dtype")}
    counter = CountVectorizer(**counting, dtype=np.int64)
    counts = counter.fit_transform(texts)
    terms = counter.get_feature_names_out()                    # alphabetical
    totals = np.asarray(counts.sum(axis=0)).ravel()
    order = np.lexsort((np.arange(len(terms)), -totals))       # most frequent first, then alphabetical
    keep = sorted(terms[i] for i in order[:limit])
    fixed = {k: v for k, v in params.items() if k not in ("max_features", "min_df")}
    return TfidfVectorizer(**fixed, vocabulary={t: i for i, t in enumerate(keep)}).fit(texts)


def _restore_vectorizer(params: dict, terms: list[str], idf: np.ndarray):
    from sklearn.feature_extraction.text import TfidfVectorizer

    params = {k: v for k, v in params.items() if k not in ("min_df", "max_features")}
    vec = TfidfVectorizer(**params, vocabulary={t: i for i, t in enumerate(terms)})
    vec.idf_ = idf.astype(np.float64)
    vec.vocabulary_ = vec.vocabulary
    vec.fixed_vocabulary_ = True
    return vec


_TOKEN = re.compile(r"(?u)\b\w+\b")
_WHITE = re.compile(r"\s\s+")


class Features:
    def __init__(self, word, char):
        self.word = word
        self.char = char
        self._fast = None

    def _prepare_fast(self) -> None:
        # Plain dicts and arrays for the one-text path (sklearn's transform costs ~2 ms a call).
        wv, cv = self.word, self.char
        self._fast = (
            dict(wv.vocabulary_), np.asarray(wv.idf_, dtype=np.float64), tuple(wv.ngram_range),
            dict(cv.vocabulary_), np.asarray(cv.idf_, dtype=np.float64), tuple(cv.ngram_range),
            len(wv.vocabulary_),
        )

    def transform_one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Same numbers as ``transform([text])`` (tested), as (column indices, values)."""
        if self._fast is None:
            self._prepare_fast()
        wvocab, widf, (wmin, wmax), cvocab, cidf, (cmin, cmax), offset = self._fast
        low = text.lower()
        counts: dict[int, int] = {}
        tokens = _TOKEN.findall(low)
        for n in range(wmin, wmax + 1):
            for i in range(len(tokens) - n + 1):
                j = wvocab.get(tokens[i] if n == 1 else " ".join(tokens[i:i + n]))
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
        w_idx, w_val = _tfidf(counts, widf)
        counts = {}
        for word in _WHITE.sub(" ", low).split():
            w = " " + word + " "
            wl = len(w)
            for n in range(cmin, cmax + 1):
                offset_ = 0
                j = cvocab.get(w[0:n])
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
                while offset_ + n < wl:
                    offset_ += 1
                    j = cvocab.get(w[offset_:offset_ + n])
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
                if offset_ == 0:
                    break
        c_idx, c_val = _tfidf(counts, cidf)
        return np.concatenate([w_idx, c_idx + offset]), np.concatenate([w_val, c_val])

    @classmethod
    def fit(cls, texts: Sequence[str]) -> "Features":
        return cls(_fit_vectorizer(WORD_PARAMS, texts), _fit_vectorizer(CHAR_PARAMS, texts))

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return sp.hstack([self.word.transform(texts), self.char.transform(texts)], format="csr")

    @property
    def n_features(self) -> int:
        return len(self.word.vocabulary_) + len(self.char.vocabulary_)


def _tfidf(counts: dict[int, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    idx = np.array(list(counts), dtype=np.int64)
    tf = np.array(list(counts.values()), dtype=np.float64)
    val = (1.0 + np.log(tf)) * idf[idx]
    norm = np.sqrt(np.dot(val, val))
    return idx, (val / norm if norm else val)


# --------------------------------------------------------------------------- learners


def _fit_label(X, y, C: float):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=200, random_state=0)
    clf.fit(X, y)
    return clf.coef_.ravel().astype(np.float32), float(clf.intercept_[0])


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    best_t, best_f = 0.5, -1.0
    for t in np.arange(0.10, 0.91, 0.025):
        pred = p >= t
        tp = float(np.sum(pred & (y == 1)))
        fp = float(np.sum(pred & (y == 0)))
        fn = float(np.sum(~pred & (y == 1)))
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f > best_f + 1e-9:
            best_t, best_f = float(t), f
    return best_t, best_f


# The score of a sentiment the training file had no rows of: far below any real score, so never chosen.
# Finite, so that no sum or softmax over the scores meets inf - inf.
ABSENT_SENTIMENT_SCORE = -1e9


def _fit_sentiment(X, y: np.ndarray, C_lr: float, C_svm: float, nb_weight: float = 1.0):
    """Return (coef [3 x F], intercept [3]) of the LR + linear SVM + complement NB ensemble.

    Each member's class scores are linear in X; they are put on a comparable scale (divided by the
    standard deviation of their training scores, NB scores centred per row) and summed, so the
    ensemble is again one linear model: one weight matrix to store and apply.

    `y` holds indices into SENTIMENTS. With two of the three kinds in it, the model is learnt from those two,
    and the third gets no weights and ABSENT_SENTIMENT_SCORE: it is never predicted.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import ComplementNB
    from sklearn.svm import LinearSVC

    present = np.unique(y)   # the kinds learnt, in the order of each member's classes_
    lr = LogisticRegression(C=C_lr, max_iter=2000, random_state=0)
    lr.fit(X, y)
    svm = LinearSVC(C=C_svm, random_state=0)
    svm.fit(X, y)
    lr_coef, lr_inter = _per_class(lr.coef_, lr.intercept_, len(present))
    svm_coef, svm_inter = _per_class(svm.coef_, svm.intercept_, len(present))
    s_lr = np.asarray(X @ lr_coef.T) + lr_inter
    s_svm = np.asarray(X @ svm_coef.T) + svm_inter
    a = 1.0 / (float(np.std(s_lr)) or 1.0)
    b = 1.0 / (float(np.std(s_svm)) or 1.0)
    coef = a * lr_coef + b * svm_coef
    inter = a * lr_inter + b * svm_inter
    if nb_weight:
        nb = ComplementNB(alpha=0.3)
        nb.fit(X, y)
        flp = nb.feature_log_prob_
        flp = flp - flp.mean(axis=0, keepdims=True)  # centring across classes, as for the scores
        s_nb = np.asarray(X @ flp.T)
        c = nb_weight / (float(np.std(s_nb)) or 1.0)
        coef = coef + c * flp
    full_coef = np.zeros((len(SENTIMENTS), X.shape[1]), dtype=np.float32)
    full_inter = np.full(len(SENTIMENTS), ABSENT_SENTIMENT_SCORE, dtype=np.float32)
    full_coef[present] = coef
    full_inter[present] = inter
    return full_coef, full_inter


def _per_class(coef: np.ndarray, intercept: np.ndarray, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """A member's weights with one row per class. scikit-learn gives a two-class model one row, the score
    of the second class against the first: it becomes the two rows -z/2 and z/2, which choose as it does."""
    if n_classes == 2 and coef.shape[0] == 1:
        return np.vstack([-coef / 2, coef / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
    return coef, intercept


@dataclass
class TrainSettings:
    C_label: float = 4.0
    C_sent_lr: float = 5.0
    C_sent_svm: float = 0.1
    sent_nb_weight: float = 1.0
    folds: int = 5
    seed: int = 13
    min_positives: int = MIN_POSITIVES


# --------------------------------------------------------------------------- the model


@dataclass
class ThemeModel:
    features: Features
    labels: list[str]
    coef: np.ndarray  # [L x F] float32
    intercept: np.ndarray  # [L]
    thresholds: np.ndarray  # [L]
    label_counts: dict[str, int]
    sentiment_coef: np.ndarray | None = None  # [3 x F]
    sentiment_intercept: np.ndarray | None = None
    meta: dict = field(default_factory=dict)

    # ---- prediction

    def scores(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
        X = self.features.transform(list(texts))
        probs = _sigmoid(np.asarray(X @ self.coef.T) + self.intercept) if len(self.labels) else (
            np.zeros((X.shape[0], 0))
        )
        sent = None
        if self.sentiment_coef is not None:
            sent = np.asarray(X @ self.sentiment_coef.T) + self.sentiment_intercept
        return probs, sent

    def predict(self, texts: Sequence[str]) -> list[tuple[list[str], str | None, dict[str, float]]]:
        probs, sent = self.scores(texts)
        out = []
        for i in range(len(texts)):
            row = probs[i]
            chosen = [self.labels[j] for j in np.flatnonzero(row >= self.thresholds)]
            sentiment = SENTIMENTS[int(np.argmax(sent[i]))] if sent is not None else None
            conf = {self.labels[j]: round(float(row[j]), 3) for j in np.flatnonzero(row >= self.thresholds)}
            out.append((chosen, sentiment, conf))
        return out

    def predict_one(self, text: str) -> tuple[list[str], str | None, dict[str, float]]:
        """One text, fast path (no sklearn call): same result as ``predict([text])[0]``."""
        if getattr(self, "_coef_t", None) is None:
            self._coef_t = np.ascontiguousarray(self.coef.T, dtype=np.float64)
            self._sent_t = (np.ascontiguousarray(self.sentiment_coef.T, dtype=np.float64)
                            if self.sentiment_coef is not None else None)
        idx, val = self.features.transform_one(text)
        z = val @ self._coef_t[idx] + self.intercept if len(self.labels) else np.zeros(0)
        probs = _sigmoid(z)
        chosen_idx = np.flatnonzero(probs >= self.thresholds)
        labels = [self.labels[j] for j in chosen_idx]
        conf = {self.labels[j]: round(float(probs[j]), 3) for j in chosen_idx}
        sentiment = None
        if self._sent_t is not None:
            sentiment = SENTIMENTS[int(np.argmax(val @ self._sent_t[idx] + self.sentiment_intercept))]
        return labels, sentiment, conf

    @property
    def training_counts(self) -> dict[str, int]:
        """Rows of the training file with each label it had, learnt or not (`label_counts` has the learnt
        ones only): evaluate reports a label the model could not learn with its real count. Models saved
        before this was recorded have the learnt labels' counts only."""
        return dict(self.meta.get("training_counts") or self.label_counts)

    @property
    def has_sentiment(self) -> bool:
        return self.sentiment_coef is not None

    @property
    def version(self) -> str:
        return f"{self.meta.get('name', 'themes')}@{self.meta.get('fingerprint', 'unsaved')}"

    # ---- persistence

    def save(self, out_dir: Path | str) -> Path:
        """Write the model to `out_dir`, whole or not at all. The files are written into a new directory
        beside it, which is then renamed into its place (the directory there before, if any, is renamed
        aside first and removed after): a failure part way (a full disk, a character that cannot be
        written) leaves a model already there as it was, where the worker may be reading it. Other files
        in `out_dir` (a note) are carried over; a symbolic link is followed, so the directory it points
        to is the one replaced."""
        out = Path(out_dir).resolve()
        if out.exists() and not out.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(out))
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = out.with_name(f".{out.name}.new-{secrets.token_hex(6)}")
        staging.mkdir()
        try:
            self._write_files(staging)
            if out.is_dir():
                _carry_over_other_files(out, staging)
            _swap_in(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.meta["fingerprint"] = fingerprint(out)
        return out

    def _write_files(self, out: Path) -> None:
        word_terms = _terms(self.features.word)
        char_terms = _terms(self.features.char)
        vocab = {"word": word_terms, "char": char_terms}
        (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        qcoef, qscale = _quantise(self.coef)
        np.savez_compressed(
            out / "weights-themes.npz",
            coef_q=qcoef,
            coef_scale=qscale,
            intercept=self.intercept.astype(np.float32),
            thresholds=self.thresholds.astype(np.float32),
        )
        np.savez_compressed(
            out / "weights-idf.npz",
            idf_word=self.features.word.idf_.astype(np.float32),
            idf_char=self.features.char.idf_.astype(np.float32),
        )
        if self.sentiment_coef is not None:
            sq, ss = _quantise(self.sentiment_coef)
            np.savez_compressed(
                out / "weights-sentiment.npz",
                coef_q=sq,
                coef_scale=ss,
                intercept=self.sentiment_intercept.astype(np.float32),
            )
        meta = dict(self.meta)
        meta.update(
            format_version=FORMAT_VERSION,
            labels=self.labels,
            label_counts=self.label_counts,
            has_sentiment=self.sentiment_coef is not None,
            word_params=_jsonable(WORD_PARAMS),
            char_params=_jsonable(CHAR_PARAMS),
        )
        meta.pop("fingerprint", None)
        (out / "model.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, model_dir: Path | str) -> "ThemeModel":
        d = Path(model_dir)
        try:
            meta = json.loads((d / "model.json").read_text(encoding="utf-8"))
            vocab = json.loads((d / "vocab.json").read_text(encoding="utf-8"))
            with np.load(d / "weights-themes.npz", allow_pickle=False) as w:
                coef = _dequantise(w["coef_q"], w["coef_scale"])
                intercept = w["intercept"].astype(np.float32)
                thresholds = w["thresholds"].astype(np.float32)
            with np.load(d / "weights-idf.npz", allow_pickle=False) as w:
                idf_word, idf_char = w["idf_word"], w["idf_char"]
            s_coef = s_int = None
            if meta.get("has_sentiment"):
                with np.load(d / "weights-sentiment.npz", allow_pickle=False) as w:
                    s_coef = _dequantise(w["coef_q"], w["coef_scale"])
                    s_int = w["intercept"].astype(np.float32)
        except FileNotFoundError as exc:
            raise ModelError(f"model directory {d} is incomplete: {exc.filename} is missing") from exc
        except (KeyError, ValueError) as exc:
            raise ModelError(f"model directory {d} is not a valid theme model: {exc}") from exc
        if meta.get("format_version") != FORMAT_VERSION:
            raise ModelError(f"model {d} has format {meta.get('format_version')}, expected {FORMAT_VERSION}")
        try:
            word = _restore_vectorizer(_params(meta["word_params"]), vocab["word"], idf_word)
            char = _restore_vectorizer(_params(meta["char_params"]), vocab["char"], idf_char)
            labels = list(meta["labels"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"model directory {d} is not a valid theme model: {type(exc).__name__} {exc}") from exc
        feats = Features(word, char)
        if coef.shape != (len(labels), feats.n_features):
            raise ModelError(f"model {d}: weight matrix shape {coef.shape} does not match the vocabulary")
        meta["fingerprint"] = fingerprint(d)
        return cls(
            features=feats,
            labels=labels,
            coef=coef,
            intercept=intercept,
            thresholds=thresholds,
            label_counts=dict(meta.get("label_counts", {})),
            sentiment_coef=s_coef,
            sentiment_intercept=s_int,
            meta=meta,
        )


def _carry_over_other_files(old: Path, new: Path) -> None:
    """Copy what is in `old` besides a model's own files into `new`, and `old`'s permissions (the worker
    may read the model as another user)."""
    for entry in old.iterdir():
        if entry.name in MODEL_FILES:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, new / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, new / entry.name, follow_symlinks=False)
    shutil.copymode(old, new)


def _swap_in(new: Path, out: Path) -> None:
    """Rename `new` to `out`; a directory already at `out` is renamed aside first, put back if that fails,
    and removed once `new` is in its place."""
    if not out.exists():
        os.rename(new, out)
        return
    aside = out.with_name(f".{out.name}.old-{secrets.token_hex(6)}")
    os.rename(out, aside)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(aside, out)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _terms(vec) -> list[str]:
    terms = [""] * len(vec.vocabulary_)
    for t, i in vec.vocabulary_.items():
        terms[i] = t
    return terms


def _quantise(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    m = np.asarray(m, dtype=np.float32)
    scale = np.abs(m).max(axis=1) / 127.0 if m.size else np.zeros(m.shape[0], np.float32)
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(m / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def _dequantise(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return q.astype(np.float32) * scale[:, None].astype(np.float32)


def _jsonable(params: dict) -> dict:
    out = {}
    for k, v in params.items():
        if k == "dtype":
            out[k] = "float32"
        elif isinstance(v, tuple):
            out[k] = list(v)
        else:
            out[k] = v
    return out


def _params(p: dict) -> dict:
    p = dict(p)
    p["dtype"] = np.float32
    if "ngram_range" in p:
        p["ngram_range"] = tuple(p["ngram_range"])
    return p


# The files `save` writes: only these identify a model (a note, an editor's backup or .DS_Store beside
# them must not change the version, or `reanalyse` would read every comment again for nothing).
MODEL_FILES = ("model.json", "vocab.json", "weights-idf.npz", "weights-sentiment.npz", "weights-themes.npz")


def fingerprint(model_dir: Path | str) -> str:
    """Short hash of the files of a saved model: identifies the exact model in annotations."""
    h = hashlib.sha256()
    d = Path(model_dir)
    for name in sorted(name for name in MODEL_FILES if (d / name).is_file()):
        h.update(name.encode())
        h.update((d / name).read_bytes())
    return h.hexdigest()[:12]


# --------------------------------------------------------------------------- training


def _kfold(n: int, folds: int, seed: int) -> list[np.ndarray]:
    rng = np.random.RandomState(seed)
    idx = rng.permutation(n)
    return [idx[i::folds] for i in range(folds)]


def train(
    examples: Sequence[Example],
    settings: TrainSettings | None = None,
    name: str = "themes",
    sample_weight: np.ndarray | None = None,
    tune_thresholds: bool = True,
    log=None,
) -> ThemeModel:
    """Train theme and (if the data has sentiment) sentiment models on ``examples``."""
    s = settings or TrainSettings()
    if not examples:
        raise TrainingDataError("no training examples")
    texts = [e.text for e in examples]
    counts = Counter(label for e in examples for label in e.labels)
    # A label is learnt from its examples and the rows without it: it needs some of each.
    labels = sorted(lbl for lbl, c in counts.items() if s.min_positives <= c < len(examples))
    untrained = sorted(set(counts) - set(labels))
    sentiments = {e.sentiment for e in examples if e.sentiment is not None}
    if not labels and len(sentiments) < MIN_SENTIMENT_KINDS:
        raise TrainingDataError(
            f"nothing to learn from {len(examples)} rows: a label needs at least {s.min_positives} rows with it "
            f"and some without it, and sentiment needs rows of at least two kinds ({', '.join(SENTIMENTS)})")
    if untrained and log:
        log(f"not learnt (fewer than {s.min_positives} rows, or on every row): {', '.join(untrained)}")
    try:
        feats = Features.fit(texts)
    except ValueError as exc:   # scikit-learn: "no terms remain" after pruning rare words
        raise TrainingDataError(f"the {len(texts)} texts have too few words in common to learn from; "
                                f"add more rows ({exc})") from exc
    X = feats.transform(texts)
    n = X.shape[0]
    Y = np.zeros((n, len(labels)), dtype=np.int8)
    col = {lbl: j for j, lbl in enumerate(labels)}
    for i, e in enumerate(examples):
        for lbl in e.labels:
            if lbl in col:
                Y[i, col[lbl]] = 1

    coef = np.zeros((len(labels), X.shape[1]), dtype=np.float32)
    intercept = np.zeros(len(labels), dtype=np.float32)
    thresholds = np.full(len(labels), 0.5, dtype=np.float32)
    folds = _kfold(n, s.folds, s.seed) if tune_thresholds else []
    for j, lbl in enumerate(labels):
        y = Y[:, j]
        coef[j], intercept[j] = _fit_label(X, y, s.C_label)
        if tune_thresholds and y.sum() >= s.folds:
            # Out-of-fold probabilities on the training data only, to choose the threshold.
            # (The vocabulary is shared across folds; that leaks no labels.)
            oof = np.zeros(n)
            for k, test_idx in enumerate(folds):
                train_idx = np.setdiff1d(np.arange(n), test_idx)
                if y[train_idx].sum() in (0, len(train_idx)):   # one class only in this part: nothing to fit
                    continue
                w, b = _fit_label(X[train_idx], y[train_idx], s.C_label)
                oof[test_idx] = _sigmoid(X[test_idx] @ w + b)
            thresholds[j], _ = _best_threshold(y, oof)
        if log:
            log(f"label {j + 1}/{len(labels)} {lbl!r}: n={int(y.sum())} threshold={thresholds[j]:.3f}")

    s_coef = s_int = None
    sent_idx = [i for i, e in enumerate(examples) if e.sentiment is not None]
    sent_counts = Counter(examples[i].sentiment for i in sent_idx)
    found = ", ".join(f"{k} {sent_counts[k]}" for k in SENTIMENTS if sent_counts[k]) or "none"
    missing = [k for k in SENTIMENTS if not sent_counts[k]]
    if len(sent_counts) >= MIN_SENTIMENT_KINDS:
        # From the kinds there are: a model that says only "positive" or "negative" still gives every
        # comment one of the three, where no model at all gave none (null).
        ys = np.array([SENTIMENTS.index(examples[i].sentiment) for i in sent_idx])
        s_coef, s_int = _fit_sentiment(X[sent_idx], ys, s.C_sent_lr, s.C_sent_svm, s.sent_nb_weight)
        if log:
            log(f"sentiment: {len(sent_idx)} examples {dict(sent_counts)}")
            if missing:
                log(f"sentiment learnt from {found} rows only: the training file has no {' or '.join(missing)} "
                    f"rows, so the model never says {' or '.join(missing)}")
    elif log:
        log(f"sentiment not learnt: it needs rows of at least two of {', '.join(SENTIMENTS)}; the training "
            f"file has {found}")

    meta = {
        "name": name,
        "n_train": n,
        "n_sentiment_train": len(sent_idx),
        "settings": s.__dict__,
        "untrained_labels": untrained,
        "sentiment_kinds": [k for k in SENTIMENTS if sent_counts[k]] if s_coef is not None else [],
        "training_counts": {k: counts[k] for k in sorted(counts)},
    }
    return ThemeModel(feats, labels, coef, intercept, thresholds, {k: counts[k] for k in labels},
                      s_coef, s_int, meta)


# --------------------------------------------------------------------------- evaluation


def evaluate(model: ThemeModel, examples: Sequence[Example], min_train_count: int = 10) -> dict:
    """Per-label precision/recall/F1/support, micro and macro F1, sentiment accuracy, and the test file's
    labels the model never learnt (it cannot predict them, so they count only as misses)."""
    preds = model.predict([e.text for e in examples])
    report = score_predictions(examples, [p[0] for p in preds], [p[1] for p in preds],
                               model.training_counts, min_train_count)
    report["labels_unknown_to_model"] = labels_unknown_to_model(model, examples)
    return report


def labels_unknown_to_model(model: ThemeModel, examples: Iterable[Example]) -> list[str]:
    """The examples' labels that are not among the model's: a test file in another taxonomy (v6 names
    against a service-theme model) scores 0 without this list saying why."""
    known = set(model.labels)
    return sorted({lbl for e in examples for lbl in e.labels} - known)


def score_predictions(
    examples: Sequence[Example],
    pred_labels: Sequence[Iterable[str]],
    pred_sentiments: Sequence[str | None],
    train_counts: dict[str, int],
    min_train_count: int = 10,
) -> dict:
    """Precision, recall and F1 are None (null in JSON) where they are 0/0: precision of a label never
    predicted, recall of a label not in the test file, F1 (and micro F1) of a label in neither."""
    all_labels = sorted({lbl for e in examples for lbl in e.labels} | set(train_counts))
    tp, fp, fn, support = Counter(), Counter(), Counter(), Counter()
    for e, pred in zip(examples, pred_labels):
        gold, pset = set(e.labels), set(pred)
        for lbl in gold:
            support[lbl] += 1
        for lbl in pset & gold:
            tp[lbl] += 1
        for lbl in pset - gold:
            fp[lbl] += 1
        for lbl in gold - pset:
            fn[lbl] += 1

    def ratio(numerator: int, denominator: int) -> float | None:
        return round(numerator / denominator, 4) if denominator else None

    def prf(t, f_p, f_n):
        # F1 as 2TP / (2TP + FP + FN): the harmonic mean of precision and recall where both exist, and 0
        # where only one does and no prediction was right (a label predicted but not in the test file).
        return ratio(t, t + f_p), ratio(t, t + f_n), ratio(2 * t, 2 * t + f_p + f_n)

    per_label = {}
    for lbl in all_labels:
        p, r, f = prf(tp[lbl], fp[lbl], fn[lbl])
        per_label[lbl] = {
            "precision": p,
            "recall": r,
            "f1": f,
            "support": support[lbl],
            "train_count": int(train_counts.get(lbl, 0)),
        }
    _, _, micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    # A label neither in the test file nor predicted has no F1 (0/0): averaging it in as 0 would measure the
    # test file's make-up, not the model. Such labels are left out and listed.
    undefined = [lbl for lbl in all_labels if tp[lbl] + fp[lbl] + fn[lbl] == 0]
    frequent = [lbl for lbl in all_labels if train_counts.get(lbl, 0) >= min_train_count and lbl not in undefined]
    macro_frequent = round(float(np.mean([per_label[lbl]["f1"] for lbl in frequent])), 4) if frequent else None
    with_support = [lbl for lbl in all_labels if support[lbl] > 0]
    macro_all = round(float(np.mean([per_label[lbl]["f1"] for lbl in with_support])), 4) if with_support else None
    gold_s = [(e.sentiment, ps) for e, ps in zip(examples, pred_sentiments) if e.sentiment is not None]
    sent_acc = None
    if gold_s and all(ps is not None for _, ps in gold_s):
        sent_acc = round(sum(g == ps for g, ps in gold_s) / len(gold_s), 4)
    return {
        "n_examples": len(examples),
        "micro_f1": micro,
        "macro_f1": macro_frequent,
        "macro_f1_labels": f"labels with at least {min_train_count} training examples ({len(frequent)})",
        "labels_not_in_test_nor_predicted": [lbl for lbl in undefined if train_counts.get(lbl, 0) >= min_train_count],
        "macro_f1_all_labels_with_support": macro_all,
        "sentiment_accuracy": sent_acc,
        "sentiment_n": len(gold_s),
        "per_label": per_label,
    }


def ceil_div(a: int, b: int) -> int:
    return math.ceil(a / b)
