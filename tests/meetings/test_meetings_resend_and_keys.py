"""Sending a meeting log again, and whose key a key is (audit papermeet M2, M3, L1).

- A repeat of a log (same form key / Idempotency-Key, same log) stores the issues the meeting is still
  missing: a first attempt that died after the meeting was stored, or an issue that failed, must not lose
  the words (a disclosure in them would never reach the duty team).
- A key is the caller's own: the same key from another token is another meeting; the same key from the
  same caller with a different log is refused (409 problem+json; on the page, an error summary).
- A meeting date more than 5 years back is refused (a typing slip such as 0001-01-01).
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from channels.meetings import service
from channels.meetings.models import Meeting
from channels.meetings import rules
from channels.meetings.rules import IssueIn, LogMeeting, RaisedBy
from service.auth.permissions import Role
from service.storage.orm import Submission
from tests.conftest import make_token
from tests.meetings.conftest import StaffClient
from tests.meetings.test_meetings_pages import FIRST, ISSUE_1, ISSUE_2, anchors_resolve, meeting_form, meeting_id_from

TODAY = date(2026, 11, 27)
DISCLOSURE = "The night carer shouts at Mrs P and pushes her"


def count(services, model, *where) -> int:
    with services.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def fail_issues_with(monkeypatch, words: str) -> None:
    """An issue with these words cannot be stored just now (the database went away for a moment)."""
    real = service._save_issue

    def flaky(uow_factory, meeting_id, provider_id, language, position, issue):
        if issue.text == words:
            raise RuntimeError("database connection lost")
        return real(uow_factory, meeting_id, provider_id, language, position, issue)
    monkeypatch.setattr(service, "_save_issue", flaky)


# L1: dates more than 5 years back

def test_check_dates_has_a_lower_bound():
    assert rules.earliest_meeting_date(date(2026, 11, 27)) == date(2021, 11, 27)
    assert rules.earliest_meeting_date(date(2028, 2, 29)) == date(2023, 2, 28)
    assert rules.check_dates(date(2021, 11, 27), (), date(2026, 11, 27)) == []
    [problem] = rules.check_dates(date(2021, 11, 26), (), date(2026, 11, 27))
    assert problem.field == "held_on" and "in the last 5 years" in problem.message and "27 November 2021" in problem.message
    [problem] = rules.check_dates(date(1, 1, 1), (), date(2026, 11, 27))
    assert problem.field == "held_on"


def test_a_meeting_in_year_one_is_refused_by_the_api(client, services, homes):
    headers = {"Authorization": f"Bearer {make_token(services, Role.DATA_ENTRY)}"}
    body = {"provider_id": homes.alder, "held_on": "0001-01-01", "attendance": {"residents": 1, "relatives": 0, "staff": 1},
            "actions": [{"what": "Mend the lift", "owner": "Manager", "due_on": "0001-02-01"}]}
    refused = client.simulate_post("/api/v1/meetings", json=body, headers=headers)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in refused.json["errors"]] == ["held_on"]
    assert count(services, Meeting) == 0
    recent = dict(body, held_on=(date.today() - timedelta(days=365 * 4)).isoformat(), actions=[])
    assert client.simulate_post("/api/v1/meetings", json=recent, headers=headers).status_code == 201


def test_a_date_more_than_5_years_back_is_refused_on_the_page(services, homes, staff: StaffClient):
    old = (rules.earliest_meeting_date(date.today()) - timedelta(days=1)).strftime("%d/%m/%Y")
    page = staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": old, "chosen": "1"})
    assert page.status_code == 422
    assert 'href="#held_on"' in page.text and "in the last 5 years" in page.text
    anchors_resolve(page.text)
    typo = staff.post("/staff/meetings/new", meeting_form(homes.alder, "27/11/1026", issues=[(ISSUE_1, "resident")]))
    assert typo.status_code == 422 and "in the last 5 years" in typo.text
    assert count(services, Meeting) == 0
