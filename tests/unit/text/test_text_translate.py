"""LibreTranslate is tested against a real HTTP server speaking its /translate API (no mocks)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from service.text.translate import (
    FallbackTranslator,
    HumanQueueTranslator,
    LibreTranslateTranslator,
    TranslationError,
    Translator,
    translator_from_settings,
)

DICTIONARY = {("pl", "Dziękuję bardzo"): "Thank you very much"}


class FakeLibreTranslate(BaseHTTPRequestHandler):
    requests: list = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
        FakeLibreTranslate.requests.append(body)
        if self.path != "/translate":
            return self._send(404, {"error": "Not Found"})
        if body.get("api_key") == "wrong":
            return self._send(403, {"error": "Invalid API key"})
        if body["source"] == "gu":
            return self._send(400, {"error": "gu is not supported"})
        if body["source"] == "bn":
            return self._send(500, {"error": f"Cannot translate text: {body['q']}"})   # servers may quote the words
        if body["q"] == "cut off":          # says 200 bytes are coming, sends 20, hangs up
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "200")
            self.end_headers()
            self.wfile.write(b'{"translatedText": "')
            return None
        if body["q"] in SLOW_OR_HUGE:
            return SLOW_OR_HUGE[body["q"]](self)
        if body["q"] in ("busy", "overloaded"):
            return self._send({"busy": 503, "overloaded": 429}[body["q"]], {"error": "Slow down"})
        if body["q"] == "not utf-8":
            data = b'{"translatedText": "\xff\xfe"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return None
        text = DICTIONARY.get((body["source"], body["q"]), f"[{body['source']}→{body['target']}] {body['q']}")
        return self._send(200, {"translatedText": text})

    def _send(self, status, obj):
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _huge_without_length(handler):
    """An answer with no Content-Length that goes on (10 MB, close-delimited) until the client hangs up."""
    handler.send_response(200)
    handler.end_headers()
    handler.wfile.write(b'{"translatedText": "')
    for _ in range(10 * 1024):
        handler.wfile.write(b"x" * 1024)


def _huge_by_its_length(handler):
    """An answer that says it is 100 MB long (and sends a little of it)."""
    handler.send_response(200)
    handler.send_header("Content-Length", str(100 * 1024 * 1024))
    handler.end_headers()
    handler.wfile.write(b'{"translatedText": "')


def _quietly(send):
    def send_until_hung_up(handler):
        try:
            send(handler)
        except (BrokenPipeError, ConnectionResetError):   # the client stopped reading: what it should do
            pass
    return send_until_hung_up


TRICKLED = {"bytes": 0, "of": 0, "done": threading.Event()}   # how far a trickle got before the client hung up


def _trickle_out(handler, data: bytes) -> None:
    """`data` one byte every 0.2 s: never a silence long enough for a socket timeout."""
    TRICKLED.update(bytes=0, of=len(data))
    try:
        for byte in data:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            TRICKLED["bytes"] += 1
            time.sleep(0.2)
    finally:
        TRICKLED["done"].set()


def _trickled_answer(status: int, obj: dict):
    """An answer with this status whose body (a whole, valid one) trickles in."""
    def send(handler):
        data = json.dumps(obj).encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        _trickle_out(handler, data)
    return send


def _trickled_headers(handler):
    """The status line, then the headers a byte every 0.2 s (6 s of them), then a sound answer."""
    data = json.dumps({"translatedText": "it was fine"}).encode("utf-8")
    handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
    _trickle_out(handler, b"X-Padding: " + b"." * 10 + f"\r\nContent-Length: {len(data)}\r\n\r\n".encode())
    handler.wfile.write(data)


SLOW_OR_HUGE = {"trickle": _quietly(_trickled_answer(200, {"translatedText": "it was fine, thank you very much"})), "huge": _quietly(_huge_without_length),
                "huge by its length": _quietly(_huge_by_its_length), "slow headers": _quietly(_trickled_headers),
                "slow error": _quietly(_trickled_answer(400, {"error": "xx is not supported"}))}


@pytest.fixture(scope="module")
def server_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLibreTranslate)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_libretranslate_translates(server_url):
    t = LibreTranslateTranslator(server_url + "/", api_key="k1")
    result = t.translate("Dziękuję bardzo", "pl")
    assert result.text == "Thank you very much"
    assert result.source_language == "pl" and result.engine.startswith("libretranslate:")
    sent = FakeLibreTranslate.requests[-1]
    assert sent == {"q": "Dziękuję bardzo", "source": "pl", "target": "en", "format": "text", "api_key": "k1"}


@pytest.mark.parametrize("url, engine", [
    ("https://gateway-user:s3cret@lt.example.org:8443/gateway/translation-services/libretranslate/v1/tenants/north",
     "libretranslate:lt.example.org:8443"),
    ("http://libretranslate:5000/", "libretranslate:libretranslate:5000"),
    ("https://lt.example.org", "libretranslate:lt.example.org"),
])
def test_the_engine_stored_with_a_translation_names_the_host_only(url, engine):
    """It is stored in a column of 120 characters and shown to staff: no path, and never the URL's password."""
    assert LibreTranslateTranslator(url).engine == engine


def test_unsupported_language_means_queue(server_url):
    assert LibreTranslateTranslator(server_url).translate("સારું", "gu") is None


def test_server_errors_raise_translation_error(server_url):
    with pytest.raises(TranslationError, match="500") as quoted:
        LibreTranslateTranslator(server_url).translate("ভালো", "bn")
    assert "ভালো" not in str(quoted.value)      # the message is logged: the server's text stays out
    with pytest.raises(TranslationError, match="403"):
        LibreTranslateTranslator(server_url, api_key="wrong").translate("x", "pl")


