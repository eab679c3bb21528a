"""Work-safety supervision (安全监管): risk points, hidden dangers, inspections, penalties, rechecks, public reports
and campaigns of the enterprises under supervision (issue 14).

Dates a person writes (found on, deadline, inspected on) are local calendar dates of the deployment's zone
(Asia/Shanghai); instants (created, closed) are UTC. Money is an exact decimal in yuan.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services import vocabulary
from services.db import Base, UTCDateTime
from services.models.common import _one_of, utcnow
from services.models.field import PHOTO_TYPES

YUAN = Numeric(14, 2)


class RiskPoint(Base):
    """风险点: a site, piece of equipment or activity of an enterprise, graded by LS (L × S) or LEC (L × E × C).

    ``likelihood`` is L, ``severity`` is S (LS) or C (LEC), ``exposure`` is E (LEC only); ``score`` is their
    product and ``level`` its grade (services/supervision/risk_points.py documents the scales and thresholds).
    """

    __tablename__ = "risk_point"
    __table_args__ = (
        _one_of("kind", vocabulary.RISK_POINT_KINDS),
        _one_of("method", vocabulary.RISK_METHODS),
        _one_of("level", vocabulary.RISK_LEVELS),
        _one_of("control_tier", vocabulary.CONTROL_TIERS),
        CheckConstraint("(method = 'LS') = (exposure IS NULL)", name="exposure_for_lec_only"),
        CheckConstraint("likelihood > 0 AND severity > 0 AND score > 0", name="factors_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(4))
    likelihood: Mapped[float] = mapped_column(Float)
    exposure: Mapped[float | None] = mapped_column(Float)
    severity: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    level: Mapped[str] = mapped_column(String(4))
    measures: Mapped[str | None] = mapped_column(Text)
    control_tier: Mapped[str] = mapped_column(String(4))
    responsible_person: Mapped[str | None] = mapped_column(String(50))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Campaign(Base):
    """专项整治: a named campaign over some sectors for a period, with its target enterprises."""

    __tablename__ = "campaign"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="period_ordered"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    sectors: Mapped[str] = mapped_column(String(200))  # sector names joined by "、" (vocabulary.ENTERPRISE_SECTORS)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)


class CampaignTarget(Base):
    __tablename__ = "campaign_target"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True,
                                               index=True)


class Inspection(Base):
    """检查诊断: one inspection of an enterprise — when, by whom, what was checked; its findings are hidden dangers."""

    __tablename__ = "inspection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str | None] = mapped_column(String(30), unique=True)  # JC-2026-000123, from the id
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    inspected_on: Mapped[dt.date] = mapped_column(Date, index=True)
    inspectors: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(100))
    items: Mapped[str | None] = mapped_column(Text)  # the items checked, one per line
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # indexed: "are sample records counted" (rankings, bulletins) is an EXISTS that must not scan the table
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


class HiddenDanger(Base):
    """隐患: found (how, when, by whom), rectified (who, measures, funds, deadline) and closed off (销号) only by an
    acceptance check (``Recheck``) made by someone other than its reporter. 重大 dangers are 挂牌督办 under a
    supervising leader. ``status`` moves 待整改 → 整改中 → 待验收 → 已销号 (services/supervision/dangers.py)."""

    __tablename__ = "hidden_danger"
    __table_args__ = (
        _one_of("level", vocabulary.DANGER_LEVELS),
        _one_of("source", vocabulary.DANGER_SOURCES),
        _one_of("status", vocabulary.DANGER_STATUSES),
        CheckConstraint("self_check_cycle IS NULL OR " + _one_of("self_check_cycle", vocabulary.SELF_CHECK_CYCLES)
                        .sqltext.text, name="self_check_cycle_allowed"),
        CheckConstraint("deadline >= found_on", name="deadline_after_found"),
        CheckConstraint("funds_yuan IS NULL OR funds_yuan >= 0", name="funds_non_negative"),
        CheckConstraint(f"(status = '{vocabulary.DANGER_CLOSED}') = (closed_at IS NOT NULL)", name="closed_when_closed"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str | None] = mapped_column(String(30), unique=True)  # YH-2026-000123, from the id
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(4))
    source: Mapped[str] = mapped_column(String(8), index=True)
    self_check_cycle: Mapped[str | None] = mapped_column(String(2))
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id", ondelete="SET NULL"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"), index=True)
    found_on: Mapped[dt.date] = mapped_column(Date, index=True)
    found_by: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(200))
    responsible_person: Mapped[str | None] = mapped_column(String(50))
    measures: Mapped[str | None] = mapped_column(Text)
    funds_yuan: Mapped[Decimal | None] = mapped_column(YUAN)
    deadline: Mapped[dt.date] = mapped_column(Date, index=True)
    supervising_leader: Mapped[str | None] = mapped_column(String(50))  # 挂牌督办 (重大隐患)
    status: Mapped[str] = mapped_column(String(4), index=True, default=vocabulary.DANGER_PENDING)
    reported_by: Mapped[str] = mapped_column(String(80))  # the account that recorded it (not its acceptor)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rectifying_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)  # the local date it was closed off
    reopened_count: Mapped[int] = mapped_column(Integer, default=0)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


class Recheck(Base):
    """整改复查 / 验收: a check of one danger's rectification; passed closes it off, failed sends it back."""

    __tablename__ = "recheck"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    danger_id: Mapped[int] = mapped_column(ForeignKey("hidden_danger.id", ondelete="CASCADE"), index=True)
    checked_on: Mapped[dt.date] = mapped_column(Date)
    checked_by: Mapped[str] = mapped_column(String(100))
    passed: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Penalty(Base):
    """行政处罚: a decision (number, type, amount, date) on an enterprise, usually after an inspection."""

    __tablename__ = "penalty"
    __table_args__ = (
        _one_of("penalty_type", vocabulary.PENALTY_TYPES),
        CheckConstraint("amount_yuan IS NULL OR amount_yuan >= 0", name="amount_non_negative"),
        CheckConstraint(f"penalty_type <> '{vocabulary.PENALTY_FINE}' OR amount_yuan > 0", name="fine_has_amount"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_no: Mapped[str] = mapped_column(String(60), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id", ondelete="SET NULL"), index=True)
    penalty_type: Mapped[str] = mapped_column(String(12))
    amount_yuan: Mapped[Decimal | None] = mapped_column(YUAN)
    decided_on: Mapped[dt.date] = mapped_column(Date, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


class PublicReport(Base):
    """有奖举报: a report from the public (no account), verified by staff; a true one becomes a hidden danger.

    ``reference`` is what the reporter keeps to look the outcome up (a random part: not guessable from another);
    ``source_key`` is a keyed hash of the sender's address, kept for rate limiting only; ``outcome`` is the answer
    the reporter reads. A reward (待发放, 已发放) is for a true report only and always has its amount.
    """

    __tablename__ = "public_report"
    __table_args__ = (
        _one_of("status", vocabulary.REPORT_STATUSES),
        _one_of("reward_status", vocabulary.REWARD_STATUSES),
        CheckConstraint("reward_yuan IS NULL OR reward_yuan >= 0", name="reward_non_negative"),
        CheckConstraint("photo_type IS NULL OR " + _one_of("photo_type", PHOTO_TYPES).sqltext.text,
                        name="photo_type_allowed"),
        CheckConstraint("(photo_name IS NULL) = (photo_type IS NULL)", name="photo_complete"),
        CheckConstraint(f"reward_status = '{vocabulary.REWARD_NONE}' OR status = '{vocabulary.REPORT_TRUE}'",
                        name="reward_for_true_reports"),
        CheckConstraint(f"(reward_status = '{vocabulary.REWARD_NONE}') = (reward_yuan IS NULL)",
                        name="reward_has_amount"),
        CheckConstraint(f"(status = '{vocabulary.REPORT_PENDING}') = (verified_at IS NULL)",
                        name="verified_when_verified"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    source_key: Mapped[str] = mapped_column(String(64), index=True)
    township_code: Mapped[str | None] = mapped_column(ForeignKey("township.code"), index=True)
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id", ondelete="SET NULL"))
    place: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(60))
    photo_name: Mapped[str | None] = mapped_column(String(120))  # under instance/photos/ (services/field/photos.py)
    photo_type: Mapped[str | None] = mapped_column(String(20))   # what decoding the photo found
    status: Mapped[str] = mapped_column(String(4), default=vocabulary.REPORT_PENDING, index=True)
    verified_by: Mapped[str | None] = mapped_column(String(80))
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(Text)
    danger_id: Mapped[int | None] = mapped_column(ForeignKey("hidden_danger.id", ondelete="SET NULL"))
    reward_status: Mapped[str] = mapped_column(String(4), default=vocabulary.REWARD_NONE)
    reward_yuan: Mapped[Decimal | None] = mapped_column(YUAN)


class DutyCard(Base):
    """One of an enterprise's four 两单两卡 (一线责任制) and how far it has got: 未编制 → 已编制 → 已培训 → 已应用."""

    __tablename__ = "duty_card"
    __table_args__ = (
        _one_of("card", vocabulary.DUTY_CARDS),
        _one_of("status", vocabulary.CARD_STATUSES),
        UniqueConstraint("enterprise_id", "card", name="uq_duty_card"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    card: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(4))
    updated_on: Mapped[dt.date | None] = mapped_column(Date)
