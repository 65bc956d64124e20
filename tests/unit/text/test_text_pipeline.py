import json
import threading
from http.server import ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from service.text.cli import analyse
from service.text.pipeline import Analysis, PipelineError, TextPipeline
from service.text.translate import LibreTranslateTranslator

from test_text_translate import FakeLibreTranslate

POINT3_FIELDS = {"language", "language_confidence", "translation", "translation_status", "redacted", "themes",
                 "sentiment", "disclosure", "model_version"}


def test_english_comment(pipeline):
    text = "My carer Mrs Smith shouts at me and I am scared of her. Call me on 07700 900789."
    a = pipeline.analyse(text)
    assert isinstance(a, Analysis)
    d = a.to_dict()
    assert POINT3_FIELDS <= set(d)
    assert d["language"] == "en" and d["translation"] is None and d["translation_status"] == "not_needed"
    assert "[PHONE]" in d["redacted"] and "07700" not in d["redacted"] and "[NAME]" in d["redacted"]
    assert d["disclosure"]["flag"] is True and d["disclosure"]["category"] == "psychological"
    assert all(e in text for e in d["disclosure"]["evidence"])
    assert d["sentiment"] in {"positive", "neutral_mixed", "negative"}
    json.dumps(d)  # serialisable


def test_the_original_is_never_changed_and_results_are_repeatable(pipeline):
    text = "Thank you, the staff were lovely and listened to what mum wanted."
    a1, a2 = pipeline.analyse(text), pipeline.analyse(text)
    assert a1 == a2
    assert a1.sentiment == "positive"
    assert a1.model_version == pipeline.model_version and "msp-default@" in a1.model_version
    with pytest.raises(Exception):
        a1.themes = []  # frozen


def test_themes_for_clear_comments(pipeline):
    assert "food_drink" in pipeline.analyse("The food was cold and there was never enough to drink.").themes
    assert "medication" in pipeline.analyse("Mum's tablets are always late and the nurse forgot her insulin.").themes
    assert "gratitude" in pipeline.analyse("Thank you so much to everyone, brilliant care.").themes


def test_non_english_without_translator_is_queued_but_still_checked(pipeline):
    a = pipeline.analyse("میرا بیٹا مجھے مارتا ہے")
    assert a.language == "ur" and a.translation is None and a.translation_status == "queued"
    assert a.disclosure.flag and a.disclosure.category == "physical"


def test_the_disclosure_check_is_given_the_detected_language(pipeline, monkeypatch):
    # A Romanian threshold below the Latin script's flags this comment only if the pipeline passes the
    # language it detected on to the check.
    from service.text import disclosure as D

    shipped = D._load_model()
    text = "Fiul meu mă strânge tare de braț. Doare. Nu vreau să-l supăr."
    p = shipped.score_passages(text)[0]
    for romanian, expected in ((p - 0.01, True), (p + 0.01, False)):
        monkeypatch.setattr(D, "_MODEL", D._Model(shipped.index, shipped.weights, shipped.bias, 0.99, "t",
                                                  {"latin": 0.99}, {"ro:latin": romanian}))
        result = pipeline.analyse(text)
        assert result.language == "ro" and result.disclosure.flag is expected


def test_machine_translation_through_libretranslate():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLibreTranslate)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        p = TextPipeline.load(translator=LibreTranslateTranslator(f"http://127.0.0.1:{server.server_address[1]}"))
        a = p.analyse("Dziękuję bardzo")
        assert a.translation == "Thank you very much" and a.translation_status == "machine"
        assert a.themes_from == "translation"
        b = p.analyse("ভালো লাগেনি, কেউ আসেনি")  # the fake server fails for Bengali: queued, not lost
        assert b.translation_status == "queued"
    finally:
        server.shutdown()
        server.server_close()


def test_bad_input_is_a_clear_error(pipeline):
    with pytest.raises(PipelineError):
        pipeline.analyse(None)