def test_unreachable_server_raises_translation_error():
    with pytest.raises(TranslationError, match="unreachable"):
        LibreTranslateTranslator("http://127.0.0.1:9", timeout=2).translate("x", "pl")


def test_fallback_queues_when_the_server_fails(server_url):
    chain = FallbackTranslator([LibreTranslateTranslator(server_url), HumanQueueTranslator()])
    assert chain.translate("ভালো", "bn") is None
    assert chain.translate("Dziękuję bardzo", "pl") is None           # a server that answered 500 rests a while
    chain = FallbackTranslator([LibreTranslateTranslator(server_url), HumanQueueTranslator()])
    assert chain.translate("Dziękuję bardzo", "pl").text == "Thank you very much"


def test_human_queue_never_translates():
    assert HumanQueueTranslator().translate("anything", "ur") is None
    assert isinstance(HumanQueueTranslator(), Translator)


def test_translator_from_settings(server_url):
    assert translator_from_settings(None).translate("Dziękuję bardzo", "pl") is None
    t = translator_from_settings(server_url)
    assert t.translate("Dziękuję bardzo", "pl").text == "Thank you very much"


def test_bad_url_is_rejected():
    with pytest.raises(ValueError):
        LibreTranslateTranslator("ftp://example")


def test_a_reply_cut_off_or_not_utf8_is_a_translation_error_and_a_dead_server_rests(server_url):
    translator = LibreTranslateTranslator(server_url, timeout=5)
    with pytest.raises(TranslationError, match="not JSON in UTF-8"):
        translator.translate("not utf-8", "pl")
    FakeLibreTranslate.requests.clear()
    with pytest.raises(TranslationError, match="cut off"):
        translator.translate("cut off", "pl")
    assert len(FakeLibreTranslate.requests) == 1
    # Failed a moment ago: the next texts go to the queue at once, without waiting on the server again.
    with pytest.raises(TranslationError, match="not asked"):
        translator.translate("Dziękuję bardzo", "pl")
    assert len(FakeLibreTranslate.requests) == 1
    translator._resting_until = 0.0          # the rest is over
    assert translator.translate("Dziękuję bardzo", "pl").text == "Thank you very much"


def test_an_unknown_language_lets_the_server_guess(server_url):
    FakeLibreTranslate.requests.clear()
    result = LibreTranslateTranslator(server_url).translate("मेरा बेटा", "und")
    assert FakeLibreTranslate.requests[-1]["source"] == "auto" and result.text.startswith("[auto→en]")


def test_fallback_goes_on_past_a_back_end_that_breaks_in_any_way():
    class Broken:
        name = "broken"

        def translate(self, text, source_language):
            raise RuntimeError("a bug in a back end")

    assert FallbackTranslator([Broken(), HumanQueueTranslator()]).translate("Dziękuję", "pl") is None


def test_a_trickling_answer_is_cut_at_the_timeout_and_the_server_rests(server_url):
    translator = LibreTranslateTranslator(server_url, timeout=1)
    with pytest.raises(TranslationError, match="longer than 1 s"):
        translator.translate("trickle", "pl")
    FakeLibreTranslate.requests.clear()
    with pytest.raises(TranslationError, match="not asked"):
        translator.translate("Dziękuję bardzo", "pl")
    assert FakeLibreTranslate.requests == []


@pytest.mark.parametrize("words", ["slow headers", "slow error"])
def test_an_answer_whose_headers_or_error_trickle_in_is_cut_at_the_timeout(server_url, words):
    """The deadline holds wherever the answer dawdles (second review, round 13: trickled headers took 14.5 s
    against 2 s, a trickled error body 23 s)."""
    TRICKLED["done"].clear()
    translator = LibreTranslateTranslator(server_url, timeout=1)
    with pytest.raises(TranslationError, match="longer than 1 s"):
        translator.translate(words, "pl")
    assert TRICKLED["done"].wait(30)
    assert TRICKLED["bytes"] < TRICKLED["of"]   # the client hung up at its deadline, not when the server was done


@pytest.mark.parametrize("words", ["huge", "huge by its length"])
def test_an_answer_far_longer_than_the_text_is_refused_unread(server_url, words):
    translator = LibreTranslateTranslator(server_url, timeout=5)
    with pytest.raises(TranslationError, match=f"more than {translator.MIN_ANSWER_BYTES}|longer than {translator.MIN_ANSWER_BYTES} bytes"):
        translator.translate(words, "pl")
    assert translator.translate("Dziękuję bardzo", "pl").text == "Thank you very much"   # a sound server, not rested


def test_the_answer_may_be_many_times_longer_than_a_long_text(server_url):
    long_text = "ą" * 20_000           # 120,000 bytes as JSON: its echo is beyond 64 KiB but within the bound
    assert LibreTranslateTranslator(server_url).translate(long_text, "pl").text.endswith(long_text)


@pytest.mark.parametrize("words, status", [("busy", 503), ("overloaded", 429)])
def test_an_overloaded_or_failing_server_rests(server_url, words, status):
    translator = LibreTranslateTranslator(server_url)
    with pytest.raises(TranslationError, match=str(status)):
        translator.translate(words, "pl")
    FakeLibreTranslate.requests.clear()
    with pytest.raises(TranslationError, match="not asked"):
        translator.translate("Dziękuję bardzo", "pl")
    assert FakeLibreTranslate.requests == []
