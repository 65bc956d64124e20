"""A provider responder must not get a person's name when the person chose to stay anonymous, whatever
script they wrote in (audit, round 13: a Tamil "my name is" reached the provider once staff had typed a
translation, because redaction finds no names in Tamil)."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from service.auth.permissions import Role
from service.storage.orm import FreeText, TextAnnotation
from service.text.redact import (OTHER_SCRIPT_WORD, TRANSLATED, WITHHELD_LANGUAGE, WITHHELD_SCRIPT, reads_every_letter,
                                 shareable)
from tests.conftest import make_token, shown_to_provider
from tests.integration.test_analysis import analysed_services, loaded_pipelines, worker_for  # noqa: F401 (fixtures)

TAMIL = "என் பெயர் லட்சுமி, அறை 14. ஊழியர்கள் அன்பாக இருந்தார்கள்"   # "My name is Lakshmi, room 14. The staff were kind."


@pytest.mark.parametrize(("text", "readable"), [
    ("My name is Ann, the staff were kind", True), ("Wiśniewska była miła", True), ("میرا نام فرحان ہے", True),
    ("আমার নাম রহিম", True), ("ਮੇਰਾ ਨਾਮ ਜੀਤ ਹੈ", True), ("મારું નામ હેતલ છે", True), ("Ｍｙ ｎａｍｅ", True),
    ("Staff were kind 😊 10/10", True), ("don\u02bct know", True),
    (TAMIL, False), ("Меня зовут Ольга Петрова", False), ("我叫王芳", False), ("The carer Ольга was kind", False),
    ("मेरा नाम सीता है", False),
])
def test_redaction_knows_which_scripts_it_reads(text, readable):
    assert reads_every_letter(text) is readable


def _provider_reads(client, services, admin_headers, text: str, translation: str | None):
    provider = client.simulate_post("/api/v1/providers", json={"name": "Moorside", "type": "care_home"}, headers=admin_headers).json
    created = client.simulate_post("/api/v1/submissions", json={"texts": {"own_words": text}, "consent": "anonymous",
                                                                "provider_id": provider["id"]}).json
    worker_for(services).run_until_idle()
    if translation is not None:
        with services.session_factory() as session:
            text_id = session.scalar(select(FreeText.id).where(FreeText.submission_id == created["id"]))
        saved = client.simulate_post(f"/api/v1/texts/{text_id}/translation", json={"translation": translation}, headers=admin_headers)
        assert saved.status_code == 201, saved.text
    responder = make_token(services, Role.PROVIDER_RESPONDER, (provider["id"],))
    return client.simulate_get(f"/api/v1/submissions/{shown_to_provider(services, created['id'])}",
                               headers={"Authorization": f"Bearer {responder}"})


def test_anonymous_words_redaction_cannot_read_reach_the_provider_as_the_redacted_translation(client, analysed_services, admin_headers):
    seen = _provider_reads(client, analysed_services, admin_headers, TAMIL, "My name is Lakshmi, room 14. The staff were kind.")
    assert seen.status_code == 200, seen.text
    words = seen.json["texts"]["own_words"]
    assert "லட்சுமி" not in words and "Lakshmi" not in words
    assert words.startswith(TRANSLATED) and "[NAME]" in words and "staff were kind" in words


def test_a_few_letters_redaction_cannot_read_are_masked_and_the_rest_shared(client, analysed_services, admin_headers):
    """A text the check read as English with a name of two Chinese letters: the name is masked, the words shared
    (with more letters of another script the text waits for a person, hidden from the provider until then)."""
    seen = _provider_reads(client, analysed_services, admin_headers, "The carer 王芳 was very kind to me", None)
    assert seen.status_code == 200, seen.text
    assert seen.json["texts"]["own_words"] == f"The carer {OTHER_SCRIPT_WORD} was very kind to me"


@pytest.mark.parametrize(("text", "shared"), [
    ("My son t\u043e\u043ek my money", "My son took my money"),     # Cyrillic о's from a switched keyboard
    ("5 \u00b5g of morphine at night", f"5 {OTHER_SCRIPT_WORD} of morphine at night"),
    ("\u0422he carer \u041e\u043b\u044c\u0433\u0430 was kind", WITHHELD_SCRIPT),   # a name of 5 Cyrillic letters
    (TAMIL, WITHHELD_SCRIPT),
])
def test_what_is_shared_of_words_redaction_cannot_read(text, shared):
    assert shareable(text) == shared


def _retained(client, services, admin_headers, text: str, translation: str | None) -> str:
    """What retention keeps of the words after the free-text limit."""
    from datetime import timedelta

    from service.privacy.retention import apply_retention
    from service.storage.types import utcnow

    created = client.simulate_post("/api/v1/submissions", json={"texts": {"own_words": text}, "consent": "none"}).json
    worker_for(services).run_until_idle()
    with services.session_factory() as session:
        text_id = session.scalar(select(FreeText.id).where(FreeText.submission_id == created["id"]))
    if translation is not None:
        saved = client.simulate_post(f"/api/v1/texts/{text_id}/translation", json={"translation": translation}, headers=admin_headers)
        assert saved.status_code == 201, saved.text
    with services.session_factory.begin() as session:
        if not reads_every_letter(text):   # as a reading stored before redact-rules-6 has it: the name left in
            session.execute(update(TextAnnotation).where(TextAnnotation.free_text_id == text_id).values(redacted=text))
        apply_retention(session, services.settings, now=utcnow() + timedelta(days=3650))
    with services.session_factory() as session:
        return session.get(FreeText, text_id).text


def test_retention_keeps_words_redaction_cannot_read_only_as_their_redacted_translation(client, analysed_services, admin_headers):
    kept = _retained(client, analysed_services, admin_headers, TAMIL, "My name is Lakshmi, room 14. The staff were kind.")
    assert "லட்சுமி" not in kept and "Lakshmi" not in kept and kept.startswith(TRANSLATED)


def test_retention_keeps_nothing_of_words_redaction_cannot_read_and_nobody_translated(client, analysed_services, admin_headers):
    assert _retained(client, analysed_services, admin_headers, "Меня зовут Ольга Петрова", None) == WITHHELD_SCRIPT


def test_retention_still_keeps_redacted_words_it_can_read(client, analysed_services, admin_headers):
    kept = _retained(client, analysed_services, admin_headers, "My name is Ann Smith and the staff were kind", None)
    assert "Ann" not in kept and "staff were kind" in kept


# Words in a language the board does not serve, in Latin letters ("und"; audit translq, finding 4): the rules look
# for names the English, Polish and Romanian way and miss "mio figlio marco"; the redaction of the translation finds it.
NOT_SERVED = [
    ("Mio figlio marco viene ogni domenica, sono contenta del servizio.",
     "My son Marco comes every Sunday, I am happy with the service.", "marco"),
    ("Ma fille amélie vient me voir chaque dimanche, je suis très contente.",
     "My daughter Amélie comes to see me every Sunday, I am very happy.", "amélie"),
    ("Mano dukra ieva atvažiuoja kiekvieną sekmadienį, esu patenkinta.",
     "My daughter Ieva comes every Sunday, I am satisfied.", "ieva"),
]


@pytest.mark.parametrize(("original", "english", "name"), NOT_SERVED)
def test_anonymous_words_in_a_latin_language_not_served_reach_the_provider_without_the_name(
        client, analysed_services, admin_headers, original, english, name):
    provider_id = client.simulate_post("/api/v1/providers", json={"name": "Moorside", "type": "care_home"},
                                       headers=admin_headers).json["id"]
    created = client.simulate_post("/api/v1/submissions", json={"texts": {"own_words": original}, "consent": "anonymous",
                                                                "provider_id": provider_id}).json
    worker_for(analysed_services).run_until_idle()
    item = client.simulate_get("/api/v1/translations", headers=admin_headers).json["items"][0]
    assert item["detected_language"] == "und"
    saved = client.simulate_post(f"/api/v1/texts/{item['free_text_id']}/translation", headers=admin_headers,
                                 json={"translation": english})
    assert saved.status_code == 201 and saved.json["disclosure"] is False
    responder = {"Authorization": f"Bearer {make_token(analysed_services, Role.PROVIDER_RESPONDER, (provider_id,))}"}
    one = client.simulate_get(f"/api/v1/submissions/{shown_to_provider(analysed_services, created['id'])}", headers=responder)
    listed = client.simulate_get("/api/v1/submissions", headers=responder).json["items"]
    assert one.status_code == 200 and [i["texts"] for i in listed] == [one.json["texts"]]
    words = one.json["texts"]["own_words"]
    assert name not in words.lower() and words.startswith(TRANSLATED) and "[NAME]" in words, words


@pytest.mark.parametrize(("original", "english", "name"), NOT_SERVED[:2])
def test_retention_keeps_words_in_a_language_not_served_only_as_their_redacted_translation(
        client, analysed_services, admin_headers, original, english, name):
    kept = _retained(client, analysed_services, admin_headers, original, english)
    assert name not in kept.lower() and kept.startswith(TRANSLATED) and "[NAME]" in kept, kept
    assert _retained(client, analysed_services, admin_headers, original, None) == WITHHELD_LANGUAGE


def test_anonymous_feedback_reaches_the_provider_without_what_singles_a_resident_out(client, analysed_services, admin_headers):
    """In a small home the one resident who uses BSL, or who wrote at 14:07, is known: for a person who chose
    to stay anonymous the provider gets the day only and no communication needs (audit, round 13)."""
    provider = client.simulate_post("/api/v1/providers", json={"name": "Moorside", "type": "care_home"}, headers=admin_headers).json
    created = client.simulate_post("/api/v1/submissions", json={
        "texts": {"own_words": "The staff were kind"}, "consent": "anonymous", "provider_id": provider["id"],
        "communication_needs": ["bsl"], "communication_needs_other": "I lip-read, please face me"}).json
    worker_for(analysed_services).run_until_idle()
    responder = make_token(analysed_services, Role.PROVIDER_RESPONDER, (provider["id"],))
    seen = client.simulate_get(f"/api/v1/submissions/{shown_to_provider(analysed_services, created['id'])}",
                               headers={"Authorization": f"Bearer {responder}"}).json
    staff = client.simulate_get(f"/api/v1/submissions/{created['id']}", headers=admin_headers).json
    assert seen["communication_needs"] == [] and seen["communication_needs_other"] is None
    assert seen["received_at"][:10] == staff["received_at"][:10] and "T00:00:00" in seen["received_at"]
    assert staff["communication_needs"] == ["bsl", "other"]      # words in the "other" box count as "other"
    # Nor the time of day by another way: the real id is a UUIDv7 (its first 48 bits are the time of intake),
    # and the reference is on the person's own confirmation.
    assert seen["id"] != created["id"] and seen["reference"] is None and staff["reference"]
    assert not seen["id"].replace("-", "").startswith(created["id"].replace("-", "")[:8])


def _three_anonymous_items(client, services, admin_headers):
    provider = client.simulate_post("/api/v1/providers", json={"name": "Moorside", "type": "care_home"}, headers=admin_headers).json
    ids = [client.simulate_post("/api/v1/submissions", json={"texts": {"own_words": f"The staff were kind ({i})"},
                                                             "consent": "anonymous", "provider_id": provider["id"]}).json["id"]
           for i in range(3)]
    worker_for(services).run_until_idle()
    responder = make_token(services, Role.PROVIDER_RESPONDER, (provider["id"],))
    return ids, {"Authorization": f"Bearer {responder}"}


def test_a_provider_pages_with_a_cursor_that_does_not_tell_the_time(client, analysed_services, admin_headers):
    import base64
    from datetime import datetime

    ids, responder = _three_anonymous_items(client, analysed_services, admin_headers)
    first = client.simulate_get("/api/v1/submissions", params={"limit": 2}, headers=responder).json
    cursor = first["next_cursor"]
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    with pytest.raises((UnicodeDecodeError, ValueError)):     # not "2026-11-28T14:07:31.123+00:00|<id>" in the clear
        datetime.fromisoformat(raw.decode().partition("|")[0])
    assert not any(real.encode() in raw for real in ids)
    rest = client.simulate_get("/api/v1/submissions", params={"limit": 2, "cursor": cursor}, headers=responder).json
    seen = [item["id"] for item in first["items"] + rest["items"]]
    assert sorted(seen) == sorted(shown_to_provider(analysed_services, real) for real in ids)
    # A staff cursor (the time in the clear) is no cursor for a provider, and the other way round.
    staff_page = client.simulate_get("/api/v1/submissions", params={"limit": 1}, headers=admin_headers).json
    assert client.simulate_get("/api/v1/submissions", params={"cursor": staff_page["next_cursor"]}, headers=responder).status_code == 400
    assert client.simulate_get("/api/v1/submissions", params={"cursor": cursor}, headers=admin_headers).status_code == 400


def test_a_providers_time_filters_count_in_whole_days(client, analysed_services, admin_headers):
    """Halving a window of minutes would find the minute an item came, whatever the id and date say."""
    ids, responder = _three_anonymous_items(client, analysed_services, admin_headers)
    staff = client.simulate_get(f"/api/v1/submissions/{ids[0]}", headers=admin_headers).json
    just_after = staff["received_at"].replace("Z", "+00:00")
    from datetime import datetime, timedelta

    after = (datetime.fromisoformat(just_after) + timedelta(microseconds=1)).isoformat()
    for_staff = client.simulate_get("/api/v1/submissions", params={"received_from": after}, headers=admin_headers).json
    assert ids[0] not in {item["id"] for item in for_staff["items"]}
    for_provider = client.simulate_get("/api/v1/submissions", params={"received_from": after}, headers=responder).json
    assert shown_to_provider(analysed_services, ids[0]) in {item["id"] for item in for_provider["items"]}


def test_a_providers_list_is_in_order_of_day_then_reference_not_of_time(client, analysed_services, admin_headers):
    """Second review: in order of time, an anonymous item listed between two named ones (which show their
    time) was placed between those times."""
    provider = client.simulate_post("/api/v1/providers", json={"name": "Moorside", "type": "care_home"}, headers=admin_headers).json
    created = [client.simulate_post("/api/v1/submissions", json={
        "texts": {"own_words": f"The staff were kind ({i})"}, "consent": "named" if i % 2 else "anonymous",
        "provider_id": provider["id"]}).json for i in range(8)]
    worker_for(analysed_services).run_until_idle()
    responder = {"Authorization": f"Bearer {make_token(analysed_services, Role.PROVIDER_RESPONDER, (provider['id'],))}"}
    shown = []
    cursor = None
    while True:                                   # three items a page: the order holds across pages too
        page = client.simulate_get("/api/v1/submissions", params={"limit": 3, **({"cursor": cursor} if cursor else {})},
                                   headers=responder).json
        shown += [item["id"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    day = {c["id"]: client.simulate_get(f"/api/v1/submissions/{c['id']}", headers=admin_headers).json["received_at"][:10]
           for c in created}                     # (the same day, unless the test runs over midnight UTC)
    by_reference = sorted(created, key=lambda c: (day[c["id"]], c["reference"]), reverse=True)
    assert shown == [shown_to_provider(analysed_services, c["id"]) for c in by_reference]


def test_a_providers_cursor_is_for_the_providers_it_was_given_for(client, analysed_services, admin_headers):
    ids, responder = _three_anonymous_items(client, analysed_services, admin_headers)
    cursor = client.simulate_get("/api/v1/submissions", params={"limit": 1}, headers=responder).json["next_cursor"]
    other = client.simulate_post("/api/v1/providers", json={"name": "Elm Lodge", "type": "care_home"}, headers=admin_headers).json
    elsewhere = {"Authorization": f"Bearer {make_token(analysed_services, Role.PROVIDER_RESPONDER, (other['id'],))}"}
    assert client.simulate_get("/api/v1/submissions", params={"cursor": cursor}, headers=elsewhere).status_code == 400
    provider_id = client.simulate_get("/api/v1/providers", headers=responder).json["items"][0]["id"]
    colleague = {"Authorization": f"Bearer {make_token(analysed_services, Role.PROVIDER_RESPONDER, (provider_id,))}"}
    assert len(client.simulate_get("/api/v1/submissions", params={"cursor": cursor}, headers=colleague).json["items"]) == 2


def test_a_providers_time_filter_at_the_end_of_time_is_no_error(client, analysed_services, admin_headers):
    ids, responder = _three_anonymous_items(client, analysed_services, admin_headers)
    listed = client.simulate_get("/api/v1/submissions", params={"received_to": "9999-12-31T12:00:00Z"}, headers=responder)
    assert listed.status_code == 200 and len(listed.json["items"]) == 3


def test_a_providers_ids_still_work_after_the_secret_key_is_rotated(client, analysed_services, admin_headers):
    from service.api import provider_view

    old_key, new_key = "the old key", "the new key"
    real = "01938b6e-7c1a-7d2e-9f00-123456789abc"
    shown = provider_view.shown_id(real, old_key)
    assert provider_view.shown_id(real, old_key) == shown != provider_view.shown_id(real, new_key)
    assert real in provider_view.real_ids(shown, (new_key, old_key))
    assert provider_view.real_ids("not an id", (new_key,)) == []
    assert provider_view.open_cursor(provider_view.seal_cursor("x|y", old_key), (new_key, old_key)) == "x|y"
    assert provider_view.open_cursor(provider_view.seal_cursor("x|y", old_key), (new_key,)) is None


def _statements_to_list(client, services, headers) -> tuple[int, int]:
    """How many SQL statements a provider's list of submissions takes, and how many items it shows."""
    from sqlalchemy import event

    engine = services.session_factory.kw["bind"]
    count = 0

    def counted(*_):
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", counted)
    try:
        listed = client.simulate_get("/api/v1/submissions?limit=100", headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    assert listed.status_code == 200, listed.text
    return count, len(listed.json["items"])


def test_a_providers_list_reads_translations_once_a_page_not_once_an_item(client, analysed_services, admin_headers):
    provider = client.simulate_post("/api/v1/providers", json={"name": "Moorside", "type": "care_home"}, headers=admin_headers).json
    responder = {"Authorization": f"Bearer {make_token(analysed_services, Role.PROVIDER_RESPONDER, (provider['id'],))}"}

    def send(n):
        for i in range(n):
            client.simulate_post("/api/v1/submissions", json={"texts": {"own_words": f"The staff were kind, visit {i}"},
                                                              "consent": "anonymous", "provider_id": provider["id"]})
        worker_for(analysed_services).run_until_idle()

    send(2)
    few, shown = _statements_to_list(client, analysed_services, responder)
    assert shown == 2
    send(8)
    many, shown = _statements_to_list(client, analysed_services, responder)
    assert shown == 10
    assert many <= few, f"{few} statements for 2 items, {many} for 10"