def test_analyse_command_reads_and_writes_json_lines():
    stdin = "\n".join([
        json.dumps({"id": "a", "text": "The carers never came and dad was left on the floor all night."}),
        "not json",
        json.dumps({"id": "b", "text": "mujhe meeting ka time nahi bataya"}),
    ]) + "\n"
    r = CliRunner().invoke(analyse, [], input=stdin)
    assert r.exit_code == 1, r.output               # a line failed: said at the end, after every line
    assert "1 of 3 lines could not be analysed" in r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]
    assert [x.get("id") for x in lines] == ["a", None, "b"]
    assert lines[0]["disclosure"]["flag"] and lines[0]["disclosure"]["category"] == "neglect"
    assert "error" in lines[1]
    assert lines[2]["language"] == "ur" and lines[2]["translation_status"] == "queued"
    assert POINT3_FIELDS <= set(lines[2])


def test_a_script_we_do_not_serve_is_never_read_as_english(pipeline):
    for text in ("मेरा बेटा मुझे मारता है और पैसे ले लेता है", "Сын бьёт меня и забирает деньги", "我儿子打我"):
        a = pipeline.analyse(text)
        assert (a.language, a.language_script, a.language_uncertain) == ("und", "other", True), text
        assert a.translation_status == "queued" and a.themes == [] and a.sentiment == "neutral_mixed"


def test_a_person_s_translation_of_an_unknown_script_is_read(pipeline):
    from service.text.translate import TranslationResult

    class Person:
        name = "human"

        def translate(self, text, source_language):
            return TranslationResult("My son hits me and takes my money.", source_language, "human:duty")

    given = TextPipeline(pipeline.theme_model, pipeline.detector, Person())
    a = given.analyse("मेरा बेटा मुझे मारता है और पैसे ले लेता है")
    assert a.translation_status == "machine" and a.disclosure.flag and a.sentiment == "negative"


def test_text_without_letters_gets_no_guessed_sentiment(pipeline):
    for text in ("😡😡", "5", "!!!"):
        a = pipeline.analyse(text)
        assert a.language == "und" and a.themes == [] and a.sentiment == "neutral_mixed", text


def test_a_translator_that_breaks_queues_the_text_and_the_check_still_runs(pipeline):
    class Broken:
        name = "broken"

        def translate(self, text, source_language):
            raise ConnectionResetError("cut off")

    broken = TextPipeline(pipeline.theme_model, pipeline.detector, Broken())
    a = broken.analyse("Mera beta mujhe marta hai aur mere paise le leta hai")
    assert a.translation_status == "queued" and a.disclosure.flag


def test_analyse_command_survives_bytes_that_are_not_utf8():
    stdin = (json.dumps({"id": "a", "text": "ok fine"}) + "\n").encode() + b'{"id":"b","text":"bad \xff\xfe x"}\n' \
        + (json.dumps({"id": "c", "text": "Pielęgniarka była bardzo miła \ud800 i pomocna"}) + "\n").encode()
    r = CliRunner().invoke(analyse, [], input=stdin)
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]
    assert [x.get("id") for x in lines] == ["a", None, "c"] and r.exit_code == 1
    assert "not valid UTF-8" in lines[1]["error"] and "line 2: not valid UTF-8" in r.stderr
    assert "error" not in lines[2] and lines[2]["language"] == "pl"     # a lone surrogate is read as U+FFFD


def test_analyse_command_survives_a_bom_a_lone_surrogate_and_goes_on():
    stdin = "\ufeff" + json.dumps({"id": "first", "text": "All fine, thank you."}) + "\n"
    stdin += '{"id": "s", "text": "\\ud800 hello"}\n' + json.dumps({"id": "last", "text": "ok"}) + "\n"
    r = CliRunner().invoke(analyse, [], input=stdin)
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]
    assert [x.get("id") for x in lines] == ["first", "s", "last"]
    assert "error" not in lines[0]


def test_one_word_is_read_the_same_whatever_code_points_spell_it(pipeline):
    """Full-width letters, decomposed Bengali or Arabic presentation forms read as the words the check knows
    (NFKC); before, "ｈｉｔｓ" slipped past the check and 3 of 225 training texts written in NFD changed flag."""
    import unicodedata

    assert pipeline.analyse("my carer ｈｉｔｓ me every night").disclosure.flag
    assert pipeline.analyse("ring ０７７００ ９００１２３ please").redacted == "ring [PHONE] please"
    # "য়" typed as one code point (U+09DF), as some keyboards do; the training texts have it in two (NFC).
    typed = "আমার ছেলে আমাকে মারে আর টাকা নি\u09dfে যা\u09df"
    stored = unicodedata.normalize("NFC", typed)
    assert typed != stored
    assert pipeline.analyse(typed).disclosure == pipeline.analyse(stored).disclosure


