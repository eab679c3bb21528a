"""专项整治 campaigns (issue 14, point 7): creation (name unique in the database, sectors, period, targets),
progress counted by hand (inspected within the period, dangers found in it all closed), township scope and a
race for one name; both back-ends."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from services import vocabulary
from services.accounts.permissions import Principal
from services.data.imports import import_file
from services.db import get_engine
from services.errors import Conflict, FieldError, Forbidden
from services.supervision import campaigns as C
from services.supervision import dangers as D
from tests.conftest import call, call_as, csv_for, read
from tests.services.test_concurrency import race, scalar
from tests.services.test_imports import enterprise_row

CHENGDONG = "500114001"
GAS = "燃气安全专项整治"
# name → (sector, category, township)
FIRMS = {"G1": ("燃气", "燃气经营", "城西街道"), "G2": ("燃气", "天然气餐饮", "城西街道"),
         "G3": ("燃气", "液化气餐饮", "城东街道"), "O1": ("成品油", "加油站", "城西街道"),
         "W1": ("工贸", "建材", "城西街道")}
SEATS = {"城西街道": ("108.7748", "29.5328"), "城东街道": ("108.7869", "29.5251")}
D0, D1 = dt.date(2026, 4, 1), dt.date(2026, 9, 30)


@pytest.fixture
def firms(fresh):
    rows = [enterprise_row(k, **{"企业名称": f"企业{name}", "行业": sector, "类别": category, "乡镇街道": town,
                                 "规模": "其他", "经度": SEATS[town][0], "纬度": SEATS[town][1]})
            for k, (name, (sector, category, town)) in enumerate(FIRMS.items(), 1)]
    call(fresh, import_file, "enterprises", csv_for("enterprises", rows), "e.csv")
    with get_engine(fresh.database_url).connect() as conn:
        ids = {name[2:]: i for name, i in conn.execute(text("SELECT name, id FROM enterprise")).all()}
    return fresh, ids


def _campaign(name=GAS, sectors=("燃气",), starts_on=D0, ends_on=D1, **kwargs) -> C.CampaignInput:
    return C.CampaignInput(name=name, sectors=sectors, starts_on=starts_on, ends_on=ends_on, **kwargs)


def _inspect(settings, enterprise_id: int, on: dt.date, campaign_id: int | None = None) -> None:
    with get_engine(settings.database_url).begin() as conn:
        conn.execute(text("INSERT INTO inspection (enterprise_id, inspected_on, inspectors, campaign_id, created_by, "
                          "created_at, is_sample) VALUES (:e, :on, :who, :c, :by, :at, :s)"),
                     {"e": enterprise_id, "on": on, "who": "张三、李四", "c": campaign_id, "by": "inspector",
                      "at": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), "s": False})


def _danger(settings, enterprise_id: int, found_on: dt.date, *, closed: bool) -> int:
    row = call(settings, D.record_danger, D.DangerInput(
        enterprise_id=enterprise_id, level=vocabulary.DANGER_ORDINARY, source=vocabulary.SOURCE_INSPECTION,
        description="软管老化", found_on=found_on, found_by="应急局 张三", deadline=found_on + dt.timedelta(days=20)),
        actor="inspector")
    if closed:
        call(settings, D.submit_for_acceptance, row.id, actor="inspector")
        call(settings, D.accept_check, row.id, passed=True, checked_by="李四", checked_on=found_on + dt.timedelta(days=5),
             actor="chief")
    return row.id


@pytest.fixture
def gas(firms):
    """The gas campaign over 2026-04-01..09-30 with its inspections and dangers inside and outside the period."""
    settings, ids = firms
    campaign = call(settings, C.create_campaign, _campaign(note="城区燃气"), actor="planner")
    _inspect(settings, ids["G1"], dt.date(2026, 5, 10), campaign.id)   # in the period, naming the campaign
    _inspect(settings, ids["G2"], dt.date(2026, 3, 20))                # before it
    _inspect(settings, ids["G2"], dt.date(2026, 10, 5))                # after it
    _inspect(settings, ids["G3"], D1)                                  # its last day, not naming it: counts
    _inspect(settings, ids["O1"], dt.date(2026, 5, 1))                 # no target
    _danger(settings, ids["G1"], dt.date(2026, 5, 10), closed=True)
    _danger(settings, ids["G1"], dt.date(2026, 6, 1), closed=False)    # G1: not all closed
    _danger(settings, ids["G3"], D1, closed=True)                      # G3: all closed
    _danger(settings, ids["G2"], dt.date(2026, 3, 25), closed=False)   # before the period: not counted
    return settings, ids, campaign.id


def test_progress_counted_by_hand(gas):
    settings, ids, campaign_id = gas
    p = read(settings, C.campaign_progress, campaign_id)
    assert (p.name, p.sectors, p.starts_on, p.ends_on, p.state) == (GAS, ["燃气"], "2026-04-01", "2026-09-30", "ended")
    assert (p.targets, p.inspected, p.inspected_share) == (3, 2, 0.6667)     # G1, G3 of G1 G2 G3
    assert (p.targets_with_dangers, p.targets_all_closed, p.closed_share) == (2, 1, 0.5)  # G1, G3; G3
    assert (p.dangers_found, p.dangers_closed) == (3, 2)
    total, rows = read(settings, C.uninspected_targets, campaign_id)
    assert total == 1 and [r.enterprise_id for r in rows] == [ids["G2"]]
    total, rows = read(settings, C.campaign_targets, campaign_id)
    assert total == 3 and rows[0].enterprise_id == ids["G2"]  # not yet inspected first
    by_id = {r.enterprise_id: r for r in rows}
    g1 = by_id[ids["G1"]]
    assert (g1.inspected, g1.inspections, g1.last_inspected_on, g1.dangers_found, g1.dangers_open) == \
        (True, 1, "2026-05-10", 2, 1)
    assert (by_id[ids["G2"]].inspections, by_id[ids["G2"]].dangers_found) == (0, 0)
    assert [c.id for c in read(settings, C.list_campaigns)] == [campaign_id]


def test_township_staff_see_their_targets(gas):
    settings, ids, campaign_id = gas
    staff = Principal(99, "t-cd", "t-cd", "township", CHENGDONG)
    p = call_as(settings, staff, C.campaign_progress, campaign_id, write=False)
    assert (p.targets, p.inspected, p.targets_with_dangers, p.targets_all_closed) == (1, 1, 1, 1)  # G3
    total, rows = call_as(settings, staff, C.campaign_targets, campaign_id, write=False)
    assert total == 1 and rows[0].enterprise_id == ids["G3"]
    with pytest.raises(Forbidden):
        call_as(settings, staff, C.create_campaign, _campaign(name="其他"))


def test_explicit_targets_and_refusals(firms):
    settings, ids = firms
    both = call(settings, C.create_campaign, _campaign(name="油气", sectors=("燃气", "成品油"),
                                                       enterprise_ids=[ids["O1"], ids["G2"], ids["O1"]]))
    assert both.targets == 2 and both.sectors == ["成品油", "燃气"]  # the vocabulary's order
    assert scalar(settings, "SELECT count(*) FROM campaign_target WHERE campaign_id = :c", c=both.id) == 2
    refusals = [
        (_campaign(name="x", enterprise_ids=[ids["W1"]]), "campaign.target_other_sector"),
        (_campaign(name="x", enterprise_ids=[999999]), "campaign.target_missing"),
        (_campaign(name="x", enterprise_ids=[]), "campaign.no_targets"),
        (_campaign(name="x", sectors=("再生资源",)), "campaign.no_targets"),
        (_campaign(name="x", sectors=()), "campaign.sectors_required"),
        (_campaign(name="x", sectors=("交通运输",)), "supervision.one_of"),
        (_campaign(name="x", ends_on=D0 - dt.timedelta(days=1)), "campaign.period_reversed"),
        (_campaign(name="  "), "supervision.required"),
    ]
    for data, code in refusals:
        with pytest.raises(FieldError) as refused:
            call(settings, C.create_campaign, data)
        assert refused.value.code == code, data
    assert scalar(settings, "SELECT count(*) FROM campaign") == 1
    with pytest.raises(FieldError):
        read(settings, C.campaign_targets, both.id, only="some")
    with pytest.raises(FieldError) as missing:
        read(settings, C.campaign_progress, 999999)
    assert missing.value.status == 404


def test_a_name_taken_is_a_conflict_and_nothing_is_written(gas):
    settings, _, _ = gas
    audits = scalar(settings, "SELECT count(*) FROM audit_log")
    with pytest.raises(Conflict) as taken:
        call(settings, C.create_campaign, _campaign(sectors=("成品油",)))
    assert taken.value.code == "campaign.name_taken"
    assert scalar(settings, "SELECT count(*) FROM campaign") == 1
    assert scalar(settings, "SELECT count(*) FROM campaign_target") == 3
    assert scalar(settings, "SELECT count(*) FROM audit_log") == audits
    row = scalar(settings, "SELECT detail FROM audit_log WHERE entity = 'campaign' AND action = 'create'")
    assert '"targets": 3' in row


def test_concurrent_creations_of_one_name_give_one_campaign(firms):
    settings, _ = firms
    outcomes = race(8, lambda i: call(settings, C.create_campaign, _campaign(name="同名整治"), actor=f"p{i}").id)
    assert sum(1 for kind, _ in outcomes if kind == "ok") == 1
    assert all(o.code == "campaign.name_taken" for kind, o in outcomes if kind == "refused")
    assert scalar(settings, "SELECT count(*) FROM campaign") == 1
    assert scalar(settings, "SELECT count(*) FROM campaign_target") == 3
    assert scalar(settings, "SELECT count(*) FROM audit_log WHERE entity = 'campaign'") == 1
