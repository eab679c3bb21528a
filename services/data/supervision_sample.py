"""The sample's supervision history (示例数据: data/sample/supervision/, written by data/generate_supervision.py),
loaded in bulk under the rules the supervision services keep.

Why in bulk: through the services each step costs 4-10 ms (row lock, insert, audit, recount; measured on 2 cores),
and the year holds about 24,000 steps (3,568 dangers recorded, rectified, submitted and checked, 2,234 inspections,
3,256 risk points, 5,257 cards): two to four minutes at every first start. Loaded here in one transaction it takes
0.5 s on SQLite and 1.1 s on PostGIS (2 cores, quiet), with the same invariants:

- every value is checked as the services check it (vocabularies; a deadline not before the day found; a 重大
  danger under a 挂牌督办 leader; money through ``money``; risk points graded again by ``grade``; every step dated
  between the day found and today; a danger 已销号 has a passed acceptance check on its closing day, made by another account than the one that
  recorded it): a file that breaks one is refused whole (ValueError), nothing is written;
- codes are made as the services make them (``danger_code``, ``inspection_code``); campaigns are created by
  ``create_campaign`` itself;
- what is derived is derived in SQL as the services do it: the open counts (``recount_all``), the enterprises'
  levels from their risk points (``follow_points``) and the 两单两卡 summaries from the cards (``summary_of``);
- one audit row per table loaded (like an import) besides the campaigns' own;
- every record is marked sample (``is_sample``) where the table has the flag.

Dates: the files hold the reference year (``meta.csv``: reference_date). The whole history moves by whole weeks
(weekdays stay weekdays) so that it ends within the week before today in the deployment's zone: there is always a
year behind the day of seeding, nothing lies in the future, and the dangers open past their deadline are overdue
on that day as they were on the reference date (more become overdue as the days pass).
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from sqlalchemy import delete, exists, func, insert, select, text, update

from services import vocabulary
from services.clock import local_today, local_zone, now_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.models import (
    Campaign,
    DutyCard,
    Enterprise,
    HiddenDanger,
    Inspection,
    Penalty,
    Recheck,
    RiskPoint,
)
from services.supervision.campaigns import SEPARATOR, CampaignInput, create_campaign
from services.supervision.cards import summary_of
from services.supervision.dangers import danger_code, money, recount_all
from services.supervision.inspections import inspection_code
from services.supervision.risk_points import follow_points, grade

FOLDER = "supervision"
RECORD_TABLES = (Inspection, HiddenDanger, Penalty, Campaign, RiskPoint)


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise ValueError(f"supervision sample refused: {what}")


def supervision_folder(uow: UnitOfWork) -> Path | None:
    sample_dir = uow.settings.sample_dir
    folder = Path(sample_dir) / FOLDER if sample_dir is not None else None
    return folder if folder is not None and (folder / "meta.csv").is_file() else None


def needs_supervision_sample(uow: UnitOfWork) -> bool:
    """True when the sample's enterprises are there and no supervision record is: the history belongs to them and
    loads once (a database with records of its own, or loaded before, is left as it is)."""
    if supervision_folder(uow) is None:
        return False
    if not uow.session.scalar(select(exists().where(Enterprise.is_sample.is_(True)))):
        return False
    return not any(uow.session.scalar(select(exists().select_from(t))) for t in RECORD_TABLES)


class _Loader:
    def __init__(self, uow: UnitOfWork, folder: Path) -> None:
        self.uow, self.folder, self.session = uow, folder, uow.session
        meta = {r["key"]: r["value"] for r in _rows(folder, "meta")}
        reference = dt.date.fromisoformat(meta["reference_date"])
        self.today = local_today(uow.settings, now_utc())
        self.offset = dt.timedelta(days=(self.today - reference).days // 7 * 7)
        self.firms = dict(self.session.execute(select(Enterprise.credit_code, Enterprise.id)
                                               .where(Enterprise.is_sample.is_(True))).all())
        self.counts: dict[str, int] = {}

    def day(self, text: str) -> dt.date | None:
        return dt.date.fromisoformat(text) + self.offset if text else None

    def at(self, day: dt.date | None, hour: int) -> dt.datetime | None:
        """The instant ``hour`` o'clock local on ``day`` (never later than now), in UTC."""
        if day is None:
            return None
        local = dt.datetime.combine(day, dt.time(hour), tzinfo=local_zone(self.uow.settings))
        return min(local.astimezone(dt.timezone.utc), now_utc())

    def insert(self, model, rows: list[dict]) -> None:
        """Insert ``rows`` in one executemany (Core: the ORM's bulk insert splits rows by the columns they leave
        empty, thousands of statements on PostgreSQL)."""
        if rows:
            self.session.connection().execute(insert(model.__table__), rows)

    def insert_coded(self, model, rows: list[dict], code_of) -> list[int]:
        """Insert ``rows`` with ids taken beforehand and each its code ``code_of(row, id)`` (one statement, no
        UPDATE after it); returns the ids in the rows' order."""
        table = model.__table__
        if self.uow.dialect == "postgresql":
            ids = sorted(self.session.scalars(text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                                                   "FROM generate_series(1, :n)"), {"t": table.name, "n": len(rows)}))
        else:  # SQLite: after the largest id; the seeding step holds the database's write lock (BEGIN IMMEDIATE)
            first = (self.session.scalar(select(func.max(table.c.id))) or 0) + 1
            ids = list(range(first, first + len(rows)))
        for i, row in zip(ids, rows):
            row.update(id=i, code=code_of(row, i))
        self.insert(model, rows)
        return ids

    def record(self, entity: str, n: int) -> None:
        self.counts[entity] = n
        audit.record(self.session, actor=self.uow.actor, action="import", entity=entity,
                     detail={"rows": n, "sample": True, "source": f"data/sample/{FOLDER}"})

    def campaigns(self) -> dict[str, int]:
        keys = {}
        for r in _rows(self.folder, "campaigns"):
            starts = self.day(r["starts_on"])
            made = create_campaign(self.uow, CampaignInput(
                name=r["name"].replace("{year}", str(starts.year)), sectors=r["sectors"].split(SEPARATOR),
                starts_on=starts, ends_on=self.day(r["ends_on"]), note=r["note"]))
            keys[r["key"]] = made.id
        if keys:
            self.session.execute(update(Campaign).where(Campaign.id.in_(keys.values())).values(is_sample=True))
        self.counts["campaign"] = len(keys)
        return keys

    def inspections(self, campaigns: dict[str, int]) -> dict[str, tuple[int, int]]:
        """Inspection key → (id, enterprise id)."""
        rows, keys = [], []
        for r in _rows(self.folder, "inspections"):
            if r["credit_code"] not in self.firms:
                continue
            on = self.day(r["inspected_on"])
            _require(on <= self.today and r["inspectors"].strip() != "", f"inspection {r['key']}")
            rows.append({"enterprise_id": self.firms[r["credit_code"]], "inspected_on": on, "inspectors": r["inspectors"],
                         "department": r["department"] or None, "items": r["items"].replace("|", "\n") or None,
                         "campaign_id": campaigns[r["campaign"]] if r["campaign"] else None,
                         "created_by": r["created_by"], "created_at": self.at(on, 17), "is_sample": True})
            keys.append(r["key"])
        ids = self.insert_coded(Inspection, rows, lambda r, i: inspection_code(r["inspected_on"], i))
        self.record("inspection", len(ids))
        return {k: (i, r["enterprise_id"]) for k, i, r in zip(keys, ids, rows)}

    def dangers(self, inspections: dict, campaigns: dict[str, int]) -> dict[str, tuple[int, str, dt.date | None]]:
        """Danger key → (id, the account that recorded it, its closing day)."""
        rows, keys = [], []
        for r in _rows(self.folder, "dangers"):
            if r["credit_code"] not in self.firms:
                continue
            rows.append(self._danger(r, inspections, campaigns))
            keys.append(r["key"])
        ids = self.insert_coded(HiddenDanger, rows, lambda r, i: danger_code(r["found_on"], i))
        self.record("hidden_danger", len(ids))
        return {k: (i, r["reported_by"], r["closed_on"]) for k, i, r in zip(keys, ids, rows)}

    def _danger(self, r: dict, inspections: dict, campaigns: dict[str, int]) -> dict:
        what = f"danger {r['key']}"
        found, deadline, closed = self.day(r["found_on"]), self.day(r["deadline"]), self.day(r["closed_on"])
        firm = self.firms[r["credit_code"]]
        _require(r["level"] in vocabulary.DANGER_LEVELS and r["source"] in vocabulary.DANGER_SOURCES, what)
        _require((r["source"] == vocabulary.SOURCE_SELF) == (r["self_check_cycle"] in vocabulary.SELF_CHECK_CYCLES), what)
        _require(r["status"] in vocabulary.DANGER_STATUSES and found <= self.today and deadline >= found, what)
        _require(r["level"] != vocabulary.DANGER_MAJOR or r["supervising_leader"].strip() != "", what)
        _require((r["status"] == vocabulary.DANGER_CLOSED) == (closed is not None), what)
        _require(r["description"].strip() != "" and r["found_by"].strip() != "", what)
        inspection = inspections[r["inspection"]] if r["inspection"] else None
        _require(inspection is None or inspection[1] == firm, what)
        rectifying, submitted = self.day(r["rectifying_on"]), self.day(r["submitted_on"])
        _require(all(d is None or found <= d <= self.today for d in (rectifying, submitted, closed)), what)
        return {"enterprise_id": firm, "level": r["level"], "source": r["source"],
                "self_check_cycle": r["self_check_cycle"] or None,
                "inspection_id": inspection[0] if inspection else None,
                "campaign_id": campaigns[r["campaign"]] if r["campaign"] else None, "found_on": found,
                "found_by": r["found_by"], "description": r["description"], "place": r["place"] or None,
                "responsible_person": r["responsible_person"] or None, "measures": r["measures"] or None,
                "funds_yuan": money(r["funds_yuan"]), "deadline": deadline,
                "supervising_leader": r["supervising_leader"] or None, "status": r["status"],
                "reported_by": r["reported_by"], "created_at": self.at(found, 17),
                "rectifying_at": self.at(rectifying, 10), "submitted_at": self.at(submitted, 15),
                "closed_at": self.at(closed, 16), "closed_on": closed, "reopened_count": int(r["reopened_count"]),
                "is_sample": True}

    def rechecks(self, dangers: dict) -> None:
        rows, closing_checks = [], set()
        for r in _rows(self.folder, "rechecks"):
            if r["danger"] not in dangers:
                continue
            danger_id, reporter, closed = dangers[r["danger"]]
            on, passed = self.day(r["checked_on"]), r["passed"] == "true"
            _require(r["actor"] != reporter and r["checked_by"].strip() != "" and on <= self.today,
                     f"recheck of danger {r['danger']}: by another account than its reporter")
            if passed and on == closed:
                closing_checks.add(r["danger"])
            rows.append({"danger_id": danger_id, "checked_on": on, "checked_by": r["checked_by"], "passed": passed,
                         "note": r["note"] or None, "actor": r["actor"], "created_at": self.at(on, 16)})
        missing = [k for k, (_, _, closed) in dangers.items() if closed is not None and k not in closing_checks]
        _require(not missing, f"dangers closed without a passed check on their closing day: {missing[:5]}")
        self.insert(Recheck, rows)
        self.record("recheck", len(rows))

    def penalties(self, inspections: dict) -> None:
        rows = []
        for r in _rows(self.folder, "penalties"):
            if r["credit_code"] not in self.firms:
                continue
            on = self.day(r["decided_on"])
            fine = r["penalty_type"] == vocabulary.PENALTY_FINE
            amount = money(r["amount_yuan"], "amount_yuan", positive=fine)
            _require(r["penalty_type"] in vocabulary.PENALTY_TYPES and on <= self.today and (amount or not fine),
                     f"penalty {r['decision_no']}")
            inspection = inspections[r["inspection"]] if r["inspection"] else None
            rows.append({"decision_no": r["decision_no"].replace("{year}", str(on.year)),
                         "enterprise_id": self.firms[r["credit_code"]],
                         "inspection_id": inspection[0] if inspection else None, "penalty_type": r["penalty_type"],
                         "amount_yuan": amount, "decided_on": on, "created_by": r["created_by"],
                         "created_at": self.at(on, 17), "is_sample": True})
        self.insert(Penalty, rows)
        self.record("penalty", len(rows))

    def risk_points(self) -> None:
        rows = []
        for r in _rows(self.folder, "risk_points"):
            if r["credit_code"] not in self.firms:
                continue
            exposure = float(r["exposure"]) if r["exposure"] else None
            likelihood, severity = float(r["likelihood"]), float(r["severity"])
            score, level = grade(r["method"], likelihood, severity, exposure)
            _require(level == r["level"] and abs(score - float(r["score"])) < 1e-6
                     and r["kind"] in vocabulary.RISK_POINT_KINDS and r["control_tier"] in vocabulary.CONTROL_TIERS,
                     f"risk point {r['name']} of {r['credit_code']}")
            rows.append({"enterprise_id": self.firms[r["credit_code"]], "name": r["name"], "kind": r["kind"],
                         "method": r["method"], "likelihood": likelihood, "exposure": exposure, "severity": severity,
                         "score": score, "level": level, "measures": r["measures"] or None,
                         "control_tier": r["control_tier"], "responsible_person": r["responsible_person"] or None})
        self.insert(RiskPoint, rows)
        self.record("risk_point", len(rows))
        follow_points(self.uow, sorted({r["enterprise_id"] for r in rows}))

    def cards(self) -> None:
        cards: dict[int, dict[str, tuple[str, dt.date | None]]] = {}
        for r in _rows(self.folder, "duty_cards"):
            if r["credit_code"] in self.firms:
                _require(r["card"] in vocabulary.DUTY_CARDS and r["status"] in vocabulary.CARD_STATUSES,
                         f"card of {r['credit_code']}")
                cards.setdefault(self.firms[r["credit_code"]], {})[r["card"]] = (r["status"], self.day(r["updated_on"]))
        ids = sorted(cards)
        self.session.execute(delete(DutyCard).where(DutyCard.enterprise_id.in_(ids)))
        rows = [{"enterprise_id": firm, "card": card, "status": status, "updated_on": on}
                for firm in ids for card, (status, on) in cards[firm].items()]
        self.insert(DutyCard, rows)
        by_summary: dict[str, list[int]] = {}
        for firm in ids:
            by_summary.setdefault(summary_of(s for s, _ in cards[firm].values()), []).append(firm)
        for summary, firms in by_summary.items():
            self.session.execute(update(Enterprise).where(Enterprise.id.in_(firms)).values(duty_card_status=summary))
        pilots = [self.firms[r["credit_code"]] for r in _rows(self.folder, "duty_pilots") if r["credit_code"] in self.firms]
        if pilots:
            self.session.execute(update(Enterprise).where(Enterprise.id.in_(pilots)).values(duty_pilot=True))
        self.record("duty_card", len(rows))
        self.counts["duty_pilot"] = len(pilots)


def load_supervision_sample(uow: UnitOfWork, folder: Path | None = None) -> dict[str, int]:
    """Load the history into the sample's enterprises (matched by credit code), all or nothing; rows per table."""
    folder = Path(folder) if folder is not None else supervision_folder(uow)
    if folder is None:
        return {}
    loader = _Loader(uow, folder)
    campaigns = loader.campaigns()
    inspections = loader.inspections(campaigns)
    dangers = loader.dangers(inspections, campaigns)
    loader.rechecks(dangers)
    loader.penalties(inspections)
    loader.risk_points()
    loader.cards()
    recount_all(uow, sorted(loader.firms.values()))
    return loader.counts