@pytest.mark.parametrize("hidden", ["\u00ad", "\u200b", "\u2060", "\ufeff", "\u200d", "\u202e"])
def test_characters_nobody_sees_hide_no_words_and_no_details(pipeline, hidden):
    """A soft hyphen or zero-width space inside a number, an address or a word (as text copied from Word
    or a PDF carries) split it for every rule, while a reader sees it whole: "07700­900777" reached a
    provider as written, and "ta​kes my mo​ney" was not flagged."""
    plain = pipeline.analyse("He takes my money every week")
    hidden_words = pipeline.analyse(f"He ta{hidden}kes my mo{hidden}ney every week")
    assert plain.disclosure.flag and hidden_words.disclosure == plain.disclosure
    redacted = pipeline.analyse(f"Ring Mary Jones on 07700{hidden}900777 or mary.jones{hidden}@example.org").redacted
    assert redacted == "Ring [NAME] on [PHONE] or [EMAIL]"
    assert pipeline.analyse(f"My name is Jo{hidden}hn Sm{hidden}ith").redacted == "My name is [NAME]"


def test_joiners_inside_words_of_other_scripts_are_kept():
    from service.text.invisible import without_hidden
    from service.text.redact import redact

    assert without_hidden("ਨਾਮ\u200d ਹੈ 😀\u200d😀 می\u200cخواهم") == "ਨਾਮ\u200d ਹੈ 😀\u200d😀 می\u200cخواهم"
    assert without_hidden("ta\u200dkes a\u200cb \u200bx\u00ad") == "takes ab x"
    assert redact("ਫ਼ੋਨ 07700\u200b900123 ਮੇਰਾ\u200d") == "ਫ਼ੋਨ [PHONE] ਮੇਰਾ\u200d"


def test_the_harm_check_warms_up_once_per_process_in_the_background():
    import threading

    from service.text import pipeline as pipeline_module

    pipeline_module.warm_up_harm_check()
    pipeline_module.warm_up_harm_check()
    warming = [t for t in threading.enumerate() if t.name == "harm-check-warm-up"]
    assert len(warming) <= 1
    for thread in warming:
        thread.join(timeout=60)
    assert pipeline_module._shared_detector.cache_info().currsize == 1   # loaded: the first reply need not wait


def test_analyse_writes_utf8_whatever_the_consoles_encoding():
    """A console in Latin-1 or cp1252 (Windows) cannot hold Polish letters; JSON lines are UTF-8 by
    definition, so the bytes go out as UTF-8 instead of the command stopping with a traceback."""
    stdin = "".join(json.dumps({"id": i, "text": text}) + "\n"
                    for i, text in enumerate(["Pielęgniarka była bardzo miła, dziękuję", "مجھے کوئی نہیں سنتا", "fine"]))
    r = CliRunner(charset="latin-1").invoke(analyse, [], input=stdin.encode("utf-8"))
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.stdout_bytes.decode("utf-8").splitlines()]
    assert [x["id"] for x in lines] == [0, 1, 2] and "ę" in lines[0]["redacted"]


def test_analyse_refuses_nan_and_infinity_with_one_error_line_each():
    stdin = ('{"id": NaN, "text": "x"}\n{"id": 1, "text": "ok", "n": -Infinity}\n{"id": 1e999, "text": "ok"}\n'
             + json.dumps({"id": 2, "text": "fine"}) + "\n")
    r = CliRunner().invoke(analyse, [], input=stdin)
    assert r.exit_code == 1
    out = r.stdout_bytes.decode("utf-8")
    lines = [json.loads(x, parse_constant=lambda c: pytest.fail(f"{c} written")) for x in out.splitlines()]
    assert [x.get("error") is not None for x in lines] == [True, True, True, False]
    assert "NaN is not a JSON value" in lines[0]["error"] and lines[3]["id"] == 2


