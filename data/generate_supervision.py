"""Generate the SYNTHETIC supervision history (示例数据) of the sample enterprises into data/sample/supervision/.

A year of 安全监管 for the enterprises of data/sample/enterprises.csv, from 1 January to the sample's reference
date (``generate_sample.REFERENCE_DATE``, 2026-11-25): inspections (检查诊断) with their findings, hidden dangers
(隐患) in every state with their acceptance checks (整改复查 / 验收), penalty decisions (行政处罚), risk points
(风险点), the 两单两卡 cards with the 一线责任制 pilots, and three 专项整治 campaigns. Every name, person,
account and finding is invented (the phrases of findings, items checked and risk points come from
data/supervision_phrases.csv). Deterministic: one ``numpy.random.default_rng(SEED)``, no clock, no network;
UTF-8 with BOM, ``\\n`` line ends. Usage: ``python data/generate_supervision.py [--out DIR]``.

The files hold the dates of the reference year; services/data/supervision_sample.py moves the whole history by
whole weeks so that it ends within the week before the day it is seeded (README of data/sample/).

- Calendar: department inspections on working days (Monday-Friday, without the approximate holidays of
  HOLIDAYS), more in March, June (安全生产月) and November; 企业自查 on any day.
- Inspections: per enterprise Poisson with a mean by its risk level (重大 6, 较大 3, 一般 1.2, 低 0.5) by the
  sector's department (DEPARTMENTS / SECTOR_DEPARTMENTS) or, for a quarter of those outside the key sectors, the
  township's 应急办; plus the campaigns' inspections of their targets within their periods. Findings per
  inspection Poisson (0.6-1.6 by risk level), each 重大 with p 1.2 % (high-hazard sectors) or 0.4 %.
- Dangers also from 企业自查 (日/周/月: 2 a year per 规上/限上/资质以上 enterprise, 0.4 for the others) and 40
  群众举报. Deadline 3-45 days (重大 30-90, under a 挂牌督办 leader). Each danger's fate: closed in time, closed
  late, or stalled (p by sector, STALL: 再生资源 and 人员密集场所 lag); 8 % fail their first acceptance check; 0.4 % of
  those closed come back (reopened). Events after the reference date are cut, so the last weeks' dangers are
  open in every state, and the stalled and late ones are overdue.
- Acceptance checks by another account than the one that recorded the danger: a department's findings are
  recorded by its account ``sample-<dept>-1`` and accepted by ``sample-<dept>-2``; 企业自查 (``sample-firm-<code>``),
  township (``sample-town-<code>``) and hotline (``sample-hotline``) records are accepted by the sector's department.
- Penalties: p 6 % per inspection with findings (+3 % per further finding, 50 % with a 重大 one); 罚款 in whole
  hundreds of yuan, 没收违法所得 with cents; numbered per department and year in decision order,
  ``黔江应急罚〔{year}〕12号`` (``{year}`` is filled in from the decision date when seeded).
- Risk points: 1-6 per enterprise by risk level, graded with services/supervision/risk_points.py ``grade`` (LEC
  for industry, LS otherwise); the highest point is at the enterprise's stated level, so the level stays.
- 两单两卡: from the stated summary, key sectors mostly complete their cards during the year (UP), while 建筑施工,
  再生资源 and 人员密集场所 fall behind (checks set cards back, DOWN); 一线责任制 pilots are 16 % of the
  规上/限上/资质以上 enterprises of the pilot sectors and 5 % of the others. The enterprise's summary then follows its cards.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from config_milestones import DUTY_KEY_SECTORS, DUTY_PILOT_SECTORS  # noqa: E402
from services import vocabulary  # noqa: E402
from services.data.specs import SPECS  # noqa: E402
from services.supervision.risk_points import LEC_C, LEC_E, LEC_L, LS_SCALE, grade  # noqa: E402

_spec = importlib.util.spec_from_file_location("generate_sample", ROOT / "data" / "generate_sample.py")
sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample)

SEED = 20261127
REFERENCE_DATE = sample.REFERENCE_DATE
YEAR_START = dt.date(REFERENCE_DATE.year, 1, 1)
DEFAULT_OUT = ROOT / "data" / "sample" / "supervision"
HOLIDAYS = {dt.date(2026, 1, 1) + dt.timedelta(days=k) for k in range(3)} | \
    {dt.date(2026, 2, 15) + dt.timedelta(days=k) for k in range(9)} | \
    {dt.date(2026, 5, 1) + dt.timedelta(days=k) for k in range(5)} | \
    {dt.date(2026, 10, 1) + dt.timedelta(days=k) for k in range(8)}
MONTH_WEIGHT = (0, .8, .5, 1.2, 1.0, 1.0, 1.5, .9, .8, 1.1, .9, 1.3, 1.0)
INSPECTION_RATE = {"重大": 6.0, "较大": 3.0, "一般": 1.2, "低": 0.5}
FINDING_MEAN = {"重大": 1.6, "较大": 1.2, "一般": 0.9, "低": 0.6}
POINTS = {"重大": (4, 6), "较大": (3, 5), "一般": (2, 3), "低": (1, 2)}
HIGH_HAZARD = ("危险化学品", "非煤矿山", "成品油", "燃气")
STALL = {"再生资源": (.08, .18), "人员密集场所": (.07, .15), "建筑施工": (.05, .14)}  # (stalled, late)
UP = {"危险化学品": .8, "成品油": .8, "燃气": .75, "非煤矿山": .9, "工贸": .45, "人员密集场所": .1}
DOWN = {"建筑施工": .35, "再生资源": .45, "人员密集场所": .15}
PILOT_DONE = {"人员密集场所": .7, "建筑施工": .8}
LEC_SECTORS = ("危险化学品", "非煤矿山", "成品油", "工贸", "建筑施工")

DEPARTMENTS = {"yjj": ("区应急管理局", "黔江应急罚"), "sww": ("区商务委员会", "黔江商务罚"),
               "cgj": ("区城市管理局", "黔江城管罚"), "zjw": ("区住房和城乡建设委员会", "黔江建罚"),
               "xf": ("区消防救援支队", "黔江消行罚"), "sjj": ("区市场监督管理局", "黔江市监罚"),
               "ghj": ("区规划和自然资源局", "黔江规资罚")}
SECTOR_DEPARTMENTS = {"危险化学品": {"yjj": 1}, "成品油": {"sww": .5, "yjj": .5}, "燃气": {"cgj": .8, "yjj": .2},
                      "非煤矿山": {"ghj": .4, "yjj": .6}, "工贸": {"yjj": 1}, "建筑施工": {"zjw": 1},
                      "人员密集场所": {"xf": .5, "sjj": .3, "sww": .2}, "再生资源": {"sww": .7, "yjj": .3}}
CAMPAIGNS = (  # key, name ({year}: of its start), sectors, period, share of targets inspected by the reference date
    ("gas", "{year}年燃气安全专项整治", ("燃气",), (3, 16), (6, 30), .88),
    ("chem", "{year}年危险化学品和成品油安全专项整治", ("危险化学品", "成品油"), (7, 1), (9, 30), .92),
    ("crowd", "{year}年人员密集场所消防安全专项整治", ("人员密集场所",), (9, 15), (12, 31), .55),
)
PHRASES = ROOT / "data" / "supervision_phrases.csv"  # per sector: items checked, findings, 重大 findings, risk points
SELF_FINDER = {"日": "班组长", "周": "部门安全员", "月": "总经理"}
HEADERS = {
    "meta": ["key", "value"],
    "campaigns": ["key", "name", "sectors", "starts_on", "ends_on", "note"],
    "inspections": ["key", "credit_code", "inspected_on", "inspectors", "department", "items", "campaign", "created_by"],
    "dangers": ["key", "credit_code", "inspection", "campaign", "level", "source", "self_check_cycle", "found_on",
                "found_by", "description", "place", "deadline", "responsible_person", "measures", "funds_yuan",
                "supervising_leader", "status", "reported_by", "rectifying_on", "submitted_on", "closed_on",
                "reopened_count"],
    "rechecks": ["danger", "checked_on", "checked_by", "passed", "note", "actor"],
    "penalties": ["decision_no", "credit_code", "inspection", "penalty_type", "amount_yuan", "decided_on", "created_by"],
    "risk_points": ["credit_code", "name", "kind", "method", "likelihood", "exposure", "severity", "score", "level",
                    "control_tier", "measures", "responsible_person"],
    "duty_cards": ["credit_code", "card", "status", "updated_on"],
    "duty_pilots": ["credit_code"],
}


def _grades() -> dict[tuple[str, str], list[tuple]]:
    """(method, level) → every (L, E or None, S) of that grade, computed by the service's own ``grade``."""
    found: dict[tuple[str, str], list[tuple]] = {}
    combos = [("LS", a, None, b) for a in LS_SCALE for b in LS_SCALE]
    combos += [("LEC", a, e, c) for a in LEC_L for e in LEC_E for c in LEC_C if a <= 6]
    for method, a, e, c in combos:
        found.setdefault((method, grade(method, a, c, e)[1]), []).append((a, e, c))
    return found


