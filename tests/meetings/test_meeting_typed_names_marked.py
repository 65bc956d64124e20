"""The name of the member of staff who logged a meeting ("Logged by", their account name or a token's label)
and the home's name (typed by an admin) show direction controls as marks: an override would reverse them."""
from __future__ import annotations

from sqlalchemy import select

from service.auth.models import StaffUser
from service.auth.permissions import Role
from service.storage.orm import Provider
from tests.meetings.test_meetings_pages import FIRST, meeting_form, meeting_id_from
from tests.support.staff import signed_in

RLO = "\u202e"


def test_logged_by_and_the_home_name_show_direction_controls_as_marks(client, services, homes):
    with services.session_factory.begin() as session:
        session.get(Provider, homes.alder).name = f"Alder {RLO}truoC"
    writer = signed_in(client, services, "writer@example.org", Role.DATA_ENTRY)
    with services.session_factory.begin() as session:
        session.scalars(select(StaffUser).where(StaffUser.email == "writer@example.org")).one().display_name = f"Sam {RLO}eeL"
    meeting_id = meeting_id_from(writer.post("/staff/meetings/new", meeting_form(homes.alder, FIRST)))
    page = signed_in(client, services, "reader@example.org", Role.ENGAGEMENT).get(f"/staff/meetings/{meeting_id}").text
    shown_raw = [page[max(0, i - 40): i + 10] for i in range(len(page)) if page[i] == RLO]
    assert shown_raw == [], shown_raw
