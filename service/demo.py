"""Demo data for a first local run: a few providers and one admin token, printed once."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.log import TOKEN_CREATE, cli_actor, record
from service.auth.permissions import Role
from service.auth.tokens import create_token
from service.storage.orm import ApiToken, Provider

DEMO_PROVIDERS = (
    ("Moorside Care Home", "care_home", "Bolton North"),
    ("Riverside Home Care", "home_care", "Bolton West"),
    ("Bolton Hospital Trust", "hospital_trust", "Bolton"),
    ("Hollins Supported Living", "supported_living", "Farnworth"),
)
DEMO_TOKEN_LABEL = "demo admin (make run)"


def load_demo_data(session: Session) -> list[str]:
    messages = []
    if session.scalar(select(Provider.id).limit(1)) is None:
        for name, kind, area in DEMO_PROVIDERS:
            session.add(Provider(name=name, type=kind, area=area, active=True))
        messages.append(f"added {len(DEMO_PROVIDERS)} demo providers")
    if session.scalar(select(ApiToken.id).where(ApiToken.label == DEMO_TOKEN_LABEL)) is None:
        row, token = create_token(session, Role.ADMIN, label=DEMO_TOKEN_LABEL)
        # Like every other token made: an admin token reads every person's words.
        record(session, actor=cli_actor(), action=TOKEN_CREATE, target_type="token", target_id=row.id,
               detail={"role": row.role, "provider_ids": [], "demo": True})
        messages.append("admin API token (shown once, keep it safe):")
        messages.append(f"  {token}")
    else:
        messages.append("the demo admin token was printed on the first run; make another with: msp-feedback token create --role admin")
    return messages