def test_analyse_escapes_the_line_breaks_json_leaves_alone():
    """U+2028, U+2029 and U+0085 may stand unescaped in a JSON string, but str.splitlines() breaks lines at
    them: escaped, one input line is still one output line for every reader."""
    stdin = json.dumps({"id": "a\u2028b", "text": "The carer\u2028was kind\u0085and\u2029on time"}) + "\n" \
        + json.dumps({"id": "c", "text": "ok"}) + "\n"
    r = CliRunner().invoke(analyse, [], input=stdin)
    assert r.exit_code == 0, r.output
    out = r.stdout_bytes.decode("utf-8")
    lines = [json.loads(x) for x in out.splitlines()]
    assert [x["id"] for x in lines] == ["a\u2028b", "c"]
    assert "\u2028" in lines[0]["redacted"] and "\\u2028" in out


def _given(pipeline, translation: str) -> TextPipeline:
    from service.text.translate import TranslationResult

    class Person:
        name = "human"

        def translate(self, text, source_language):
            return TranslationResult(translation, source_language, "human:duty")

    return TextPipeline(pipeline.theme_model, pipeline.detector, Person())


# A translation is read for harm as English is: the classifier tier too (the rules alone miss about a third
# of what it adds on English), so these, flagged when written in English, are flagged as a translation.
@pytest.mark.parametrize("original,translation", [
    ("Он заставляет меня делать в спальне то, чего я не хочу.", "He makes me do things I don't want to do in the bedroom."),
    ("Personne ne change ma protection, j'y reste assise toute la journée.", "Nobody changes my pad and I sit in it all day."),
])
def test_a_translation_is_read_by_the_classifier_as_english_is(pipeline, original, translation):
    assert pipeline.analyse(translation).disclosure.flag                 # as English
    a = _given(pipeline, translation).analyse(original)
    assert a.language == "und" and a.disclosure.flag
    assert all(e.startswith("(translation) ") for e in a.disclosure.evidence)


# Characters nobody sees, full-width letters and lookalike letters in a translation (pasted from a word
# processor, typed on a Ukrainian keyboard) hid "hits" from the check, which read them only in the original.
@pytest.mark.parametrize("translation", ["My son h\u00adits me every day.", "My son h\u200bits me every day.",
                                         "My son ｈｉｔｓ me every day.", "My son h\u0456ts me every day."])
def test_a_translation_is_read_through_hidden_and_lookalike_characters(pipeline, translation):
    a = _given(pipeline, translation).analyse("Мой сын бьёт меня каждый день.")
    assert a.disclosure.flag and a.disclosure.category == "physical"
    assert a.translation == translation            # stored as the person typed it


# A score or a number sent alone (an SMS reply "100%") was read by the classifier tier as psychological abuse.
@pytest.mark.parametrize("text", ["100", "100%", "000", "0000 0000", "£100"])
def test_a_number_alone_is_no_disclosure(pipeline, text):
    assert not pipeline.analyse(text).disclosure.flag


@pytest.mark.parametrize("end", [b"\r", b"\r\n", b"\n"])
def test_analyse_reads_every_kind_of_line_end_as_train_and_evaluate_do(end):
    # Standard input was split at \n only: a file with an old Mac's CR line ends was one line, one error.
    stdin = end.join([b'\xef\xbb\xbf{"id": 1, "text": "good"}', b"", b"not json", b'{"id": 2, "text": "bad"}']) + end
    r = CliRunner().invoke(analyse, [], input=stdin)
    lines = [json.loads(x) for x in r.stdout_bytes.decode("utf-8").splitlines()]
    assert [x.get("id") for x in lines] == [1, None, 2] and r.exit_code == 1
    # An error line says which input line it answers (a line that is not JSON has no id to tell).
    assert lines[1]["line"] == 3 and "line 3: " in r.stderr
    assert "error" not in lines[0] and "error" not in lines[2]


# Words in a language the board does not serve are redacted for sharing as their redacted translation, or
# withheld: the English rules do not know "mio figlio marco" (the provider view and retention already did so;
# the stored reading the staff pages show as "Redacted for sharing" still ran the English rules on them).
def test_words_in_a_language_not_served_are_redacted_as_their_translation(pipeline):
    from service.text.redact import TRANSLATED, WITHHELD_LANGUAGE

    original = "Mio figlio marco viene ogni domenica, sono contenta del servizio."
    alone = pipeline.analyse(original)
    assert alone.language == "und" and alone.redacted == WITHHELD_LANGUAGE
    given = _given(pipeline, "My son Marco comes every Sunday, I am happy with the service.").analyse(original)
    assert given.redacted == TRANSLATED + "My son [NAME] comes every Sunday, I am happy with the service."
