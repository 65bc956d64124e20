"""Residents' and relatives' meetings in care homes: the log of each meeting (attendance, the issues raised,
the actions agreed) and the follow-up of open actions at the home's next meeting.

Each issue raised goes through the one intake path (`service.intake.submit_feedback`, channel `meeting`)
and stays linked to its meeting (`meeting_issues.submission_id`).
"""
