"""MAC comparison, and the keys SMS number lookups try (SECRET_KEY, then SECRET_KEY_PREVIOUS)."""
import hashlib
import hmac

import pytest

from service.config import ConfigurationError, Settings
from service.signing import keys_of, same_mac


def mac(key: str) -> str:
    return hmac.new(key.encode(), b"payload", hashlib.sha256).hexdigest()


def test_a_mac_matches_only_itself_and_any_text_is_a_wrong_mac_not_an_error():
    assert same_mac(mac("k"), mac("k"))
    assert not same_mac(mac("k"), mac("other"))
    for forged in ("é", "ٹوکن", "\udcff", "", mac("k")[:-1] + "é"):
        assert not same_mac(mac("k"), forged)


def test_a_lone_key_is_one_key_never_its_characters():
    assert keys_of("abc") == ("abc",)
    assert keys_of(["new", "old"]) == ("new", "old")
    with pytest.raises(ValueError):
        keys_of([])
    with pytest.raises(ValueError):
        keys_of(["new", ""])


def test_previous_keys_come_from_a_comma_separated_variable(tmp_path):
    settings = Settings.from_environ({"VAR_DIR": str(tmp_path), "SECRET_KEY": "current",
                                      "SECRET_KEY_PREVIOUS": " older , current,oldest ,"})
    assert settings.secret_key_previous == ("older", "current", "oldest")
    assert Settings.from_environ({"VAR_DIR": str(tmp_path), "SECRET_KEY": "k"}).secret_key_previous == ()
    with pytest.raises(ValueError, match="empty key"):
        Settings(secret_key="k", secret_key_previous=("old", " "))
    with pytest.raises(ConfigurationError, match="SECRET_KEY_PREVIOUS"):
        Settings.from_environ({"VAR_DIR": str(tmp_path), "SECRET_KEY_PREVIOUS": 5})
