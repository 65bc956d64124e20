"""Routes of the meetings channel. The app factory calls `install(app, services)` like the other channels'."""
from __future__ import annotations

import falcon

import channels.meetings.models  # noqa: F401  (registers the tables on the shared metadata)
from channels.meetings import api, pages

MEETINGS_PATH = "/staff/meetings"


def install(app: falcon.App, services) -> None:
    app.add_route(MEETINGS_PATH, pages.MeetingsPage(services))
    app.add_route(f"{MEETINGS_PATH}/new", pages.NewMeetingPage(services))
    app.add_route(MEETINGS_PATH + "/{meeting_id:int}", pages.MeetingPage(services))
    app.add_route(MEETINGS_PATH + "/{meeting_id:int}/issues", pages.MeetingIssuesPage(services))
    app.add_route(api.MEETINGS_API, api.Meetings(services))
    app.add_route(api.MEETINGS_API + "/open-actions", api.OpenActions(services))
    app.add_route(api.MEETINGS_API + "/{meeting_id:int}", api.MeetingItem(services))
    app.add_route(api.MEETINGS_API + "/{meeting_id:int}/issues", api.MeetingIssues(services))
