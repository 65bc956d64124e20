"""The free-text pipeline: language → translation → redaction → themes → sentiment → disclosure.

Plain Python (no web or database imports). ``TextPipeline.load()`` once per process, then
``analyse(text)`` per answer. ``analyse`` is a pure function of the text and the loaded models
(plus the translator's answer); the original text is never changed: the result is an annotation
to store beside it, stamped with ``model_version``.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import disclosure as disclosure_mod
from . import redact as redact_mod
from .invisible import without_hidden
from .lookalikes import plain_latin, read_as_latin
from .language import LanguageDetector, script_counts
from .themes import ModelError, ThemeModel
from .translate import HumanQueueTranslator, Translator

log = logging.getLogger(__name__)

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models" / "default"

TRANSLATION_NOT_NEEDED = "not_needed"
TRANSLATION_MACHINE = "machine"
TRANSLATION_QUEUED = "queued"
NO_SENTIMENT = "neutral_mixed"  # what a text with nothing to read for sentiment gets
_SURROGATES = re.compile("[\ud800-\udfff]")


def as_written(text: str) -> str:
    """The text with lone surrogates as U+FFFD, in NFC (no character changes its meaning): what is
    translated and redacted."""
    return unicodedata.normalize("NFC", _SURROGATES.sub("\ufffd", text))


def readable(text: str) -> str:
    """The text as the checks read it: as written, then NFKC, without the format characters nobody
    sees (see TextPipeline.analyse and invisible.py), lookalike letters inside Latin words as Latin, dotted
    Latin letters as plain ones and marks on Latin letters dropped (lookalikes.py)."""
    return plain_latin(read_as_latin(without_hidden(unicodedata.normalize("NFKC", as_written(text)))))


class PipelineError(Exception):
    """The pipeline cannot analyse this input (e.g. it is not a string)."""


@dataclass(frozen=True)
class Disclosure:
    flag: bool
    category: str | None
    evidence: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Analysis:
    language: str
    language_confidence: float
    language_script: str | None
    language_uncertain: bool
    translation: str | None
    translation_status: str  # not_needed | machine | queued
    translation_engine: str | None
    redacted: str
    redacted_translation: str | None
    themes: list[str]
    theme_scores: dict[str, float]
    sentiment: str | None
    disclosure: Disclosure
    model_version: str
    themes_from: str  # "original" | "translation"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["disclosure"] = asdict(self.disclosure)
        return d


def says_something(original: str, translation: str) -> bool:
    """Whether a machine translation is one: not empty, not the words handed back unchanged (a server
    that took them for English does that), and not still mostly in the original's other script. Anything
    else is treated as no translation, so the text waits for a person instead of being taken as read."""
    if not translation or not translation.strip():
        return False
    if readable(translation).casefold().split() == readable(original).casefold().split():
        return False
    counts = script_counts(translation)
    letters = sum(counts.values())
    return letters == 0 or counts.get("latin", 0) / letters >= 0.5


class TextPipeline:
    def __init__(self, theme_model: ThemeModel, detector: LanguageDetector, translator: Translator) -> None:
        self.theme_model = theme_model
        self.detector = detector
        self.translator = translator
        self.model_version = ";".join([
            theme_model.version, disclosure_mod.version(), redact_mod.VERSION, detector.version,
        ])

    @classmethod
    def load(cls, model_dir: Path | None = None, translator: Translator | None = None) -> "TextPipeline":
        """Load the theme/sentiment model (default: the one shipped in the package)."""
        directory = Path(model_dir) if model_dir is not None else DEFAULT_MODEL_DIR
        if not directory.is_dir():
            raise ModelError(f"model directory {directory} does not exist")
        model = ThemeModel.load(directory)
        pipeline = cls(model, LanguageDetector(), translator or HumanQueueTranslator())
        pipeline.analyse("warm up")  # lingua loads its language models lazily
        return pipeline

    def analyse(self, text: str) -> Analysis:
        if not isinstance(text, str):
            raise PipelineError(f"text must be a string, not {type(text).__name__}")
        # A lone surrogate ("\ud800" in JSON) is no character of any language and breaks encoders
        # downstream: U+FFFD in its place. The checks read one spelling per word (NFKC): Bengali "য়" typed
        # as one code point, Arabic presentation forms from a scanned PDF, full-width "ｈｉｔｓ" or "hi​ts" with
        # a zero-width space must read as the words they know; translation and redaction get the text as
        # written ("1½" stays 1½). The stored original is not changed.
        written = as_written(text)
        text = readable(written)
        lang = self.detector.detect(text)
        translation = None
        engine = None
        # English, and text with no letters, need no translation; so does uncertain English (very short
        # texts). A language we do not serve ("und" with letters) does: a person, or a server that can guess.
        if lang.language == "en" or (lang.language == "und" and lang.script is None):
            status = TRANSLATION_NOT_NEEDED
        else:
            try:
                result = self.translator.translate(written, lang.language)
            except Exception as exc:  # noqa: BLE001 - a translator's failure queues the text; the check below still runs
                log.warning("translation failed (%s), queued for a person", type(exc).__name__)  # no text: it may quote words
                result = None
            if result is None or not says_something(written, result.text):
                status = TRANSLATION_QUEUED
            else:
                # as_written: a lone surrogate in a server's answer could never be stored, and the reading would fail for good
                status, translation, engine = TRANSLATION_MACHINE, as_written(result.text), result.engine
        english = translation if translation is not None else text
        if translation is None and lang.language == "und":
            # No letters ("5", "😡"), or a language the model never saw: it could only guess the commonest
            # answer ("positive"). Themes and sentiment wait for a person or a translation.
            labels, sentiment, scores = [], NO_SENTIMENT, {}
        else:
            labels, sentiment, scores = self.theme_model.predict_one(english)
            # A model trained without sentiment (its file had fewer than two kinds) has none to give: the
            # comment gets what a text with nothing to read for sentiment gets, one of the three kinds.
            sentiment = sentiment or NO_SENTIMENT
        # The translation is read as the original is (hidden characters, lookalike letters, full-width forms),
        # whether a machine or a person wrote it: a soft hyphen pasted from a word processor hid "hits".
        disc = disclosure_mod.check(text, (readable(translation),) if translation else (), language=lang.language)
        redacted_translation = redact_mod.redact(translation) if translation else None
        return Analysis(
            language=lang.language,
            language_confidence=lang.confidence,
            language_script=lang.script,
            language_uncertain=lang.uncertain,
            translation=translation,
            translation_status=status,
            translation_engine=engine,
            redacted=redact_mod.shareable(written, redacted_translation, lang.language),
            redacted_translation=redacted_translation,
            themes=labels,
            theme_scores=scores,
            sentiment=sentiment,
            disclosure=Disclosure(disc.flag, disc.category, list(disc.evidence)),
            model_version=self.model_version,
            themes_from="translation" if translation is not None else "original",
        )

    def analyse_many(self, texts: list[str]) -> list[Analysis]:
        return [self.analyse(t) for t in texts]


def check_for_harm_alone(text: str) -> disclosure_mod.DisclosureResult:
    """The disclosure check by itself, for when the rest of the pipeline cannot run (a theme model that will
    not load, a bug in a later step) or is not wanted (an SMS reply, read in the webhook): it needs no theme
    model and no translator. ``by_classifier`` says the flag is the classifier tier's alone."""
    text = readable(text)
    try:
        language = _shared_detector().detect(text).language
    except Exception:  # noqa: BLE001 - the check can run without knowing the language
        language = None
    return disclosure_mod.check(text, (), language=language)


@functools.cache
def warm_up_harm_check() -> None:
    """Load what check_for_harm_alone needs (about half a second) on a background thread, once per process,
    so the first SMS reply a web process checks does not wait for it inside its database transaction."""
    threading.Thread(target=check_for_harm_alone, args=("warm up",), name="harm-check-warm-up", daemon=True).start()


@functools.cache
def _shared_detector() -> LanguageDetector:
    # Building a detector takes about a second; this check runs in requests too (SMS replies).
    return LanguageDetector()


def load_timed(model_dir: Path | None = None) -> tuple[TextPipeline, float]:
    t0 = time.perf_counter()
    p = TextPipeline.load(model_dir)
    return p, time.perf_counter() - t0
