"""Routes of staff sign-in, accounts, tokens, the audit log and privacy work. The app factory calls
`install(app, services)` (like the channels' installers)."""
from __future__ import annotations

import falcon

import service.audit.models  # noqa: F401  (registers the append-only guard and the table)
import service.auth.models  # noqa: F401
import service.privacy.models  # noqa: F401
from service.api.submissions import SubmissionContact
from service.audit.api import AuditExport, AuditSearch
from service.auth import admin_pages, api, staff_pages
from service.privacy.api import ConsentWithdrawals, Erasures, RetentionRun, SubjectAccess
from service.ratelimit import RateLimiter

SIGN_IN_ATTEMPTS_PER_MINUTE = 20  # per client address and process; the account lockout is the real limit


def install(app: falcon.App, services) -> None:
    limiter = RateLimiter(SIGN_IN_ATTEMPTS_PER_MINUTE)
    # Staff pages (HTML)
    app.add_route(staff_pages.STYLESHEET_PATH, staff_pages.Stylesheet())
    app.add_route("/staff", staff_pages.StaffHome(services))
    app.add_route("/staff/sign-in", staff_pages.SignInPage(services, limiter))
    app.add_route("/staff/sign-in/code", staff_pages.SignInCodePage(services, limiter))
    app.add_route("/staff/sign-out", staff_pages.SignOut(services))
    app.add_route("/staff/set-password/{token}", staff_pages.SetPasswordPage(services, limiter))
    app.add_route("/staff/account/two-factor", staff_pages.TwoFactorPage(services))
    app.add_route("/staff/accounts", staff_pages.AccountsPage(services))
    app.add_route("/staff/accounts/{user_id:int}", staff_pages.AccountPage(services))
    app.add_route("/staff/tokens", staff_pages.TokensPage(services))
    app.add_route("/staff/tokens/{token_id:int}/revoke", staff_pages.TokenRevokePage(services))
    app.add_route("/staff/audit", admin_pages.AuditPage(services))
    app.add_route("/staff/privacy", admin_pages.PrivacyPage(services))
    app.add_route("/staff/privacy/consent-withdrawal", admin_pages.ConsentWithdrawalPage(services))
    app.add_route("/staff/privacy/subject-access", admin_pages.SubjectAccessPage(services))
    app.add_route("/staff/privacy/erasure", admin_pages.ErasurePage(services))
    # JSON API
    app.add_route("/api/v1/submissions/{submission_id}/contact", SubmissionContact(services.uow, services.settings.secret_keys))
    app.add_route("/api/v1/users", api.Users(services))
    app.add_route("/api/v1/users/{user_id:int}", api.UserItem(services))
    app.add_route("/api/v1/users/{user_id:int}/password-reset", api.UserPasswordReset(services))
    app.add_route("/api/v1/users/{user_id:int}/unlock", api.UserUnlock(services))
    app.add_route("/api/v1/tokens", api.Tokens(services))
    app.add_route("/api/v1/tokens/{token_id:int}", api.TokenItem(services))
    app.add_route("/api/v1/audit", AuditSearch(services))
    app.add_route("/api/v1/audit/export", AuditExport(services))
    app.add_route("/api/v1/privacy/erasures", Erasures(services))
    app.add_route("/api/v1/privacy/subject-access", SubjectAccess(services))
    app.add_route("/api/v1/privacy/consent-withdrawals", ConsentWithdrawals(services))
    app.add_route("/api/v1/privacy/retention", RetentionRun(services))
