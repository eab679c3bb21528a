"""有奖举报 from the public: a report submitted without an account (``submit_report``) and its outcome looked up by
its reference (``lookup_report``); staff verify reports and track rewards in services/supervision/report_review.py.

A sender's address is kept only as a keyed hash (HMAC-SHA-256 under the app's secret, services/accounts/keys.py) in
``source_key``, which the flood limit counts: at most ``settings.public_reports.max_per_hour`` reports in any 60
minutes and ``max_per_day`` in any 24 hours per address, counted in the database in the transaction that stores
the report. A sender's submissions are serialised (PostgreSQL: an advisory lock on the hash; SQLite: the write lock
of BEGIN IMMEDIATE), so limit + 1 submissions at once store exactly the limit. An optional photo is checked as
field photos are (services/field/photos.py: decoded as JPEG, PNG or WebP within the size and pixel caps) before its
file is written, and the file goes again if the transaction rolls back: a refusal writes nothing.

The reference (``JB-2026-7KM3Q-XD9PA``) carries ten random characters of Crockford's base32 (50 bits): one
reference says nothing about another, so outcomes cannot be read by counting through them.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import secrets
import unicodedata
from dataclasses import asdict, dataclass

from sqlalchemy import case, func, select

from services import vocabulary
from services.accounts.keys import keyed_hash
from services.clock import now_utc, to_local
from services.data.cells import CellError, phone_number
from services.db import audit
from services.db.locks import transaction_lock
from services.db.uow import UnitOfWork
from services.errors import FieldError, NotFound, TooManyAttempts
from services.field.photos import Upload, check_photo, photo_root, write_photo_file
from services.models import HiddenDanger, PublicReport, Township
from services.supervision.dangers import clean_text

PREFIX = "JB"  # 举报
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O or U to misread
RANDOM_CHARS = 10
PHOTO_FOLDER = "reports"  # under instance/photos/
MAX_NAME, MAX_PHONE = 200, 30
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TYPED_REFERENCE = re.compile(rf"{PREFIX}(\d{{4}})([0-9A-Z]{{{RANDOM_CHARS}}})")


@dataclass(frozen=True)
class ReportInput:
    """What the public form (or the public API) sends; everything but the description may be left out."""

    description: str
    enterprise_name: str = ""
    place: str = ""
    township_code: str | None = None
    contact: str = ""
    photo: Upload | None = None


@dataclass(frozen=True)
class Submitted:
    """What the reporter is told: the reference to keep, when it was received, and whether a photo came with it."""

    reference: str
    submitted_at: str  # ISO 8601, UTC
    has_photo: bool

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PublicOutcome:
    """What anyone holding the reference may read: the report's state, never who handled it nor who sent it."""

    reference: str
    submitted_on: str           # the local date it was received
    status: str                 # 待核实 / 属实 / 不属实 / 重复
    verified_on: str | None
    outcome: str | None         # the answer staff wrote for the reporter
    danger_status: str | None   # the hidden danger it became (or duplicates): 待整改 … 已销号
    reward_status: str          # 不适用 / 待发放 / 已发放
    reward_yuan: str | None

    def to_json(self) -> dict:
        return asdict(self)


def new_reference(year: int) -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return f"{PREFIX}-{year}-{code[:5]}-{code[5:]}"


def normal_reference(typed) -> str | None:
    """A reference as a person may type it (any case, spaces or dashes anywhere, O for 0, I or L for 1), written
    as stored; None when it cannot be one."""
    if not isinstance(typed, str) or len(typed) > 60:
        return None
    raw = re.sub(r"[\s\-_]", "", unicodedata.normalize("NFKC", typed)).upper()
    found = _TYPED_REFERENCE.fullmatch(raw)
    if found is None:
        return None
    code = found.group(2).translate(str.maketrans("OIL", "011"))
    if any(c not in ALPHABET for c in code):
        return None
    return f"{PREFIX}-{found.group(1)}-{code[:5]}-{code[5:]}"


def sender_key(settings, address: str | None) -> str:
    """The keyed hash of a sender's address that ``source_key`` keeps (the address itself is never stored)."""
    return keyed_hash(settings, "public_report.sender", address or "unknown")


def _plain(value) -> str:
    """Form text without invisible control characters (a NUL PostgreSQL refuses, a bell), stripped."""
    return _CONTROL.sub("", value if isinstance(value, str) else "").strip()


def _clean(uow: UnitOfWork, data: ReportInput) -> dict:
    """The report's columns from ``data``, or a FieldError naming the first field at fault."""
    limits = uow.settings.public_reports
    description = _plain(data.description)
    if len(description) < limits.min_description_chars:
        raise FieldError.of("description", "report.description_required", min=limits.min_description_chars)
    clean_text(description, "description", limits.max_description_chars)
    values = {"description": description,
              "enterprise_name": clean_text(_plain(data.enterprise_name), "enterprise_name", MAX_NAME),
              "place": clean_text(_plain(data.place), "place", MAX_NAME), "township_code": None, "contact": None}
    township = _plain(data.township_code)
    if township:
        if uow.session.scalar(select(Township.code).where(Township.code == township)) is None:
            raise FieldError.of("township_code", "report.township_unknown")
        values["township_code"] = township
    contact = _plain(data.contact)
    if contact:
        try:
            values["contact"] = phone_number(contact)
        except CellError:
            raise FieldError.of("contact", "report.phone_invalid", value=contact[:40]) from None
        if len(values["contact"]) > MAX_PHONE:
            raise FieldError.of("contact", "report.phone_invalid", value=contact[:40])
    return values


