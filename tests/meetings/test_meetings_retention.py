"""What retention leaves of a meeting issue (audit meetings 4): its words are "kept only in their redacted form", so
nothing else may give them back, such as the plain hash of the verbatim words kept on the issue's submission
to answer a resend."""
from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlalchemy import select

from channels.meetings import service
from channels.meetings.rules import IssueIn, LogMeeting, RaisedBy
from service.privacy.retention import apply_retention
from service.storage.orm import FreeText, Submission
from service.storage.types import utcnow
from service.text.redact import COMMON_FIRST_NAMES

TODAY = date(2026, 11, 27)
PAST_BOTH_LIMITS = timedelta(days=31 * 30)


def test_retention_clears_the_hash_of_the_words_it_cuts(services, homes):
    words = "My son Gary takes my pension every week"
    outcome = service.log_meeting(services.uow, LogMeeting(
        provider_id=homes.alder, held_on=date(2026, 10, 1), residents=5, relatives=2, staff=1, created_by="test",
        issues=(IssueIn(words, RaisedBy.RESIDENT),)), today=TODAY)
    submission_id = outcome.issues[0].receipt.submission_id
    with services.session_factory() as session:
        assert session.get(Submission, submission_id).request_fingerprint is not None   # a resend is still told apart
    with services.session_factory.begin() as session:
        assert apply_retention(session, None, utcnow() + PAST_BOTH_LIMITS).texts_redacted == 1
    with services.session_factory() as session:
        kept = session.scalar(select(FreeText.text).where(FreeText.submission_id == submission_id))
        fingerprint = session.get(Submission, submission_id).request_fingerprint
    assert "Gary" not in kept and "[NAME]" in kept
    recovered = [name for name in COMMON_FIRST_NAMES if hashlib.sha256(
        f"resident\n{kept.replace('[NAME]', name.capitalize())}".encode()).hexdigest() == fingerprint]
    assert fingerprint is None and recovered == []
