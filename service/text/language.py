"""Offline language detection for the languages the board serves, plus English.

Uses ``lingua-language-detector`` restricted to en, ur, pa, gu, pl, ar, bn, ro (its models ship
inside the wheel, nothing is downloaded). Two things lingua cannot do are handled here:

* Roman Urdu (Urdu written in Latin letters, common in SMS) is read by general detectors as English
  or Romanian. A list of very common Roman Urdu function words decides it: enough hits and the text is
  ``ur`` with ``script="latin"``; a few hits and the result is ``ur`` with low confidence (so a human
  checks it) — never confident English.
* Punjabi in Gurmukhi script is decided by the script alone. Shahmukhi (Punjabi in Perso-Arabic
  script) looks like Urdu; a short list of Punjabi-only words tips it, otherwise confidence stays low.

A language we do not serve is "und" (undetermined: the checks cannot read it), never one we serve: in a
script none of ours uses, or Latin-script languages often spoken in England (French, Portuguese,
Spanish, Lithuanian...), which a detector that knows only English, Polish and Romanian would call one of
those, French even confidently English, so that it was read by the English rules alone and never
translated. "und" sends the words to the translation queue as "not checked for harm".
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

SUPPORTED = ("en", "ur", "pa", "gu", "pl", "ar", "bn", "ro")
UNCERTAIN_BELOW = 0.6  # below this the pipeline should treat the language as "ask a human"

# Latin-script languages we do not serve, among those most spoken in England (census 2021), that lingua
# knows. Every text of four words or more that the English / Polish / Romanian detector reads is asked again
# among these too (lingua's low-accuracy mode, trigrams: 2 MB, 0.4 ms a text; the high-accuracy models took
# 350 MB): where that detector is unsure (UNSURE_OF_SERVED), one of these (with the languages close to it,
# _CLOSE_LANGUAGES) at NOT_SERVED_AT makes it "und"; where it is sure, one of these must reach NOT_SERVED_AT with
# a letter en/pl/ro do not use, or NOT_SERVED_WHEN_SURE without. rules4 asked only texts it was unsure of or with
# such a letter: French without accents was English at 0.96-0.99. Measured on 9,759 of the service's own texts
# (v6, the training files, the dev set) against rules4: 2 more comments of Bengali or Gujarati written in Latin
# letters taken (read as English before: "und" sends them to a person), no English comment; sentences written
# in these languages (tests/unit/text/test_language_not_served.py) 26 of 27 caught, 24 before.
NOT_SERVED_LATIN = ("FRENCH", "SPANISH", "PORTUGUESE", "ITALIAN", "GERMAN", "DUTCH", "LITHUANIAN", "LATVIAN",
                    "TURKISH", "SOMALI", "ALBANIAN", "TAGALOG", "SLOVAK", "CZECH", "HUNGARIAN", "VIETNAMESE")
UNSURE_OF_SERVED = 0.9
NOT_SERVED_AT = 0.9
NOT_SERVED_WHEN_SURE = 0.99   # ... when lingua was sure of en/pl/ro ("loved the singing afternoon" is Tagalog 0.91)
NOT_SERVED_MIN_WORDS = 4
# Languages not served that lingua's low-accuracy mode splits a text between: counted together.
_CLOSE_LANGUAGES = ({"es", "pt"}, {"cs", "sk"}, {"lt", "lv"})


@dataclass(frozen=True)
class LanguageResult:
    language: str  # ISO 639-1 code; "und" when there is no letter to judge (script None) or a language we do not serve
    confidence: float  # 0..1
    script: str | None = None  # "latin", "arabic", "gurmukhi", ... when it matters

    @property
    def uncertain(self) -> bool:
        return self.confidence < UNCERTAIN_BELOW

    def to_dict(self) -> dict:
        return {"language": self.language, "confidence": self.confidence, "script": self.script,
                "uncertain": self.uncertain}


# Common Roman Urdu / Hindustani words written in Latin letters. Chosen to be rare as English
# (or Polish/Romanian) words: "to", "me", "hi" and "main" are left out on purpose.
ROMAN_URDU_STRONG = {
    "mujhe", "mujhay", "mujhko", "nahi", "nahin", "nai", "hai", "hain", "hay", "kya", "kia", "bohat",
    "bahut", "bohot", "boht", "mein", "mai", "ko", "ke", "ki", "ka", "kay", "aur", "lekin", "magar",
    "kuch", "koi", "sab", "kab", "kahan", "kyun", "kyon", "kaise", "kaisay", "abhi", "ab", "phir",
    "dobara", "agar", "tou", "bhi", "wo", "woh", "yeh", "ye", "hum", "tum", "aap", "ap", "unhon",
    "unhone", "maine", "mene", "mera", "meri", "mere", "hamara", "hamari", "tha", "thi", "thay",
    "the_", "raha", "rahi", "rahe", "gaya", "gayi", "gya", "hua", "hui", "huin", "hoon", "hun",
    "karo", "karna", "karta", "karti", "kar", "diya", "diye", "dete", "deta", "liya", "leta", "jata",
    "jati", "jayenge", "jaenge", "sakta", "sakti", "chahiye", "chahta", "chahti", "wala", "wali",
    "walay", "sath", "saath", "pehle", "pehli", "baad", "dafa", "waqt", "bata", "batao", "bataya",
    "samjhaya", "samajh", "theek", "thik", "acha", "achha", "accha", "achi", "bura", "buri", "dar",
    "darr", "khush", "bachon", "bachay", "bacha", "beta", "beti", "ammi", "abbu", "abu", "nani",
    "dadi", "nana", "dada", "bhai", "behan", "shukriya", "meharbani", "kal", "raat", "din",
    "ghar", "kisi", "pata", "kehte", "kehti", "kaha", "bolo", "bola", "hota", "hoti", "sakte",
    "hamesha", "zyada", "ziada", "kam", "jab", "tab", "kaun", "kon", "apni", "apna", "apne",
    # Words a short complaint is made of ("bad tameez staff", "khana bekar", "ganda room"): with these a
    # two-word text is Roman Urdu (or uncertain), never confident English.
    "tameez", "tameezi", "badtameez", "badtameezi", "bekar", "bekaar", "ganda", "gandi", "gande",
    "dawai", "dawa", "dawaai", "zulm", "khana", "khane", "paani", "ghussa", "gussa", "pareshan",
    "pareshani", "takleef", "taklif", "madad", "izzat", "beizzati", "sharam", "naraz", "maar", "marta",
    "marti", "paisa", "paise", "paisay", "dhamki", "zabardasti", "chori", "dukh", "dard", "bimar",
    "bemar", "jhoot", "jhooth", "galat", "ghalat", "saaf", "safai", "kamra", "kamre", "bistar", "thanda",
    "garam", "bhook", "bhooka", "pyaas", "akela", "akeli", "tanha", "darta", "darti", "majboor", "bilkul",
}
ROMAN_URDU_WEAK_EXCLUDE = {"ko", "ke", "ka", "ki", "ab", "ap", "ye", "kar", "din", "dar", "kal",
                           "hay", "nai", "mai", "kam", "the_", "tab", "jab", "bola", "beta",
                           # also a name or a word in the other languages: "Marta", Romanian "marti"
                           # (Tuesday), "garam masala", "paisa", "dard"
                           "marta", "marti", "maar", "garam", "paisa", "dard", "khana"}

# Punjabi words written in Shahmukhi that Urdu does not use (or spells differently).
SHAHMUKHI_MARKERS = {"نوں", "دتا", "دتی", "ایہہ", "اے", "وچ", "کلی", "نئیں", "گل", "اوہ", "اوہناں",
                     "ساڈے", "تہاڈے", "تسیں", "اسیں", "ہوندی", "ہوندا", "آندا", "جاندا", "کیتا",
                     "سی", "چنگی", "چنگا", "وی", "نال", "توں", "دے", "دی", "ہن", "ایتھے", "اوتھے"}
URDU_MARKERS = {"ہے", "ہیں", "کے", "کی", "کا", "میں", "نے", "کو", "سے", "اور", "لیکن", "بہت",
                "تھا", "تھی", "ہوں", "کہ", "نہیں", "یہ", "وہ", "ساتھ", "گیا", "گئی"}
ARABIC_MARKERS = {"في", "من", "على", "إلى", "الى", "أن", "لا", "هذا", "التي", "الذي", "كان",
                  "لكن", "شكرا", "شكراً", "لم", "مع", "عن"}

# English function words that are not also common Polish, Romanian or Roman Urdu words.
ENGLISH_MARKERS = {"the", "and", "was", "were", "is", "my", "of", "for", "that", "with", "they", "she",
                   "he", "we", "you", "have", "had", "this", "are", "very", "but", "not", "it", "at",
                   "be", "been", "would", "could", "what", "when", "there", "their", "our", "your",
                   "about", "from", "her", "his", "me", "an", "did", "didn", "don", "t",
                   "s", "all", "so", "if", "just", "staff", "thank", "thanks", "good", "very"}
# Roman Urdu words that are also common words (Zipf 4.5 or more in wordfreq) of a Latin-script language we do
# not serve, with those languages: German "mein", "wo"; Italian "hai"; Dutch "hun", "kon"; Slovak "bolo"... A text
# whose Roman Urdu rests on such words alone ("Mein Sohn nimmt mein Geld") is asked among the languages we do not
# serve, and is `und` when that language is sure and every one of its Urdu-looking words is common in it. Lingua
# takes much Roman Urdu for Tagalog ("Khat bara likha ho. Tasveer wala acha hai."): "acha" is no Tagalog word,
# so that text stays Urdu.
ROMAN_URDU_SHARED = {
    "abu": {"lt", "lv"}, "acha": {"pt"}, "bata": {"tl"}, "bolo": {"pt", "sk"}, "dada": {"pt"}, "diye": {"tr"},
    "ganda": {"tl"}, "gaya": {"tl"}, "hai": {"it", "vi"}, "hain": {"tr"}, "hun": {"nl"}, "karo": {"lt"},
    "karta": {"lt"}, "karti": {"lv"}, "kay": {"tl"}, "kia": {"vi"}, "kon": {"nl"}, "mein": {"de"}, "mene": {"sk"},
    "naraz": {"sk"}, "tha": {"vi"}, "thay": {"vi"}, "thi": {"vi"}, "tou": {"cs", "sk"}, "wala": {"tl"}, "wo": {"de"},
}
_PL_RO_LETTERS = re.compile("[ąćęłńóśźżĄĆĘŁŃÓŚŹŻăâîșțşţĂÂÎȘȚŞŢ]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Accented Latin letters that English, Polish and Romanian do not use ("ı", "ğ", "ñ", "ã", "é", "ü", "č"...):
# Turkish or Slovak is sure to be Polish to a detector that knows only those three, so such a letter has the
# text asked among the languages we do not serve (an English comment naming "José" is still English there).
_NOT_EN_PL_RO_LETTER = re.compile("[\u00c0-\u024f\u1e00-\u1eff](?<![ąćęłńóśźżăâîșțşţĄĆĘŁŃÓŚŹŻĂÂÎȘȚŞŢ×÷])")

OTHER_SCRIPT = "other"   # letters of a script none of the languages served uses
# Letters of a second script that make a text mixed (a few are a name, a unit or a symbol).
MIXED_SCRIPT_LETTERS = 4

# The scripts of the languages served, and so the letters every check (and redaction) reads; a letter
# of any other block is OTHER_SCRIPT. Latin: basic, accented and extended letters, IPA and the modifier
# letters used as apostrophes, and Latin Extended Additional (Vietnamese, Welsh "ŵ"); not small capitals
# or other stylised letters, which no rule reads.
_SCRIPT_RANGES = (
    ("latin", 0x0041, 0x02FF),
    ("latin", 0x1E00, 0x1EFF),
    ("gurmukhi", 0x0A00, 0x0A7F),
    ("gujarati", 0x0A80, 0x0AFF),
    ("bengali", 0x0980, 0x09FF),
    ("arabic", 0x0600, 0x06FF),
    ("arabic", 0x0750, 0x077F),
    ("arabic", 0x08A0, 0x08FF),
    ("arabic", 0xFB50, 0xFDFF),
    ("arabic", 0xFE70, 0xFEFF),
)


def letter_script(ch: str) -> str | None:
    """The script a character is a letter of ("latin", "arabic", ..., OTHER_SCRIPT), or None if no letter."""
    if not ch.isalpha():
        return None
    cp = ord(ch)
    for script, lo, hi in _SCRIPT_RANGES:
        if lo <= cp <= hi:
            return script
    return OTHER_SCRIPT


def script_counts(text: str) -> dict[str, int]:
    if text.isascii():  # fast path: most comments
        n = sum(ch.isalpha() for ch in text)
        return {"latin": n} if n else {}
    counts: dict[str, int] = {}
    for ch in text:
        script = letter_script(ch)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    return counts


class LanguageDetector:
    """Thread-safe after construction; build once and reuse (building takes about a second)."""

    def __init__(self) -> None:
        from lingua import Language, LanguageDetectorBuilder

        self._codes = {
            Language.ENGLISH: "en", Language.URDU: "ur", Language.PUNJABI: "pa",
            Language.GUJARATI: "gu", Language.POLISH: "pl", Language.ARABIC: "ar",
            Language.BENGALI: "bn", Language.ROMANIAN: "ro",
        }
        self._latin = LanguageDetectorBuilder.from_languages(
            Language.ENGLISH, Language.POLISH, Language.ROMANIAN).build()
        self._not_served = {getattr(Language, name) for name in NOT_SERVED_LATIN}
        self._wide = LanguageDetectorBuilder.from_languages(
            Language.ENGLISH, Language.POLISH, Language.ROMANIAN, *self._not_served).with_low_accuracy_mode().build()
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        try:
            from importlib.metadata import version

            return f"lingua-{version('lingua-language-detector')}+rules5"
        except Exception:  # pragma: no cover - metadata missing in odd installs
            return "lingua+rules5"

    def detect(self, text: str) -> LanguageResult:
        counts = script_counts(text)
        total = sum(counts.values())
        if total == 0:
            return LanguageResult("und", 0.0, None)
        if counts.get(OTHER_SCRIPT, 0) >= MIXED_SCRIPT_LETTERS:
            # Words in a script none of our languages uses beside words in one we serve (an English sentence,
            # then "मेरा बेटा मुझे मारता है"): by the majority it was English, and nobody read those words.
            return LanguageResult("und", 0.0, OTHER_SCRIPT)
        script, n = max(counts.items(), key=lambda kv: kv[1])
        if script == "latin":
            served = [(name, count) for name, count in counts.items() if name != "latin"]
            if served and max(served, key=lambda kv: kv[1])[1] >= MIXED_SCRIPT_LETTERS:
                # Latin letters beside Urdu, Punjabi, Bengali... script: the served script names the language,
                # at the confidence its share gives (so uncertain), and the text is translated or queued.
                script, n = max(served, key=lambda kv: kv[1])
        share = n / total
        if script == "gurmukhi":
            return LanguageResult("pa", round(min(0.99, share), 3), "gurmukhi")
        if script == "gujarati":
            return LanguageResult("gu", round(min(0.99, share), 3), "gujarati")
        if script == "bengali":
            return LanguageResult("bn", round(min(0.99, share), 3), "bengali")
        if script == "arabic":
            return self._arabic_script(text, share)
        if script == OTHER_SCRIPT:
            # Devanagari, Cyrillic, Chinese...: not a language we serve, and certainly not English. Say
            # so, so that it waits for a person instead of being read as English.
            return LanguageResult("und", 0.0, OTHER_SCRIPT)
        return self._latin_script(text, share)

    def _arabic_script(self, text: str, share: float) -> LanguageResult:
        words = _WORD.findall(text)
        pa = sum(w in SHAHMUKHI_MARKERS for w in words)
        ur = sum(w in URDU_MARKERS for w in words)
        ar = sum(w in ARABIC_MARKERS or w.startswith("ال") for w in words)
        urdu_letters = sum(text.count(c) for c in "ٹڈڑںےۓھگچپژک")
        if ar > 0 and urdu_letters == 0 and ar >= max(pa, ur):
            return LanguageResult("ar", round(min(0.99, 0.7 + 0.05 * ar) * share, 3), "arabic")
        if pa > ur:
            conf = 0.55 + 0.05 * min(6, pa - ur)
            return LanguageResult("pa", round(min(0.9, conf) * share, 3), "shahmukhi")
        if ur > 0 or urdu_letters > 0:
            conf = 0.6 + 0.06 * min(6, ur - pa) if ur > pa else 0.5
            return LanguageResult("ur", round(min(0.97, conf) * share, 3), "arabic")
        return LanguageResult("ar", round(0.6 * share, 3), "arabic")

    def _latin_script(self, text: str, share: float) -> LanguageResult:
        words = [w.lower() for w in _WORD.findall(text)]
        strong = 0
        if words:
            strong = sum(w in ROMAN_URDU_STRONG and w not in ROMAN_URDU_WEAK_EXCLUDE for w in words)
            any_hits = sum(w in ROMAN_URDU_STRONG for w in words)
            ratio = any_hits / len(words)
            urdu_words = {w for w in words if w in ROMAN_URDU_STRONG and w not in ROMAN_URDU_WEAK_EXCLUDE}
            if urdu_words and len(words) >= NOT_SERVED_MIN_WORDS and urdu_words <= ROMAN_URDU_SHARED.keys():
                other, sure, _ = self._not_served_language(text)
                if other and sure >= NOT_SERVED_AT and all(other in ROMAN_URDU_SHARED[w] for w in urdu_words):
                    return LanguageResult("und", 0.0, "latin")
            if strong >= 2 and ratio >= 0.2:
                conf = min(0.95, 0.55 + ratio)
                return LanguageResult("ur", round(conf * share, 3), "latin")
            if strong >= 1 and ratio >= 0.1 and not _PL_RO_LETTERS.search(text):
                # Some Roman Urdu: never call it confident English. (Not with Polish or Romanian letters:
                # one Urdu-looking word in such a text is a Polish or Romanian word.)
                return LanguageResult("ur", round(0.4 * share, 3), "latin")
            # Fast path for plain English (most comments): several English-only function words and
            # no Polish/Romanian letters. Saves lingua's ~0.5 ms on the common case.
            # "me" counts once: French and Spanish say it twice ("Elle me pousse et me tire les cheveux")
            en_hits = sum(w in ENGLISH_MARKERS and w != "me" for w in words) + ("me" in words)
            if (en_hits >= 2 and en_hits / len(words) >= 0.2 and strong == 0
                    and not _PL_RO_LETTERS.search(text)):
                return LanguageResult("en", round(min(0.99, 0.75 + en_hits / len(words)) * share, 3), "latin")
        with self._lock:
            values = self._latin.compute_language_confidence_values(text[:400])
        best = values[0]
        code = self._codes[best.language]
        conf = float(best.value)
        if len(words) <= 3 and code != "en" and conf < 0.8 and not _PL_RO_LETTERS.search(text):
            # "No.", "N/a", "Care." – too short to tell; most comments are English, so say English
            # but uncertain (a person can check), rather than queue it for translation.
            return LanguageResult("en", round(0.45 * share, 3), "latin")
        if len(words) <= 2:
            conf = min(conf, 0.7)  # one or two words say little about a language
        if strong >= 1 and code != "ur":
            # Polish or Romanian letters and an Urdu word ("carer Łucja ne mujhe maara"): a Roman Urdu
            # comment naming a Polish carer, or a Polish comment: never sure which.
            conf = min(conf, 0.45)
        if len(words) >= NOT_SERVED_MIN_WORDS:
            # Asked of every text lingua reads: French and Spanish without accents are English or Romanian at 0.95
            # to a detector that knows only en/pl/ro. Unsure of en/pl/ro, a language not served (with those close to
            # it) must reach NOT_SERVED_AT; sure of one, one language not served must reach NOT_SERVED_AT with a
            # letter en/pl/ro do not use ("i want to kíll myself" is German 0.81, Tagalog 0.12: English), else
            # NOT_SERVED_WHEN_SURE.
            best, best_value, together = self._not_served_language(text)
            if conf * share < UNSURE_OF_SERVED:
                sure_enough = together >= NOT_SERVED_AT
            else:
                sure_enough = best is not None and best_value >= (
                    NOT_SERVED_AT if _NOT_EN_PL_RO_LETTER.search(text) else NOT_SERVED_WHEN_SURE)
            if sure_enough:
                return LanguageResult("und", 0.0, "latin")
        return LanguageResult(code, round(conf * share, 3), "latin")

    def _not_served_language(self, text: str) -> tuple[str | None, float, float]:
        """The likeliest language we do not serve (ISO 639-1; None when the likeliest is one we serve), how likely
        it is, and how likely it is with the languages close to it that lingua splits a text between (Spanish
        is Portuguese 0.53 and Spanish 0.47). All of them together was too loose: short English is Dutch 0.8,
        German 0.1..."""
        with self._lock:
            values = self._wide.compute_language_confidence_values(text[:400])
        best = values[0]
        if best.language not in self._not_served:
            return None, 0.0, 0.0
        code = best.language.iso_code_639_1.name.lower()
        family = next((f for f in _CLOSE_LANGUAGES if code in f), {code})
        together = sum(v.value for v in values if v.language.iso_code_639_1.name.lower() in family)
        return code, best.value, together
