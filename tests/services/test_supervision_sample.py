"""The sample's supervision history (data/generate_supervision.py → data/sample/supervision/, loaded by
services/data/supervision_sample.py): reproducible, in every state, and loaded under the services' invariants on
both back-ends (open counts derived, closed dangers accepted by another account, levels following the points)."""
from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from services import vocabulary
from services.data.seed import setup_database
from services.data.supervision_sample import load_supervision_sample
from services.db import get_engine
from services.supervision import campaigns as C
from services.supervision import milestones as M
from services.supervision.dangers import list_dangers
from services.supervision.rankings import major_overdue
from services.supervision.risk_points import grade
from tests.conftest import BACKENDS, call, prepared, read, shanghai_today

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "data" / "sample" / "supervision"
REFERENCE = dt.date(2026, 11, 25)
TABLES = ("inspection", "hidden_danger", "recheck", "penalty", "risk_point", "campaign_target", "campaign")


def _generator():
    spec = importlib.util.spec_from_file_location("generate_supervision", ROOT / "data" / "generate_supervision.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _sql(settings, statement: str, **params) -> list:
    with get_engine(settings.database_url).connect() as conn:
        return conn.execute(text(statement), params).all()


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("supervision")
    _generator().generate(out)
    return out


def test_generation_is_deterministic_and_committed(generated, tmp_path):
    _generator().generate(tmp_path)
    names = sorted(p.name for p in generated.glob("*.csv"))
    assert names == sorted(p.name for p in COMMITTED.glob("*.csv")) and len(names) == 9
    for name in names:
        assert (tmp_path / name).read_bytes() == (generated / name).read_bytes(), name
        assert (COMMITTED / name).read_bytes() == (generated / name).read_bytes(), \
            f"data/sample/supervision/{name} is stale: run python data/generate_supervision.py"


def test_the_files_hold_every_state_overdue_and_major_dangers(generated):
    dangers = _rows(generated, "dangers")
    assert set(Counter(d["status"] for d in dangers)) == set(vocabulary.DANGER_STATUSES)
    assert set(d["source"] for d in dangers) == set(vocabulary.DANGER_SOURCES)
    open_ = [d for d in dangers if d["status"] in vocabulary.DANGER_OPEN_STATUSES]
    overdue = [d for d in open_ if dt.date.fromisoformat(d["deadline"]) < REFERENCE]
    assert 0 < len(overdue) < len(open_) < len(dangers) / 4
    majors = [d for d in dangers if d["level"] == vocabulary.DANGER_MAJOR]
    assert 5 <= len(majors) <= 60 and all(d["supervising_leader"] for d in majors)
    assert any(d in overdue for d in majors)
    assert max(d["found_on"] for d in dangers) <= REFERENCE.isoformat() <= max(d["deadline"] for d in dangers)
    assert all(d["deadline"] >= d["found_on"] for d in dangers)


def test_closed_dangers_were_accepted_by_another_account(generated):
    dangers = {d["key"]: d for d in _rows(generated, "dangers")}
    passed = {}
    for r in _rows(generated, "rechecks"):
        assert r["actor"] != dangers[r["danger"]]["reported_by"]
        if r["passed"] == "true":
            passed.setdefault(r["danger"], set()).add(r["checked_on"])
    for key, d in dangers.items():
        if d["status"] == "已销号":
            assert d["closed_on"] in passed.get(key, ()), key


def test_penalties_have_unique_numbers_and_exact_amounts(generated):
    penalties = _rows(generated, "penalties")
    numbers = [p["decision_no"] for p in penalties]
    assert len(numbers) == len(set(numbers)) and all("〔{year}〕" in n and n.endswith("号") for n in numbers)
    for p in penalties:
        assert p["penalty_type"] in vocabulary.PENALTY_TYPES
        if p["penalty_type"] == vocabulary.PENALTY_FINE:
            assert Decimal(p["amount_yuan"]) > 0
        if p["amount_yuan"]:
            assert Decimal(p["amount_yuan"]) == Decimal(p["amount_yuan"]).quantize(Decimal("0.01"))


def test_risk_points_are_graded_by_the_service_and_keep_the_stated_level(generated):
    stated = {r["统一社会信用代码"]: r["风险等级"] for r in _rows(ROOT / "data" / "sample", "enterprises")}
    highest: dict[str, int] = {}
    for p in _rows(generated, "risk_points"):
        exposure = float(p["exposure"]) if p["exposure"] else None
        score, level = grade(p["method"], float(p["likelihood"]), float(p["severity"]), exposure)
        assert (level, score) == (p["level"], float(p["score"]))
        rank = vocabulary.RISK_LEVELS.index(level)
        highest[p["credit_code"]] = min(rank, highest.get(p["credit_code"], rank))
    assert {c: vocabulary.RISK_LEVELS[r] for c, r in highest.items()} == stated


# -- loaded: the shared seeded database of each back-end -----------------------------------------------------------

def test_the_open_count_is_the_open_dangers_of_every_enterprise(seeded):
    wrong = _sql(seeded, "SELECT e.id, e.open_hidden_dangers, (SELECT count(*) FROM hidden_danger d WHERE "
                         "d.enterprise_id = e.id AND d.status IN ('待整改', '整改中', '待验收')) AS n "
                         "FROM enterprise e")
    assert [r for r in wrong if r[1] != r[2]] == []
    assert sum(r[1] for r in wrong) > 100


def test_no_closed_danger_lacks_a_passed_check_by_another_person(seeded):
    lacking = _sql(seeded, "SELECT d.code FROM hidden_danger d WHERE d.status = '已销号' AND NOT EXISTS (SELECT 1 "
                           "FROM recheck r WHERE r.danger_id = d.id AND r.passed AND r.actor <> d.reported_by "
                           "AND r.checked_on = d.closed_on)")
    assert lacking == []
    assert _sql(seeded, "SELECT count(*) FROM recheck r JOIN hidden_danger d ON d.id = r.danger_id "
                        "WHERE r.actor = d.reported_by")[0][0] == 0


def test_the_history_ends_by_today_with_overdue_and_major_dangers(seeded):
    today = shanghai_today()
    last, first = _sql(seeded, "SELECT max(inspected_on), min(inspected_on) FROM inspection")[0]
    last, first = (dt.date.fromisoformat(str(v)[:10]) for v in (last, first))
    assert today - dt.timedelta(days=14) < last <= today and (last - first).days > 300
    assert {r[0] for r in _sql(seeded, "SELECT DISTINCT status FROM hidden_danger")} == set(vocabulary.DANGER_STATUSES)
    overdue, _ = read(seeded, list_dangers, status="overdue", limit=1)
    majors, _ = read(seeded, major_overdue, today.strftime("%Y-%m"))
    assert overdue > 50 and majors >= 1
    assert _sql(seeded, "SELECT count(*) FROM hidden_danger WHERE NOT is_sample")[0][0] == 0
    numbers = [r[0] for r in _sql(seeded, "SELECT decision_no FROM penalty")]
    assert numbers and not any("{" in n for n in numbers) and len(set(numbers)) == len(numbers)


def test_levels_follow_the_points_and_stay_as_stated(seeded):
    stated = {r["统一社会信用代码"]: r["风险等级"] for r in _rows(ROOT / "data" / "sample", "enterprises")}
    assert dict(_sql(seeded, "SELECT credit_code, risk_level FROM enterprise WHERE is_sample")) == stated


def test_milestone_progress_shows_laggard_sectors(seeded):
    progress = read(seeded, M.progress)
    above = next(m for m in progress.milestones if m.milestone == "above_size")
    shares = {s.sector: s.share for s in above.sectors if s.required}
    assert sorted(s for s, v in shares.items() if v < 0.7) == ["人员密集场所", "再生资源", "建筑施工"]
    assert all(shares[s] >= 0.8 for s in ("危险化学品", "成品油", "燃气", "非煤矿山"))
    pilots = next(m for m in progress.milestones if m.milestone == "pilots")
    assert pilots.required > 50 and pilots.behind > 0
    summaries = _sql(seeded, "SELECT e.duty_card_status, (SELECT count(*) FROM duty_card c WHERE c.enterprise_id = e.id "
                             "AND c.status = '已应用') FROM enterprise e")
    assert all((s == "已完成") == (n == 4) for s, n in summaries)


def test_the_campaigns_show_their_progress(seeded):
    campaigns = read(seeded, C.list_campaigns)
    assert len(campaigns) == 3 and all(c.name.startswith(c.starts_on[:4]) for c in campaigns)
    assert {c.state for c in campaigns} >= {"ended", "ongoing"}
    assert all(c.targets > 0 and 0.4 < c.inspected_share < 1 and c.dangers_found > 0 for c in campaigns)
    assert _sql(seeded, "SELECT count(*) FROM campaign WHERE NOT is_sample")[0][0] == 0


# -- seeding: once, idempotent, all or nothing ---------------------------------------------------------------------

@pytest.fixture(params=BACKENDS)
def copy(request, tmp_path, tmp_path_factory):
    """A writable copy of the seeded template (the sample with its history)."""
    from tests.conftest import _cleanup
    settings = prepared(request.param, tmp_path, tmp_path_factory, with_sample=True)
    yield settings
    _cleanup(settings)


def _counts(settings) -> dict[str, int]:
    return {t: _sql(settings, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def _empty(settings) -> None:
    with get_engine(settings.database_url).begin() as conn:
        for table in TABLES:
            conn.execute(text(f"DELETE FROM {table}"))


def test_seeding_again_adds_nothing_and_a_database_without_history_gets_it(copy):
    before = _counts(copy)
    assert before["hidden_danger"] > 1000 and before["campaign"] == 3
    assert setup_database(copy, with_sample=True).supervision_rows is None
    assert _counts(copy) == before
    _empty(copy)  # as a database seeded before the history existed
    report = setup_database(copy, with_sample=True)
    assert report.supervision_rows["hidden_danger"] == before["hidden_danger"] and _counts(copy) == before
    assert setup_database(copy, with_sample=False).supervision_rows is None


def test_a_broken_file_is_refused_whole(copy, tmp_path):
    _empty(copy)
    broken = tmp_path / "supervision"
    shutil.copytree(COMMITTED, broken)
    rows = _rows(broken, "rechecks")
    reporter = {d["key"]: d["reported_by"] for d in _rows(broken, "dangers")}
    rows[-1]["actor"] = reporter[rows[-1]["danger"]]  # the reporter accepting their own danger
    with (broken / "rechecks.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ValueError, match="another account"):
        call(copy, load_supervision_sample, broken, actor="seed")
    assert set(_counts(copy).values()) == {0}