def _minutes_until(at: dt.datetime) -> int:
    return max(1, math.ceil((at - now_utc()).total_seconds() / 60))


def hold_flood_gate(uow: UnitOfWork, key: str) -> None:
    """Refuse (429, naming the limit) a sender who made the most reports allowed in the last hour or day.

    Counted in the database in this transaction, after taking the sender's lock (services/db/locks.py: on
    PostgreSQL an advisory lock held to the end of the transaction; SQLite's write lock is held from BEGIN)."""
    transaction_lock(uow, f"public_report:{key}")
    limits, now = uow.settings.public_reports, now_utc()
    recent_hour = PublicReport.submitted_at > now - HOUR
    day, hour, first_of_day, first_of_hour = uow.session.execute(
        select(func.count(), func.coalesce(func.sum(case((recent_hour, 1), else_=0)), 0),
               func.min(PublicReport.submitted_at),
               func.min(case((recent_hour, PublicReport.submitted_at), else_=None)))
        .where(PublicReport.source_key == key, PublicReport.submitted_at > now - DAY)).one()
    if hour >= limits.max_per_hour:
        raise TooManyAttempts.of("source", "report.flood_hour", limit=limits.max_per_hour,
                                 minutes=_minutes_until(_aware(first_of_hour) + HOUR))
    if day >= limits.max_per_day:
        raise TooManyAttempts.of("source", "report.flood_day", limit=limits.max_per_day,
                                 minutes=_minutes_until(_aware(first_of_day) + DAY))


def _aware(at) -> dt.datetime:
    """An instant read back through an aggregate (SQLite may hand back text), as aware UTC."""
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    return at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)


def _unique_reference(uow: UnitOfWork, year: int) -> str:
    for _ in range(5):  # 2⁵⁰ codes a year: a clash is all but impossible, and looked for anyway
        reference = new_reference(year)
        if uow.session.scalar(select(PublicReport.id).where(PublicReport.reference == reference)) is None:
            return reference
    raise RuntimeError("no free report reference after five draws")


def submit_report(uow: UnitOfWork, data: ReportInput, *, sender: str | None) -> Submitted:
    """Store a public report from ``sender`` (its network address) and return its reference; all or nothing.

    Checked in this order, each refusal naming its field: the fields, the flood limit (429), the photo."""
    values = _clean(uow, data)
    key = sender_key(uow.settings, sender)
    hold_flood_gate(uow, key)
    photo = check_photo(uow.settings.photos, 1, data.photo, "photo") if data.photo is not None else None
    now = now_utc()
    reference = _unique_reference(uow, to_local(now, uow.settings).year)
    stored = None
    if photo is not None:  # written only now that every check passed; removed again on a rollback
        stored = f"{PHOTO_FOLDER}/{secrets.token_hex(12)}.{photo.extension}"
        write_photo_file(uow.session, photo_root(uow.settings) / stored, photo.upload.data)
    uow.session.add(PublicReport(reference=reference, submitted_at=now, source_key=key, **values, photo_name=stored,
                                 photo_type=photo.content_type if photo else None,
                                 status=vocabulary.REPORT_PENDING, reward_status=vocabulary.REWARD_NONE))
    uow.session.flush()
    audit.record(uow.session, actor=uow.actor, action="submit", entity="public_report", entity_key=reference,
                 detail={"township": values["township_code"], "photo": photo is not None})
    return Submitted(reference, now.isoformat(), photo is not None)


def lookup_report(uow: UnitOfWork, reference) -> PublicOutcome:
    """The outcome of the report ``reference`` names, as the public may read it; 404 for one that names none
    (the same answer for a mistyped reference as for an unknown one)."""
    canonical = normal_reference(reference)
    found = None if canonical is None else uow.session.execute(
        select(PublicReport, HiddenDanger.status).outerjoin(HiddenDanger, HiddenDanger.id == PublicReport.danger_id)
        .where(PublicReport.reference == canonical)).first()
    if found is None:
        raise NotFound.of("reference", "report.not_found")
    report, danger_status = found
    settings = uow.settings
    return PublicOutcome(
        reference=report.reference, submitted_on=to_local(report.submitted_at, settings).date().isoformat(),
        status=report.status,
        verified_on=to_local(report.verified_at, settings).date().isoformat() if report.verified_at else None,
        outcome=report.outcome, danger_status=danger_status, reward_status=report.reward_status,
        reward_yuan=None if report.reward_yuan is None else f"{report.reward_yuan:.2f}")

