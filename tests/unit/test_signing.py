"""Signing keys: sign with SECRET_KEY, accept SECRET_KEY_PREVIOUS too when checking."""
import hashlib
import hmac

import pytest

from service.config import Settings
from service.signing import keys_of, matches_any


def mac(key: str) -> str:
    return hmac.new(key.encode(), b"payload", hashlib.sha256).hexdigest()


def test_a_lone_key_is_one_key_never_its_characters():
    assert keys_of("abc") == ("abc",)
    assert keys_of(["new", "old"]) == ("new", "old")
    with pytest.raises(ValueError):
        keys_of([])
    with pytest.raises(ValueError):
        keys_of(["new", ""])


def test_a_mac_made_under_any_accepted_key_matches_and_no_other():
    assert matches_any(("new", "old"), mac, mac("old"))
    assert matches_any("new", mac, mac("new"))
    assert not matches_any("new", mac, mac("old"))
    assert not matches_any(("new", "old"), mac, mac("o"))   # not one character of a key


def test_previous_keys_come_from_a_comma_separated_variable(tmp_path):
    settings = Settings.from_environ({"VAR_DIR": str(tmp_path), "SECRET_KEY": "current",
                                      "SECRET_KEY_PREVIOUS": " older , current,oldest ,"})
    assert settings.secret_key_previous == ("older", "current", "oldest")
    assert settings.secret_keys == ("current", "older", "oldest")
    assert Settings.from_environ({"VAR_DIR": str(tmp_path), "SECRET_KEY": "k"}).secret_keys == ("k",)