class History:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = np.random.default_rng(seed)
        spec = SPECS["enterprises"]
        rows = sample.read_csv(ROOT / "data" / "sample" / "enterprises.csv")
        self.firms = [{c.field: r[c.header] for c in spec.columns} for r in rows]
        self.town_code = {t["name"]: t["code"] for t in sample.read_csv(ROOT / "data" / "townships.csv")}
        self.days = [YEAR_START + dt.timedelta(days=k) for k in range((REFERENCE_DATE - YEAR_START).days + 1)]
        self.workdays = [d for d in self.days if d.weekday() < 5 and d not in HOLIDAYS]
        self.people = {d: [self.person() for _ in range(6)] for d in DEPARTMENTS}
        self.grades = _grades()
        self.phrases: dict[tuple[str, str], list[dict]] = {}
        for r in sample.read_csv(PHRASES):
            self.phrases.setdefault((r["use"], r["sector"]), []).append(r)
        self.inspections, self.dangers, self.rechecks, self.penalties = [], [], [], []

    def pick(self, options, p=None):
        if p is not None:
            p = np.asarray(p, dtype=float) / np.sum(p)
        return options[int(self.rng.choice(len(options), p=p))]

    def person(self) -> str:
        return self.pick(sample.SURNAMES) + "".join(self.pick(sample.GIVEN) for _ in range(int(self.rng.integers(1, 3))))

    def day(self, lo: dt.date, hi: dt.date, working: bool = True) -> dt.date:
        """A day in [lo, hi] weighted by the month's intensity (working days only for a department)."""
        pool = [d for d in (self.workdays if working else self.days) if lo <= d <= hi] or [min(hi, REFERENCE_DATE)]
        return self.pick(pool, [MONTH_WEIGHT[d.month] for d in pool])

    def department(self, firm: dict) -> tuple[str, str, str, str]:
        """(department name, recording account, accepting account, penalty prefix) of an inspection of ``firm``."""
        if firm["sector"] not in DUTY_KEY_SECTORS and self.rng.random() < .25:
            code = self.town_code[firm["township"]]
            return f"{firm['township']}应急办", f"sample-town-{code}", self.checker(firm), DEPARTMENTS["yjj"][1]
        dept = self.pick(*zip(*SECTOR_DEPARTMENTS[firm["sector"]].items()))
        return DEPARTMENTS[dept][0], f"sample-{dept}-1", f"sample-{dept}-2", DEPARTMENTS[dept][1]

    def checker(self, firm: dict) -> str:
        return f"sample-{max(SECTOR_DEPARTMENTS[firm['sector']].items(), key=lambda kv: kv[1])[0]}-2"

    def checker_name(self, account: str) -> str:
        dept = account.split("-")[1]
        return self.pick(self.people.get(dept, self.people["yjj"]))

    # -- inspections and their findings ---------------------------------------------------------------------------
    def inspect(self, firm: dict, on: dt.date, campaign: str = "") -> None:
        name, account, checker, prefix = self.department(firm)
        dept = account.split("-")[1]
        team = self.people.get(dept) or self.people["yjj"]
        inspectors = "、".join(self.pick(team) for _ in range(2)) if dept in self.people else self.person() + "、" + self.person()
        items = [r["text"] for r in self.phrases["item", firm["sector"]]]
        chosen = [items[int(i)] for i in sorted(self.rng.choice(len(items), int(self.rng.integers(3, len(items) + 1)), replace=False))]
        key = len(self.inspections) + 1
        self.inspections.append({"key": key, "credit_code": firm["credit_code"], "inspected_on": on, "inspectors": inspectors,
                                 "department": name, "items": "|".join(chosen), "campaign": campaign, "created_by": account})
        n = min(6, int(self.rng.poisson(FINDING_MEAN[firm["risk_level"]] + (.3 if campaign else 0))))
        levels = []
        for _ in range(n):
            major = self.rng.random() < (.012 if firm["sector"] in HIGH_HAZARD else .004)
            levels.append("重大" if major else "一般")
            source = "专项整治" if campaign else "部门检查"
            self.danger(firm, on, source, inspectors, account, checker, levels[-1], inspection=key, campaign=campaign)
        if n and self.rng.random() < (.5 if "重大" in levels else .06 + .03 * (n - 1)):
            self.penalty(firm, on, key, prefix, account, "重大" in levels)

    def penalty(self, firm: dict, on: dt.date, inspection: int, prefix: str, account: str, major: bool) -> None:
        decided = on + dt.timedelta(days=int(self.rng.integers(7, 31)))
        if decided > REFERENCE_DATE:
            return  # still being decided on the reference date
        kind = self.pick(("罚款", "警告", "责令停产停业", "没收违法所得", "暂扣许可证件"), (.75, .15, .05, .03, .02))
        if major and kind == "警告":
            kind = "罚款"
        amount = ""
        if kind == "罚款":
            base = self.pick((2000, 5000, 10000, 20000, 30000, 50000, 100000), (.15, .25, .25, .15, .1, .07, .03))
            amount = f"{base * (3 if major else 1) + 100 * int(self.rng.integers(0, 10)):.2f}"
        elif kind == "没收违法所得":
            amount = f"{self.rng.uniform(800, 9000):.2f}"
        self.penalties.append({"prefix": prefix, "credit_code": firm["credit_code"], "inspection": inspection,
                               "penalty_type": kind, "amount_yuan": amount, "decided_on": decided, "created_by": account})

    # -- a hidden danger and its closed loop ----------------------------------------------------------------------
    def danger(self, firm: dict, found: dt.date, source: str, found_by: str, account: str, checker: str, level: str,
               cycle: str = "", inspection: int | str = "", campaign: str = "") -> None:
        sector = firm["sector"]
        phrase = self.pick(self.phrases["major" if level == "重大" else "finding", sector])
        place, text, measures = phrase["place"], phrase["text"], phrase["measures"]
        span = self.pick((30, 60, 90)) if level == "重大" else self.pick((3, 7, 15, 30, 45), (.15, .3, .3, .2, .05))
        deadline = found + dt.timedelta(days=span)
        key = len(self.dangers) + 1
        row = {"key": key, "credit_code": firm["credit_code"], "inspection": inspection, "campaign": campaign, "level": level,
               "source": source, "self_check_cycle": cycle, "found_on": found, "found_by": found_by,
               "description": text, "place": place, "deadline": deadline, "responsible_person": "", "measures": "",
               "funds_yuan": "", "supervising_leader": f"{self.person()}（区政府副区长）" if level == "重大" else "",
               "reported_by": account, "rectifying_on": "", "submitted_on": "", "closed_on": "", "reopened_count": 0}
        if self.rng.random() < .5:
            row.update(responsible_person=self.person(), measures=measures)
        self.dangers.append(row)
        self.lifecycle(row, firm, checker, measures)

    def lifecycle(self, row: dict, firm: dict, checker: str, measures: str) -> None:
        """Draw the danger's fate and play its steps up to the reference date (later ones have not happened)."""
        found, deadline, rng = row["found_on"], row["deadline"], self.rng
        stalled, late = (.2, .2) if row["level"] == "重大" else STALL.get(firm["sector"], (.025, .1))
        fate = self.pick(("in_time", "late", "stalled"), (1 - stalled - late, late, stalled))
        span = (deadline - found).days
        steps: list[tuple[dt.date, str]] = []
        if span <= 3 and rng.random() < .5:
            at = found  # put right on the spot: 待整改 → 待验收
        elif fate == "stalled" and rng.random() < .35:
            at = None   # never started
        else:
            at = found + dt.timedelta(days=int(rng.integers(0, min(5, span) + 1)))
            steps.append((at, "rectify"))
        if at is not None and fate != "stalled":
            if fate == "in_time":
                submit = at + dt.timedelta(days=int((deadline - at).days * rng.uniform(.2, .9)))
                check = min(deadline, submit + dt.timedelta(days=int(rng.integers(1, 7))))
            else:
                submit = deadline + dt.timedelta(days=int(rng.integers(2, 31)))
                check = submit + dt.timedelta(days=int(rng.integers(1, 9)))
            steps.append((submit, "submit"))
            if rng.random() < .08:
                again = check + dt.timedelta(days=int(rng.integers(3, 13)))
                steps += [(check, "fail"), (again, "submit"), (again + dt.timedelta(days=int(rng.integers(1, 6))), "pass")]
            else:
                steps.append((check, "pass"))
            if rng.random() < .004:
                steps.append((steps[-1][0] + dt.timedelta(days=int(rng.integers(10, 41))), "reopen"))
        status = "待整改"
        for on, step in steps:
            if on > REFERENCE_DATE:
                break
            if step == "rectify":
                status, row["rectifying_on"] = "整改中", on
            elif step == "submit":
                status, row["submitted_on"] = "待验收", on
            elif step == "reopen":
                status, row["closed_on"], row["reopened_count"] = "整改中", "", 1
                row["deadline"] = on + dt.timedelta(days=15)
            else:
                passed = step == "pass"
                status = "已销号" if passed else "整改中"
                row["closed_on"] = on if passed else ""
                self.rechecks.append({"danger": row["key"], "checked_on": on, "checked_by": self.checker_name(checker),
                                      "passed": "true" if passed else "false", "actor": checker,
                                      "note": "" if passed else "整改不到位，退回继续整改"})
        if status != "待整改" and not row["responsible_person"]:
            row.update(responsible_person=self.person(), measures=measures)
        if status != "待整改" and rng.random() < .7:
            cost = rng.lognormal(math.log(60000 if row["level"] == "重大" else 900), .8)
            row["funds_yuan"] = f"{round(cost, -1):.2f}"
        row["status"] = status

    # -- the year --------------------------------------------------------------------------------------------------
    def year(self) -> None:
        for firm in self.firms:
            for _ in range(int(self.rng.poisson(INSPECTION_RATE[firm["risk_level"]]))):
                self.inspect(firm, self.day(YEAR_START, REFERENCE_DATE))
        for key, _, sectors, starts, ends, share in CAMPAIGNS:
            lo, hi = dt.date(YEAR_START.year, *starts), dt.date(YEAR_START.year, *ends)
            for firm in (f for f in self.firms if f["sector"] in sectors):
                if self.rng.random() < share:
                    self.inspect(firm, self.day(lo, min(hi, REFERENCE_DATE)), campaign=key)
        for firm in self.firms:
            rate = 2.0 if firm["scale"] != "其他" else 0.4
            for _ in range(int(self.rng.poisson(rate))):
                cycle = self.pick(vocabulary.SELF_CHECK_CYCLES, (.4, .35, .25))
                self.danger(firm, self.day(YEAR_START, REFERENCE_DATE, working=False), "企业自查", SELF_FINDER[cycle],
                            f"sample-firm-{firm['credit_code']}", self.checker(firm), "一般", cycle=cycle)
        for _ in range(40):
            firm = self.pick(self.firms)
            self.danger(firm, self.day(YEAR_START, REFERENCE_DATE, working=False), "群众举报", "群众举报（有奖举报）",
                        "sample-hotline", self.checker(firm), "一般")

    def risk_points(self) -> list[dict]:
        rows, order = [], vocabulary.RISK_LEVELS
        for firm in self.firms:
            names = [(r["text"], r["kind"]) for r in self.phrases["risk_point", firm["sector"]]]
            lo, hi = POINTS[firm["risk_level"]]
            chosen = self.rng.choice(len(names), min(len(names), int(self.rng.integers(lo, hi + 1))), replace=False)
            top = order.index(firm["risk_level"])
            for n, index in enumerate(chosen):
                level = firm["risk_level"] if n == 0 else order[int(self.rng.integers(top, len(order)))]
                method = "LEC" if (firm["sector"] in LEC_SECTORS) != (self.rng.random() < .2) else "LS"
                a, e, c = self.pick(self.grades[(method, level)])
                score, graded = grade(method, a, c, e)
                tier = {"重大": "企业", "较大": self.pick(("企业", "车间")), "一般": self.pick(("车间", "班组"))}.get(level, "班组")
                name, kind = names[int(index)]
                rows.append({"credit_code": firm["credit_code"], "name": name, "kind": kind, "method": method,
                             "likelihood": f"{a:g}", "exposure": "" if e is None else f"{e:g}", "severity": f"{c:g}",
                             "score": f"{score:g}", "level": graded, "control_tier": tier, "responsible_person": self.person(),
                             "measures": f"落实{tier}级管控：{name}定期巡查，设置安全警示标志和风险告知卡"})
        return rows

    def cards(self) -> tuple[list[dict], list[dict]]:
        """The four cards of every enterprise that has begun, and the pilots."""
        cards, pilots = [], []
        for firm in self.firms:
            sector, summary = firm["sector"], firm["duty_card_status"]
            done = summary == "已完成"
            if not done and self.rng.random() < UP.get(sector, 0):
                done = True
            elif done and self.rng.random() < DOWN.get(sector, 0):
                done = False
            if sector in DUTY_PILOT_SECTORS and self.rng.random() < (.16 if firm["scale"] != "其他" else .05):
                pilots.append({"credit_code": firm["credit_code"]})
                done = self.rng.random() < PILOT_DONE.get(sector, .95)
            if not done and summary == "未启动" and self.rng.random() < .7:
                continue  # not begun: no card rows (未编制)
            stages = [3] * 4 if done else self._building()
            for card, stage in zip(vocabulary.DUTY_CARDS, stages):
                if stage:
                    on = self.day(YEAR_START, dt.date(YEAR_START.year, 9, 30) if done else REFERENCE_DATE)
                    cards.append({"credit_code": firm["credit_code"], "card": card,
                                  "status": vocabulary.CARD_STATUSES[stage], "updated_on": on})
        return cards, pilots

    def _building(self) -> list[int]:
        """Stages (0 未编制 … 3 已应用) of four cards under way: the first further along, not all four done."""
        stages = [int(self.rng.integers(1, 4))]
        for _ in range(3):
            stages.append(max(0, stages[-1] - int(self.rng.random() < .4)))
        if min(stages) == 3:
            stages[-1] = 2
        return stages


