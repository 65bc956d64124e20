"""/api/v1/users and /api/v1/tokens: staff accounts and API tokens, for admins. Every change is audited."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

import falcon
from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy import select

from service.api import openapi
from service.api.bodies import read_json
from service.api.problems import HTTPProblem
from service.api.schemas import RowId, Strict
from service.audit.log import (TOKEN_CREATE, TOKEN_REVOKE, USER_CREATE, USER_PASSWORD_LINK, USER_UNLOCK, USER_UPDATE,
                               record_request)
from service.auth.models import StaffUser
from service.auth.permissions import Permission, Role
from service.auth.tokens import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, create_token, list_tokens, revoke_token
from service.auth.users import UserError, create_user, is_locked, issue_password_link, password_link, unlock, update_user, user_by_id
from service.domain.model import Problem
from service.storage.orm import ApiToken, Provider
from service.storage.types import utcnow

ProviderIds = Annotated[list[RowId], Field(max_length=200)]


def _problem(message: str, field: str = "body") -> HTTPProblem:
    return HTTPProblem(falcon.HTTP_422, "The request is not valid", message, [Problem(field, message)])


def _check_providers(session, provider_ids: list[int]) -> None:
    if provider_ids:
        found = set(session.scalars(select(Provider.id).where(Provider.id.in_(provider_ids))))
        missing = sorted(set(provider_ids) - found)
        if missing:
            raise _problem(f"no provider with id {', '.join(map(str, missing))}", "provider_ids")


def user_out(user: StaffUser) -> dict:
    now = utcnow()
    return {
        "id": user.id, "email": user.email, "display_name": user.display_name, "role": user.role,
        "provider_ids": list(user.provider_ids or []), "active": user.active, "locked": is_locked(user, now),
        "totp_enabled": user.totp_enabled, "password_set": user.password_hash is not None,
        "last_sign_in_at": user.last_sign_in_at.isoformat() if user.last_sign_in_at else None,
        "created_at": user.created_at.isoformat(),
    }


def token_out(row: ApiToken) -> dict:
    return {
        "id": row.id, "role": row.role, "label": row.label, "provider_ids": list(row.provider_ids or []),
        "created_at": row.created_at.isoformat(), "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None,
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None, "created_by_user_id": row.created_by_user_id,
        "expires_at": row.expires_at.isoformat() if row.expires_at else None,
    }


class UserIn(Strict):
    email: Annotated[str, StringConstraints(min_length=3, max_length=320)]
    display_name: Annotated[str, StringConstraints(max_length=200)] = ""
    role: Role
    provider_ids: ProviderIds = Field(default_factory=list)


class UserPatch(Strict):
    display_name: Annotated[str, StringConstraints(max_length=200)] | None = None
    role: Role | None = None
    provider_ids: ProviderIds | None = None
    active: bool | None = None


class TokenIn(Strict):
    role: Role
    label: Annotated[str, StringConstraints(max_length=200)] = ""
    provider_ids: ProviderIds = Field(default_factory=list)
    days: Annotated[int, Field(ge=1, le=MAX_TOKEN_DAYS)] = DEFAULT_TOKEN_DAYS   # it stops working after these


class _Resource:
    def __init__(self, services):
        self._services = services


class Users(_Resource):
    permissions = {"GET": Permission.USERS_MANAGE, "POST": Permission.USERS_MANAGE}

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        with self._services.uow() as uow:
            resp.media = {"items": [user_out(u) for u in uow.session.scalars(select(StaffUser).order_by(StaffUser.email))]}

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_json(req, UserIn)
        with self._services.uow() as uow:
            _check_providers(uow.session, body.provider_ids)
            try:
                user = create_user(uow.session, email=body.email, role=body.role.value, display_name=body.display_name, provider_ids=body.provider_ids)
            except UserError as error:
                raise _problem(str(error)) from None
            raw = issue_password_link(uow.session, user, reset=False)
            record_request(uow.session, req, USER_CREATE, target_type="user", target_id=user.id,
                           detail={"role": user.role, "provider_ids": list(user.provider_ids)})
            uow.commit()
            resp.status = falcon.HTTP_201
            resp.location = f"/api/v1/users/{user.id}"
            resp.media = {**user_out(user), "password_link": password_link(self._services.settings.public_base_url, raw)}


class UserItem(_Resource):
    permissions = {"GET": Permission.USERS_MANAGE, "PATCH": Permission.USERS_MANAGE}

    def _find(self, uow, user_id: int) -> StaffUser:
        return user_by_id(uow.session, user_id)

    def on_get(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        with self._services.uow() as uow:
            resp.media = user_out(self._find(uow, user_id))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        body = read_json(req, UserPatch)
        with self._services.uow() as uow:
            user = self._find(uow, user_id)
            if body.provider_ids is not None:
                _check_providers(uow.session, body.provider_ids)
            principal = req.context.principal
            if principal.user_id == user.id and (body.active is False or (body.role and body.role is not Role.ADMIN)):
                raise _problem("You cannot remove your own admin access; ask another admin.")
            before = {"role": user.role, "provider_ids": list(user.provider_ids or []), "active": user.active}
            try:
                changed = update_user(uow.session, user, role=body.role.value if body.role else None, provider_ids=body.provider_ids,
                                      display_name=body.display_name, active=body.active)
            except UserError as error:
                raise _problem(str(error)) from None
            if changed:
                record_request(uow.session, req, USER_UPDATE, target_type="user", target_id=user.id,
                               detail={"changed": changed, "before": {k: before[k] for k in changed if k in before},
                                       "after": {k: user_out(user)[k] for k in changed if k in before}})
            uow.commit()
            resp.media = user_out(user)


class UserPasswordReset(_Resource):
    """POST: the old password stops working; a one-time link to set a new one is returned (show it once)."""

    permissions = {"POST": Permission.USERS_MANAGE}

    def on_post(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        with self._services.uow() as uow:
            user = uow.session.get(StaffUser, user_id)
            if user is None:
                raise falcon.HTTPNotFound(title="No such account", description=f"There is no staff account with id {user_id}.")
            raw = issue_password_link(uow.session, user, reset=True)
            record_request(uow.session, req, USER_PASSWORD_LINK, target_type="user", target_id=user.id, detail={"reset": True})
            uow.commit()
        resp.media = {"password_link": password_link(self._services.settings.public_base_url, raw)}


class UserUnlock(_Resource):
    permissions = {"POST": Permission.USERS_MANAGE}

    def on_post(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        with self._services.uow() as uow:
            user = uow.session.get(StaffUser, user_id)
            if user is None:
                raise falcon.HTTPNotFound(title="No such account", description=f"There is no staff account with id {user_id}.")
            unlock(user)
            record_request(uow.session, req, USER_UNLOCK, target_type="user", target_id=user.id)
            uow.commit()
            resp.media = user_out(user)


class Tokens(_Resource):
    permissions = {"GET": Permission.TOKENS_MANAGE, "POST": Permission.TOKENS_MANAGE}

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        with self._services.uow() as uow:
            resp.media = {"items": [token_out(t) for t in list_tokens(uow.session)]}

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_json(req, TokenIn)
        if (body.role is Role.PROVIDER_RESPONDER) != bool(body.provider_ids):
            raise _problem("A provider_responder token needs provider_ids; other roles take none.", "provider_ids")
        with self._services.uow() as uow:
            _check_providers(uow.session, body.provider_ids)
            row, secret = create_token(uow.session, body.role, label=body.label, provider_ids=tuple(body.provider_ids),
                                       created_by_user_id=req.context.principal.user_id, days=body.days,
                                       made_by_token_id=req.context.principal.token_id)
            record_request(uow.session, req, TOKEN_CREATE, target_type="token", target_id=row.id,
                           detail={"role": row.role, "provider_ids": list(row.provider_ids or []), "days": body.days})
            uow.commit()
            resp.status = falcon.HTTP_201
            resp.media = {**token_out(row), "token": secret}


class TokenItem(_Resource):
    permissions = {"DELETE": Permission.TOKENS_MANAGE}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, token_id: int) -> None:
        with self._services.uow() as uow:
            if not revoke_token(uow.session, token_id):
                raise falcon.HTTPNotFound(title="No such token", description=f"There is no active token with id {token_id}.")
            record_request(uow.session, req, TOKEN_REVOKE, target_type="token", target_id=token_id)
            uow.commit()
        resp.status = falcon.HTTP_204


# --- the OpenAPI document (the dicts above are what is sent; tests/api check them against these models) ---

class UserOut(BaseModel):
    id: int
    email: str
    display_name: str
    role: Role
    provider_ids: list[int]
    active: bool
    locked: bool
    totp_enabled: bool
    password_set: bool
    last_sign_in_at: datetime | None
    created_at: datetime


class UserCreated(UserOut):
    password_link: str = Field(description="One-time link for the person to set their password: shown once")


class UserList(BaseModel):
    items: list[UserOut]


class PasswordLinkOut(BaseModel):
    password_link: str = Field(description="One-time link to set a new password: shown once; the old password no longer works")


class TokenOut(BaseModel):
    id: int
    role: Role
    label: str
    provider_ids: list[int]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    created_by_user_id: int | None
    expires_at: datetime | None = Field(description="It stops working from then; null for a token made before tokens expired (it never does)")


class TokenCreated(TokenOut):
    token: str = Field(description="The secret: shown once (only its SHA-256 is stored)")


class TokenList(BaseModel):
    items: list[TokenOut]


_user_id = {"name": "user_id", "in": "path", "required": True, "schema": openapi.ROW_ID_SCHEMA}
_token_id = {"name": "token_id", "in": "path", "required": True, "schema": openapi.ROW_ID_SCHEMA}
_ADMIN = Permission.USERS_MANAGE
openapi.EXTRA_MODELS.extend([UserIn, UserPatch, UserOut, UserCreated, UserList, PasswordLinkOut, TokenIn, TokenOut, TokenCreated, TokenList])
openapi.EXTRA_PATHS.update({
    "/api/v1/users": {
        "get": openapi.operation("Staff accounts (admins)", permission=_ADMIN, ok=(200, UserList), errors=(403,)),
        "post": openapi.operation(f"Add a staff account; the answer carries a one-time link to set the password (audited: {USER_CREATE})",
                                  permission=_ADMIN, request=UserIn, ok=(201, UserCreated), errors=(400, 403, 413, 415, 422)),
    },
    "/api/v1/users/{user_id}": {
        "get": openapi.operation("One staff account", permission=_ADMIN, ok=(200, UserOut), errors=(403, 404), parameters=[_user_id]),
        "patch": openapi.operation(f"Change an account's role, providers, name or active flag (audited: {USER_UPDATE}); "
                                   "you cannot remove your own admin access", permission=_ADMIN, request=UserPatch, ok=(200, UserOut),
                                   errors=(400, 403, 404, 413, 415, 422), parameters=[_user_id]),
    },
    "/api/v1/users/{user_id}/password-reset": {
        "post": openapi.operation(f"End the account's password and give a one-time link to set a new one (audited: {USER_PASSWORD_LINK})",
                                  permission=_ADMIN, ok=(200, PasswordLinkOut), errors=(403, 404), parameters=[_user_id]),
    },
    "/api/v1/users/{user_id}/unlock": {
        "post": openapi.operation(f"Unlock an account locked after failed sign-ins (audited: {USER_UNLOCK})", permission=_ADMIN,
                                  ok=(200, UserOut), errors=(403, 404), parameters=[_user_id]),
    },
    "/api/v1/tokens": {
        "get": openapi.operation("API tokens, revoked ones included (never the secrets)", permission=Permission.TOKENS_MANAGE,
                                 ok=(200, TokenList), errors=(403,)),
        "post": openapi.operation(f"Make an API token; the secret is in the answer, once (audited: {TOKEN_CREATE})",
                                  permission=Permission.TOKENS_MANAGE, request=TokenIn, ok=(201, TokenCreated), errors=(400, 403, 413, 415, 422)),
    },
    "/api/v1/tokens/{token_id}": {
        "delete": openapi.operation(f"Revoke a token (audited: {TOKEN_REVOKE}); 404 when it is unknown or already revoked",
                                    permission=Permission.TOKENS_MANAGE, ok=(204, None), errors=(403, 404), parameters=[_token_id]),
    },
})
