"""Writing audit events: call `record` (or `record_request`) in the same transaction as the action.

If the action's transaction rolls back, so does its audit event; if the audit event cannot be written,
the action fails. What goes into `detail` is checked: ids, counts, names of fields, masked identifiers;
never a person's words or contact details (see `mask_identifier`).
"""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.storage.types import utcnow

# One event's detail, as JSON. A detail longer than this (the ids of the ~1,500 or more submissions a meeting
# page, an erasure or a withdrawal reached) is spread over several events: see `record`.
MAX_DETAIL_BYTES = 64_000

# Actions (strings in the data; other parts may add their own, as "thing.verb").
SUBMISSION_VIEW = "submission.view"            # a single person's words, verbatim
SUBMISSION_LIST = "submission.list"            # a page of people's words, verbatim
CONTACT_VIEW = "contact.view"
OUTBOX_RETRY = "outbox.retry"                  # staff asked for a waiting message to be tried at once
TEXT_TRANSLATED = "text.translated"            # a person typed the English of someone's words
AUDIT_SEARCH = "audit.search"
AUDIT_EXPORT = "audit.export"
PRIVACY_ERASE = "privacy.erase"
PRIVACY_SUBJECT_ACCESS = "privacy.subject_access_export"
PRIVACY_CONSENT_WITHDRAWN = "privacy.consent_withdrawn"
PRIVACY_RETENTION = "privacy.retention"
USER_CREATE = "user.create"
USER_UPDATE = "user.update"
USER_PASSWORD_LINK = "user.password_link_issued"
USER_PASSWORD_SET = "user.password_set"
USER_UNLOCK = "user.unlock"
USER_DEACTIVATE = "user.deactivate"
USER_SIGN_IN = "user.sign_in"
USER_SIGN_IN_FAILED = "user.sign_in_failed"
USER_LOCKED = "user.locked"
USER_SIGN_OUT = "user.sign_out"
USER_TOTP_ENABLED = "user.totp_enabled"
USER_TOTP_DISABLED = "user.totp_disabled"
TOKEN_CREATE = "token.create"
TOKEN_REVOKE = "token.revoke"
ROUTING_RULE_CHANGE = "routing_rule.change"    # for the routing part: every change of a routing rule
EXPORT = "export"                              # for reporting exports: detail names what was exported


@dataclass(frozen=True)
class Actor:
    type: str          # user | token | cli | system | anonymous
    id: str = ""
    role: str = ""
    label: str = ""


SYSTEM = Actor("system", label="worker")


def cli_actor(label: str = "") -> Actor:
    import getpass
    import os

    try:
        who = getpass.getuser()
    except Exception:  # no user name on this machine
        who = str(os.getuid()) if hasattr(os, "getuid") else ""
    return Actor("cli", id=who[:64], role="admin", label=(label or f"command line ({who})")[:200])


def actor_from_principal(principal) -> Actor:
    if principal is None:
        return Actor("anonymous")
    if getattr(principal, "user_id", None) is not None:
        return Actor("user", id=str(principal.user_id), role=principal.role.value, label=principal.label[:200])
    return Actor("token", id=str(principal.token_id or ""), role=principal.role.value, label=principal.label[:200])


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    target_type: str = "",
    target_id: str | int = "",
    detail: dict[str, Any] | None = None,
    client_address: str = "",
    request_id: str = "",
) -> AuditEvent:
    """Add the event to the caller's transaction and return it. A detail too long for one event is never cut:
    it is spread over several events (see `detail_parts`), all added here, and the first is returned."""
    at = utcnow()
    events = [
        AuditEvent(
            at=at, actor_type=actor.type, actor_id=actor.id[:64], actor_role=actor.role[:40], actor_label=actor.label[:200],
            action=action[:60], target_type=target_type[:40], target_id=str(target_id)[:64], detail=part,
            client_address=(client_address or "")[:64], request_id=(request_id or "")[:64],
        )
        for part in detail_parts(detail)
    ]
    session.add_all(events)
    return events[0]


def detail_parts(detail: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The detail as JSON-ready dicts of at most MAX_DETAIL_BYTES each (of ids, which are short): itself when it fits; else its lists
    shared out in order over as many parts as needed, each part keeping everything else (counts, reason,
    identifier...) and saying which part it is ("part": 1, "parts": 3). The audit log is the record of whose
    data was read or erased: an id is never dropped (before, a detail over 8,000 bytes was cut to its keys)."""
    detail = json.loads(json.dumps(detail or {}, default=str, sort_keys=True))
    if _size(detail) <= MAX_DETAIL_BYTES:
        return [detail]
    lists = {key: value for key, value in detail.items() if isinstance(value, list)}
    if not any(lists.values()):
        return [detail]     # nothing to share out (no caller writes such a detail): kept whole, over the bound
    rest = {key: value for key, value in detail.items() if key not in lists}
    # The room each part has for list items, once the rest, the empty lists and the part numbers are in.
    room = MAX_DETAIL_BYTES - _size({**rest, **{key: [] for key in lists}, "part": 999_999, "parts": 999_999})
    shares: list[dict[str, list]] = [{key: [] for key in lists}]
    used = 0
    for key in sorted(lists):
        for item in lists[key]:
            size = _size(item) + 2      # and its ", "
            if used and used + size > room:     # (an item longer than the room has a part of its own)
                shares.append({name: [] for name in lists})
                used = 0
            shares[-1][key].append(item)
            used += size
    return [{**rest, **share, "part": number, "parts": len(shares)} for number, share in enumerate(shares, start=1)]


def _size(value: Any) -> int:
    return len(json.dumps(value, sort_keys=True).encode())


def record_request(session: Session, req, action: str, **kwargs: Any) -> AuditEvent:
    """Record an action taken through an HTTP request: actor, address and request id come from it."""
    context = req.context
    return record(
        session,
        actor=actor_from_principal(context.get("principal")),
        action=action,
        client_address=context.get("client_address") or req.remote_addr or "",
        request_id=context.get("request_id") or "",
        **kwargs,
    )


def mask_identifier(value: str) -> str:
    """Enough to recognise, not enough to contact: "*******123", "j***@example.org"."""
    value = (value or "").strip()
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = "".join(ch for ch in value if ch.isdigit())
    return "*" * max(len(digits) - 3, 0) + digits[-3:]


def identifier_fingerprint(secret_key: str, kind: str, normalised_value: str) -> str:
    """A keyed hash, so an admin can later check "was this number erased?" without the log holding it."""
    return hmac.new(secret_key.encode(), f"{kind}:{normalised_value}".encode(), hashlib.sha256).hexdigest()[:24]
