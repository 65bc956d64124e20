"""Permissions are declared by every route; roles are sets of permissions.

Each resource class carries `permissions = {"GET": ..., "POST": ...}`; the auth middleware refuses any
method a resource does not declare (fail closed), and a test lists every route of the app and fails
on any route without a declaration.

Some rules are finer than a permission and live in the resource, on the rows it returns:
* a provider responder sees only submissions about their own providers, only when the person consented
  to share (named or anonymous), and contact details only when the person consented with their name;
* the board has no permission that shows a single person's feedback: aggregates only.
"""
from __future__ import annotations

import enum


class Permission(str, enum.Enum):
    PUBLIC = "public"                        # anyone, no sign-in (rate-limited where it writes)
    SIGNED_IN = "signed_in"                  # any signed-in member of staff (own account, sign-out)
    SUBMISSIONS_READ = "submissions:read"    # a single person's feedback, with their words (row rules apply)
    SUBMISSIONS_READ_REDACTED = "submissions:read_redacted"  # single items, redacted text only
    SUBMISSIONS_CREATE_ASSISTED = "submissions:create_assisted"  # intake on someone's behalf (paper, meeting, assisted)
    CONTACT_READ = "contact:read"            # a person's contact details (audited; row rules apply)
    PAPER_ENTRY = "paper:entry"              # keying in and reviewing paper returns
    MEETINGS_WRITE = "meetings:write"        # residents' and relatives' meeting logs
    MEETINGS_READ = "meetings:read"
    RESPONSES_WRITE = "responses:write"      # a provider's response to a routed item ("You said, we did")
    ROUTING_READ = "routing:read"
    ROUTING_WRITE = "routing:write"          # routing rules (audited)
    REPORTS_AGGREGATE = "reports:aggregate"  # dashboards and returns with small counts suppressed
    PROVIDERS_READ = "providers:read"
    PROVIDERS_WRITE = "providers:write"
    OUTBOX_READ = "outbox:read"
    OUTBOX_RETRY = "outbox:retry"            # try a waiting or given-up message again now
    SMS_INVITE = "sms:invite"
    CONSENT_WITHDRAW = "privacy:consent_withdraw"  # record a person's withdrawal of consent
    PRIVACY_ERASE = "privacy:erase"          # erase one person's contact details and words
    PRIVACY_EXPORT = "privacy:export"        # subject-access export
    AUDIT_READ = "audit:read"
    AUDIT_EXPORT = "audit:export"
    USERS_MANAGE = "users:manage"            # staff accounts, roles, password resets, unlocks
    TOKENS_MANAGE = "tokens:manage"          # API tokens
    ADMIN = "admin"


class Role(str, enum.Enum):
    ADMIN = "admin"
    DUTY_TEAM = "duty_team"
    ENGAGEMENT = "engagement"
    BOARD = "board"
    PROVIDER_RESPONDER = "provider_responder"
    DATA_ENTRY = "data_entry"


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Admin",
    Role.DUTY_TEAM: "Safeguarding duty team",
    Role.ENGAGEMENT: "Engagement group",
    Role.BOARD: "Board (aggregates only)",
    Role.PROVIDER_RESPONDER: "Provider responder",
    Role.DATA_ENTRY: "Data entry",
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.DUTY_TEAM: frozenset({
        Permission.SIGNED_IN, Permission.SUBMISSIONS_READ, Permission.SUBMISSIONS_READ_REDACTED, Permission.CONTACT_READ,
        Permission.PROVIDERS_READ, Permission.OUTBOX_READ, Permission.OUTBOX_RETRY, Permission.CONSENT_WITHDRAW,
        Permission.MEETINGS_READ, Permission.ROUTING_READ, Permission.REPORTS_AGGREGATE,
    }),
    Role.ENGAGEMENT: frozenset({
        Permission.SIGNED_IN, Permission.SUBMISSIONS_READ, Permission.SUBMISSIONS_READ_REDACTED, Permission.CONTACT_READ,
        Permission.PROVIDERS_READ, Permission.PROVIDERS_WRITE, Permission.SMS_INVITE, Permission.CONSENT_WITHDRAW,
        Permission.MEETINGS_READ, Permission.MEETINGS_WRITE, Permission.ROUTING_READ, Permission.ROUTING_WRITE,
        Permission.REPORTS_AGGREGATE,
    }),
    # The board sees aggregates only, never a single person's text.
    Role.BOARD: frozenset({Permission.SIGNED_IN, Permission.PROVIDERS_READ, Permission.REPORTS_AGGREGATE}),
    # Scoped to their providers by the resources (row rules); never sees a person who did not consent.
    Role.PROVIDER_RESPONDER: frozenset({
        Permission.SIGNED_IN, Permission.SUBMISSIONS_READ, Permission.SUBMISSIONS_READ_REDACTED, Permission.CONTACT_READ,
        Permission.PROVIDERS_READ, Permission.RESPONSES_WRITE,
    }),
    Role.DATA_ENTRY: frozenset({
        Permission.SIGNED_IN, Permission.SUBMISSIONS_CREATE_ASSISTED, Permission.PROVIDERS_READ, Permission.PAPER_ENTRY,
        Permission.MEETINGS_READ, Permission.MEETINGS_WRITE,
    }),
}


# The roles that work with people's words verbatim (row rules keep providers to redacted or consented text).
VERBATIM_ROLES = frozenset({Role.ADMIN, Role.DUTY_TEAM, Role.ENGAGEMENT})


def role_allows(role: Role, permission: Permission) -> bool:
    return permission is Permission.PUBLIC or permission in ROLE_PERMISSIONS.get(role, frozenset())
