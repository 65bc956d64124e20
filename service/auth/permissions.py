"""Permissions are declared by every route; roles are sets of permissions.

Each resource class carries `permissions = {"GET": ..., "POST": ...}`; the auth middleware refuses any
method a resource does not declare (fail closed), and a test lists every route of the app and fails
on any route without a declaration.
"""
from __future__ import annotations

import enum


class Permission(str, enum.Enum):
    PUBLIC = "public"                        # anyone, no sign-in (rate-limited where it writes)
    SUBMISSIONS_READ = "submissions:read"    # a single person's feedback, with their words
    SUBMISSIONS_CREATE_ASSISTED = "submissions:create_assisted"  # intake on someone's behalf (paper, meeting, assisted)
    PROVIDERS_READ = "providers:read"
    PROVIDERS_WRITE = "providers:write"
    OUTBOX_READ = "outbox:read"
    SMS_INVITE = "sms:invite"
    ADMIN = "admin"


class Role(str, enum.Enum):
    ADMIN = "admin"
    DUTY_TEAM = "duty_team"
    ENGAGEMENT = "engagement"
    BOARD = "board"
    PROVIDER_RESPONDER = "provider_responder"
    DATA_ENTRY = "data_entry"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.DUTY_TEAM: frozenset({Permission.SUBMISSIONS_READ, Permission.PROVIDERS_READ, Permission.OUTBOX_READ}),
    Role.ENGAGEMENT: frozenset({Permission.SUBMISSIONS_READ, Permission.PROVIDERS_READ, Permission.PROVIDERS_WRITE, Permission.SMS_INVITE}),
    # The board sees aggregates only, never a single person's text.
    Role.BOARD: frozenset({Permission.PROVIDERS_READ}),
    Role.PROVIDER_RESPONDER: frozenset({Permission.PROVIDERS_READ}),
    Role.DATA_ENTRY: frozenset({Permission.SUBMISSIONS_CREATE_ASSISTED, Permission.PROVIDERS_READ}),
}


def role_allows(role: Role, permission: Permission) -> bool:
    return permission is Permission.PUBLIC or permission in ROLE_PERMISSIONS.get(role, frozenset())
