"""叫应 without an account: each recipient's personal link, the message an SMS or voice gateway sends, and the
acknowledgement through that link.

A link is ``{public_url}/ack/{token}``, the token 32 random characters kept with the recipient; it works while
the warning is in force (not lifted, not expired) and only once. The duty view shows each recipient's message
and link, so that a duty officer can also read it out on the phone.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import exists, select, update

from services.clock import format_local, now_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import Conflict, NotFound
from services.models import Warning, WarningRecipient, utcnow
from services.text import t, term

TOKEN_BYTES = 24


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@dataclass(frozen=True)
class RecipientMessage:
    recipient_id: int
    name: str
    phone: str | None
    link: str
    text: str
    acknowledged: bool


@dataclass(frozen=True)
class LinkView:
    """What the personal link's page shows (no other record of the deployment)."""

    warning_id: int
    level: str
    headline: str
    area: str
    issued_at: str
    valid_until: str
    recipient: str
    acknowledged_at: str | None
    active: bool


def link_of(settings, token: str) -> str:
    return f"{settings.notifications.public_url}/ack/{token}"


def message_text(settings, warning: Warning, link: str, lang: str = "zh") -> str:
    region = settings.region.name_zh if lang == "zh" else settings.region.name_en
    return t("ack.message", lang, region=region, level=term(warning.level, lang),
             headline=warning.headline,
             until=format_local(warning.valid_until, settings), link=link)


def recipient_messages(uow: UnitOfWork, warning_id: int, lang: str = "zh") -> list[RecipientMessage]:
    """Each recipient's message and link (what the gateway sends and the duty officer can read out).

    A link acknowledges for its recipient, so only those who issue warnings see them.
    """
    uow.principal.require("warning.issue")
    warning = uow.session.get(Warning, warning_id)
    if warning is None:
        raise NotFound.of("id", "warning.not_found", id=warning_id)
    rows = uow.session.scalars(select(WarningRecipient).where(WarningRecipient.warning_id == warning_id)
                               .order_by(WarningRecipient.id)).all()
    out = []
    for r in rows:
        link = link_of(uow.settings, r.ack_token) if r.ack_token else ""
        out.append(RecipientMessage(r.id, r.name, r.phone, link, message_text(uow.settings, warning, link, lang),
                                    r.acknowledged_at is not None))
    return out


def _recipient(uow: UnitOfWork, token: str) -> tuple[WarningRecipient, Warning]:
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        raise NotFound.of("token", "ack.unknown")
    found = uow.session.execute(select(WarningRecipient, Warning).join(Warning, Warning.id == WarningRecipient.warning_id)
                                .where(WarningRecipient.ack_token == token)).first()
    if found is None:
        raise NotFound.of("token", "ack.unknown")
    return found[0], found[1]


def link_view(uow: UnitOfWork, token: str) -> LinkView:
    recipient, warning = _recipient(uow, token)
    s = uow.settings
    active = warning.lifted_at is None and warning.valid_until > now_utc()
    return LinkView(warning.id, warning.level, warning.headline, warning.area_description,
                    format_local(warning.issued_at, s), format_local(warning.valid_until, s), recipient.name,
                    format_local(recipient.acknowledged_at, s) if recipient.acknowledged_at else None, active)


def acknowledge_by_link(uow: UnitOfWork, token: str) -> LinkView:
    """The recipient's 叫应 through their link: once, while the warning is in force (a conditional UPDATE)."""
    live = exists().where(Warning.id == WarningRecipient.warning_id, Warning.lifted_at.is_(None),
                          Warning.valid_until > now_utc())
    done = uow.session.execute(
        update(WarningRecipient).where(WarningRecipient.ack_token == token, WarningRecipient.acknowledged_at.is_(None),
                                       live)
        .values(acknowledged_at=utcnow()).returning(WarningRecipient.name, WarningRecipient.warning_id)).first()
    if done is None:
        recipient, warning = _recipient(uow, token)
        if recipient.acknowledged_at is not None:
            raise Conflict.of("token", "warning.acknowledged", name=recipient.name)
        raise Conflict.of("token", "warning.inactive", id=warning.id)
    audit.record(uow.session, actor=f"link:{done.name}"[:80], action="acknowledge", entity="warning",
                 entity_key=str(done.warning_id), detail={"recipient": done.name, "via": "link"})
    uow.session.expire_all()
    return link_view(uow, token)
