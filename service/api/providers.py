"""/api/v1/providers: the care homes, home-care agencies and trusts feedback can be about."""
from __future__ import annotations

import falcon
from sqlalchemy import select

from service.api.bodies import read_json
from service.api.schemas import ProviderIn, ProviderList, ProviderOut, ProviderPatch
from service.auth.permissions import Permission
from service.storage.orm import Provider


def provider_out(row: Provider) -> dict:
    return ProviderOut(id=row.id, name=row.name, type=row.type, area=row.area, active=row.active).model_dump(mode="json")


class ProviderCollection:
    permissions = {"GET": Permission.PROVIDERS_READ, "POST": Permission.PROVIDERS_WRITE}

    def __init__(self, uow_factory):
        self._uow_factory = uow_factory

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        query = select(Provider).order_by(Provider.name, Provider.id)
        active = req.get_param_as_bool("active")
        if active is not None:
            query = query.where(Provider.active == active)
        principal = req.context.principal
        if principal is not None and principal.role.value == "provider_responder":
            query = query.where(Provider.id.in_(principal.provider_ids or (-1,)))
        with self._uow_factory() as uow:
            resp.media = {"items": [provider_out(row) for row in uow.session.scalars(query)]}

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_json(req, ProviderIn)
        with self._uow_factory() as uow:
            row = Provider(name=body.name, type=body.type.value, area=body.area, active=body.active)
            uow.session.add(row)
            uow.commit()
            resp.status = falcon.HTTP_201
            resp.location = f"/api/v1/providers/{row.id}"
            resp.media = provider_out(row)


class ProviderItem:
    permissions = {"GET": Permission.PROVIDERS_READ, "PATCH": Permission.PROVIDERS_WRITE}

    def __init__(self, uow_factory):
        self._uow_factory = uow_factory

    def on_get(self, req: falcon.Request, resp: falcon.Response, provider_id: int) -> None:
        with self._uow_factory() as uow:
            resp.media = provider_out(self._find(uow, provider_id, req))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, provider_id: int) -> None:
        body = read_json(req, ProviderPatch)
        with self._uow_factory() as uow:
            row = self._find(uow, provider_id, req)
            for field, value in body.model_dump(exclude_unset=True).items():
                if value is None:
                    continue
                setattr(row, field, value.value if hasattr(value, "value") else value)
            uow.commit()
            resp.media = provider_out(row)

    @staticmethod
    def _find(uow, provider_id: int, req: falcon.Request) -> Provider:
        principal = req.context.principal
        row = uow.session.get(Provider, provider_id)
        hidden = principal is not None and principal.role.value == "provider_responder" and provider_id not in principal.provider_ids
        if row is None or hidden:
            raise falcon.HTTPNotFound(title="No such provider", description=f"There is no provider with id {provider_id}.")
        return row


__all__ = ["ProviderCollection", "ProviderItem", "ProviderList"]
