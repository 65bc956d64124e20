"""Fixtures for the security tests: the app with the accounts/audit/privacy routes, seeded data, one token
per role, and a small browser that keeps cookies and fills in CSRF tokens."""
from __future__ import annotations

from dataclasses import dataclass, field

import falcon.testing
import pytest
from sqlalchemy import select

from service.app import MspApp, Services, create_app
from service.auth.permissions import Role
from service.auth.tokens import create_token
from service.auth.users import create_user
from service.domain.model import Channel, Consent, ContactDetails, ContactPreference, SubmitFeedback
from service.intake import submit_feedback
from service.storage.orm import FreeText, Provider, TextAnnotation
from service.text.redact import redact

from tests.support.staff import PASSWORD, StaffBrowser  # noqa: E402


@pytest.fixture
def app(services: Services) -> MspApp:
    """The full app; installs this part's routes when the app factory does not (yet)."""
    app = create_app(services=services)
    if app._router.find("/staff/sign-in") is None:
        from service.auth.routes import install

        install(app, services)
    return app


@dataclass
class Seed:
    provider_a: int
    provider_b: int
    sub_a_anonymous: str      # about provider A, consent anonymous, with contact details and words
    sub_a_named: str          # about provider A, consent named
    sub_a_none: str           # about provider A, consent none (never shown to the provider)
    sub_b_named: str          # about provider B, consent named
    references: dict[str, str] = field(default_factory=dict)


def submit(services: Services, *, provider_id: int | None, consent: Consent, phone: str | None = None, email: str | None = None,
           name: str | None = None, text: str = "They listened to me. Call me on 07700 900123.", case_reference: str | None = None):
    command = SubmitFeedback(
        channel=Channel.WEB, respondent=None, language="en", questionnaire_id="msp", questionnaire_version=None,
        answers={"listened_to": "yes", "feel_safer": "a_bit_safer"}, texts={"own_words": text} if text else {},
        consent=consent, provider_id=provider_id,
        contact=ContactDetails(preference=ContactPreference.SMS if phone else ContactPreference.EMAIL if email else ContactPreference.NONE,
                               safe_to_contact=True if (phone or email) else None, name=name, phone=phone, email=email, postal_address=None),
        communication_needs=(), communication_needs_other=None, case_reference=case_reference,
        idempotency_key=None, request_fingerprint=None,
    )
    return submit_feedback(command, services.uow())


@pytest.fixture
def seed(services: Services) -> Seed:
    with services.session_factory.begin() as session:
        a = Provider(name="Alder Court care home", type="care_home", area="Bolton")
        b = Provider(name="Birch Home Care", type="home_care", area="Bolton")
        session.add_all([a, b])
        session.flush()
        ids = (a.id, b.id)
    r1 = submit(services, provider_id=ids[0], consent=Consent.ANONYMOUS, phone="07700 900123", name="Mary Smith",
                text="Mrs Jones at Alder Court shouted at me. My number is 07700 900123.", case_reference="S42-1001")
    r2 = submit(services, provider_id=ids[0], consent=Consent.NAMED, email="pat@example.org", name="Pat Lee", text="Staff were kind.")
    r3 = submit(services, provider_id=ids[0], consent=Consent.NONE, phone="07700 900456", text="Do not tell the home.")
    r4 = submit(services, provider_id=ids[1], consent=Consent.NAMED, phone="07700 900789", text="Birch carers were late.")
    # Read by the text check, nothing urgent found (providers see nothing the check has not read).
    with services.session_factory.begin() as session:
        for free_text in session.scalars(select(FreeText)):
            session.add(TextAnnotation(free_text_id=free_text.id, model_version="seed", language="en", translation_status="not_needed",
                                       redacted=redact(free_text.text), disclosure=False))
    return Seed(ids[0], ids[1], r1.submission_id, r2.submission_id, r3.submission_id, r4.submission_id,
                references={"a_anonymous": r1.reference, "a_named": r2.reference, "a_none": r3.reference, "b_named": r4.reference})


@pytest.fixture
def role_tokens(services: Services, seed: Seed) -> dict[Role, str]:
    tokens = {}
    with services.session_factory.begin() as session:
        for role in Role:
            providers = (seed.provider_a,) if role is Role.PROVIDER_RESPONDER else ()
            _, tokens[role] = create_token(session, role, label=f"test {role.value}", provider_ids=providers)
    return tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


Browser = StaffBrowser


@pytest.fixture
def browser(client: falcon.testing.TestClient) -> Browser:
    return Browser(client)


@pytest.fixture
def make_user(services: Services):
    def make(email: str, role: Role = Role.ADMIN, provider_ids: tuple[int, ...] = (), password: str | None = PASSWORD):
        with services.session_factory.begin() as session:
            user = create_user(session, email=email, role=role.value, display_name=email.split("@")[0], provider_ids=provider_ids, password=password)
            return user.id
    return make


@pytest.fixture
def cli_env(services, monkeypatch):
    """A CliRunner whose commands use the test database and key (as an operator's shell would)."""
    from click.testing import CliRunner

    monkeypatch.setenv("DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("SECRET_KEY", services.settings.secret_key)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://feedback.example.org")
    monkeypatch.setenv("VAR_DIR", str(services.settings.var_dir))
    return CliRunner()


@pytest.fixture
def cli(cli_env):
    """``cli("db", "grant-app-role", "x")``: run `msp-feedback` with these arguments."""
    from service.cli import main

    return lambda *args: cli_env.invoke(main, list(args))


def with_two_step(services: Services, email: str) -> str:
    """Turn two-step sign-in on for the account, straight in the database; returns the TOTP secret."""
    import pyotp

    from service.auth import sealed
    from service.auth.models import StaffUser

    secret = pyotp.random_base32()
    with services.session_factory.begin() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.email == email))
        user.totp_secret = sealed.seal(secret, user.id, services.settings.secret_key)
        user.totp_enabled = True
    return secret
