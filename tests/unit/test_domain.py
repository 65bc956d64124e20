"""Pure domain rules: references, questionnaire validation, versioning, configuration, rate limits, languages."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.config import ConfigurationError, Settings
from service.domain.questionnaire import QuestionnaireRegistry, default_registry
from service.domain.references import ALPHABET, is_reference, new_reference, normalise_reference
from service.i18n import direction, match_accept_language
from service.ratelimit import RateLimiter


def test_references_are_short_and_unambiguous():
    seen = {new_reference() for _ in range(2000)}
    assert len(seen) == 2000
    for reference in seen:
        assert is_reference(reference)
        assert not set(reference[4:].replace("-", "")) & set("01OIL")
    assert set(ALPHABET).isdisjoint("0O1IL")


def test_reference_read_back_as_typed():
    assert normalise_reference("msp 7kq2 9hx4") == "MSP-7KQ2-9HX4"
    assert normalise_reference("7KQ29HX4") == "MSP-7KQ2-9HX4"
    assert normalise_reference("MSP-7KQ2-9HX") is None
    assert normalise_reference("MSP-0KQ2-9HX4") is None  # 0 is never issued


def test_questionnaire_matches_the_guide():
    questionnaire = default_registry().current("msp")
    assert [q.id for q in questionnaire.questions] == [
        "asked_outcomes", "outcomes_met", "listened_to", "in_control", "understood", "feel_safer", "respected", "own_words", "better",
    ]
    assert questionnaire.question("feel_safer").answer_ids == ("a_lot_safer", "a_bit_safer", "no_different", "less_safe")
    assert [q.id for q in questionnaire.free_text] == ["own_words", "better"]


def test_validation_names_each_problem():
    questionnaire = default_registry().current("msp")
    problems = questionnaire.validate_responses({"listened_to": "maybe", "nosuch": "yes"}, {"listened_to": "x", "own_words": "fine"})
    fields = {p.field for p in problems}
    assert fields == {"answers.listened_to", "answers.nosuch", "texts.listened_to"}
    assert "yes, a_bit, no" in next(p.message for p in problems if p.field == "answers.listened_to")
    assert questionnaire.validate_responses({}, {}) == []  # every question may be skipped


def test_new_version_does_not_break_old(tmp_path: Path):
    v1 = json.loads(default_registry().current("msp").model_dump_json())
    v2 = json.loads(json.dumps(v1))
    v2["version"] = 2
    v2["questions"] = [q for q in v2["questions"] if q["id"] != "understood"]
    (tmp_path / "msp-v1.json").write_text(json.dumps(v1))
    (tmp_path / "msp-v2.json").write_text(json.dumps(v2))
    registry = QuestionnaireRegistry.from_directory(tmp_path)
    assert registry.current("msp").version == 2
    assert registry.get("msp", 1).validate_responses({"understood": "yes"}, {}) == []
    assert registry.get("msp", 2).validate_responses({"understood": "yes"}, {}) != []


def test_configuration_errors_name_the_variable(tmp_path: Path):
    with pytest.raises(ConfigurationError, match="PUBLIC_BASE_URL"):
        Settings.from_environ({"PUBLIC_BASE_URL": "not a url", "VAR_DIR": str(tmp_path)})
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        Settings.from_environ({"DATABASE_URL": "mysql://x", "VAR_DIR": str(tmp_path)})
    with pytest.raises(ConfigurationError, match="INTAKE_RATE_LIMIT_PER_MINUTE"):
        Settings.from_environ({"INTAKE_RATE_LIMIT_PER_MINUTE": "lots", "VAR_DIR": str(tmp_path)})
    with pytest.raises(ConfigurationError, match="TWILIO"):
        Settings.from_environ({"TWILIO_ACCOUNT_SID": "AC123", "VAR_DIR": str(tmp_path)})


def test_embedded_defaults_keep_a_generated_secret(tmp_path: Path):
    first = Settings.from_environ({"VAR_DIR": str(tmp_path)})
    second = Settings.from_environ({"VAR_DIR": str(tmp_path)})
    assert first.secret_key == second.secret_key and len(first.secret_key) > 40
    assert first.database_url.startswith("sqlite:///") and str(tmp_path) in first.database_url
    assert not first.twilio_enabled and not first.smtp_enabled


def test_rate_limiter_refills():
    now = [0.0]
    limiter = RateLimiter(per_minute=2, clock=lambda: now[0])
    assert limiter.check("a") == 0 and limiter.check("a") == 0
    wait = limiter.check("a")
    assert 29 < wait <= 30
    assert limiter.check("b") == 0  # per client
    now[0] += 30
    assert limiter.check("a") == 0


def test_an_ipv6_site_counts_against_its_48_too():
    """Many ISPs give a home a /56 or a /48: each of its /64s had a whole limit of its own (a review of this
    session). A /48 may send WIDE_SCALE times one client's limit; another /48 is someone else."""
    from service.ratelimit import WIDE_SCALE

    now = [0.0]
    limiter = RateLimiter(per_minute=2, clock=lambda: now[0])
    allowed = [limiter.check(f"2001:db8:1:{n:x}::1") == 0 for n in range(40)]    # 40 /64s of one /48
    assert sum(allowed) == 2 * WIDE_SCALE and allowed[: 2 * WIDE_SCALE] == [True] * (2 * WIDE_SCALE)
    assert limiter.check("2001:db8:2::1") == 0                                   # the next /48
    assert limiter.check("192.0.2.7") == 0 and limiter.check("::ffff:192.0.2.8") == 0   # IPv4: per address
    refused = limiter.check("2001:db8:1:ff::1")
    assert 0 < refused <= 60 / (2 * WIDE_SCALE) + 1e-9                          # the /48's own refill
    now[0] += 60
    assert limiter.check("2001:db8:1:ff::1") == 0


def test_accept_language_matching():
    assert match_accept_language("ur-PK,ur;q=0.9,en;q=0.5") == "ur"
    assert match_accept_language("de-DE,pl;q=0.8") == "pl"
    assert match_accept_language("fr, de") == "en"
    assert match_accept_language("en;q=0.1, ar;q=0.9") == "ar"
    assert match_accept_language(None) == "en"
    assert direction("ur") == direction("ar") == "rtl" and direction("pl") == "ltr"