def _in_date_order(h: History) -> None:
    """Number inspections and dangers by date (keys, hence ids once loaded, ascend with time)."""
    for rows, on, refs in ((h.inspections, "inspected_on", ((h.dangers, "inspection"), (h.penalties, "inspection"))),
                           (h.dangers, "found_on", ((h.rechecks, "danger"),))):
        rows.sort(key=lambda r: (r[on], r["key"]))
        new = {r["key"]: n for n, r in enumerate(rows, 1)}
        for n, r in enumerate(rows, 1):
            r["key"] = n
        for table, column in refs:
            for r in table:
                r[column] = new[r[column]] if r[column] != "" else ""
    h.rechecks.sort(key=lambda r: (r["checked_on"], r["danger"]))


def generate(out_dir: Path = DEFAULT_OUT) -> dict[str, int]:
    """Write the history's files into ``out_dir``; return the data rows per file name."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    h = History()
    h.year()
    _in_date_order(h)
    cards, pilots = h.cards()
    points = h.risk_points()
    numbered, count = [], {}
    for p in sorted(h.penalties, key=lambda p: (p["decided_on"], p["inspection"])):
        prefix = p.pop("prefix")
        count[prefix] = count.get(prefix, 0) + 1
        numbered.append({**p, "decision_no": f"{prefix}〔{{year}}〕{count[prefix]}号"})
    campaigns = [{"key": k, "name": name, "sectors": "、".join(sectors),
                  "starts_on": dt.date(YEAR_START.year, *starts), "ends_on": dt.date(YEAR_START.year, *ends),
                  "note": "示例数据"} for k, name, sectors, starts, ends, _ in CAMPAIGNS]
    tables = {"meta": [{"key": "reference_date", "value": REFERENCE_DATE}, {"key": "seed", "value": SEED}],
              "campaigns": campaigns, "inspections": h.inspections, "dangers": h.dangers, "rechecks": h.rechecks,
              "penalties": numbered, "risk_points": points, "duty_cards": cards, "duty_pilots": pilots}
    counts = {}
    for name, rows in tables.items():
        header = HEADERS[name]
        sample.write_csv(out_dir / f"{name}.csv", header, [[_cell(r.get(c, "")) for c in header] for r in rows])
        counts[f"{name}.csv"] = len(rows)
    return counts


def _cell(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate the synthetic supervision history (示例数据).")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default data/sample/supervision)")
    for name, n in generate(parser.parse_args(argv).out).items():
        print(f"{name}: {n} rows")


if __name__ == "__main__":
    main()
