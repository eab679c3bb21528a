"""The composite risk index: a known answer worked by hand, monotonicity (more hazard never lowers a township's
risk, more capacity never raises it), the weights' validation, and on both back-ends the inputs against SQL
and a brute-force station distance in metres."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from pyproj import Transformer
from sqlalchemy import text

from config import (
    DEFAULT_RISK_WEIGHTS,
    RISK_FACTORS,
    RiskIndexRules,
    load_settings,
    risk_rules_from,
)
from services import vocabulary
from services.analysis.risk_index import (
    FACTOR_OF,
    INPUTS,
    index_of,
    index_table,
    ranks,
    risk_index,
    township_inputs,
    weight_matrix,
)
from services.db import get_engine
from tests.conftest import read

ONE_EACH = {"hazard": {"hazard_points": 1.0}, "exposure": {"threatened_people": 1.0},
            "vulnerability": {"unmonitored_hazards": 1.0}, "capacity": {"shelter_cover": 1.0}}


def _raw(rows: dict[str, dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame([{name: row.get(name, 0.0) for name in INPUTS} for row in rows.values()], index=list(rows))


def test_known_answer_worked_by_hand():
    rules = RiskIndexRules(weights=ONE_EACH, floor=0.1)
    raw = _raw({"A": {"hazard_points": 10, "threatened_people": 100, "unmonitored_hazards": 0.5, "shelter_cover": 1},
                "B": {"hazard_points": 5, "threatened_people": 300, "unmonitored_hazards": 1.0, "shelter_cover": 0},
                "C": {"hazard_points": 0, "threatened_people": 200, "unmonitored_hazards": 0.0, "shelter_cover": 0.5}})
    rows, spread = index_table(raw, rules)
    got = {r.code: r for r in rows}
    # normalised: hazard A 1, B .5, C 0; people A 0, B 1, C .5; unmonitored A .5, B 1, C 0; cover A 1, B 0, C .5
    # lifted to [0.1, 1]: H A 1, B .55, C .1; E A .1, B 1, C .55; V A .55, B 1, C .1; capacity × 0.9: A .9, B 0, C .45
    assert got["A"].risk == pytest.approx(1 * 0.1 * 0.55 * (1 - 0.9))
    assert got["B"].risk == pytest.approx(0.55 * 1 * 1 * 1)
    assert got["C"].risk == pytest.approx(0.1 * 0.55 * 0.1 * (1 - 0.45))
    assert (got["B"].rank, got["A"].rank, got["C"].rank) == (1, 2, 3)
    assert (got["A"].hazard, got["A"].exposure, got["A"].vulnerability, got["A"].capacity) == (1, 0, 0.5, 1)
    people = next(i for i in got["C"].inputs if i.input == "threatened_people")
    assert (people.value, people.normalised, people.weight, people.weighted) == (200, 0.5, 1.0, 0.5)
    assert next(s for s in spread if s.input == "threatened_people").median == 200


def test_what_moves_a_township_worked_by_hand():
    # Only hazard differs; every other input is equal everywhere (normalised 0): risk = (0.1 + 0.9 h) × 0.1 × 0.1.
    raw = _raw({c: {"hazard_points": v} for c, v in zip("ABCDE", (0, 1, 2, 3, 10))})
    rows = {r.code: r for r in index_table(raw, RiskIndexRules(weights=ONE_EACH, floor=0.1))[0]}
    assert [rows[c].rank for c in "EDCBA"] == [1, 2, 3, 4, 5]
    assert rows["E"].risk == pytest.approx(0.01) and rows["A"].risk == pytest.approx(0.001)

    def moved(code):
        return next(i for i in rows[code].inputs if i.input == "hazard_points")
    # E at the median (2): hazards 0,1,2,3,2 → D is the maximum, E ties with C at rank 2: E's hazard lifts it 1 place
    assert (moved("E").rank_at_median, moved("E").pushes_up_by) == (2, 1)
    # A at the median (2): hazards 2,1,2,3,10 → A ties with C at rank 3, B falls to 5: A's low hazard holds it 2 down
    assert (moved("A").rank_at_median, moved("A").pushes_up_by) == (3, -2)
    # an input every township shares moves nobody
    assert all(i.pushes_up_by == 0 for r in rows.values() for i in r.inputs if i.input != "hazard_points")


def test_ranks_share_ties_and_count_from_the_top():
    assert ranks(np.array([0.2, 0.5, 0.2, 0.1])).tolist() == [2, 1, 2, 4]


def test_with_no_floor_the_least_exposed_township_has_no_risk():
    raw = _raw({"A": {"hazard_points": 1, "threatened_people": 0}, "B": {"hazard_points": 2, "threatened_people": 5}})
    rows = {r.code: r for r in index_table(raw, RiskIndexRules(weights=ONE_EACH, floor=0.0))[0]}
    assert rows["A"].risk == 0 and rows["B"].risk == pytest.approx(0.0)  # vulnerability equal everywhere: 0 too
    floored = {r.code: r for r in index_table(raw, RiskIndexRules(weights=ONE_EACH, floor=0.1))[0]}
    assert floored["A"].risk == pytest.approx(0.1**3) and floored["B"].risk == pytest.approx(0.1)


# Monotone: raising one township's hazard (or exposure, vulnerability) input never lowers its risk; raising its
# capacity never raises it.

weights_strategy = st.fixed_dictionaries({
    f: st.lists(st.integers(0, 10), min_size=len(DEFAULT_RISK_WEIGHTS[f]), max_size=len(DEFAULT_RISK_WEIGHTS[f]))
    .filter(lambda ws: sum(ws) > 0)
    .map(lambda ws, f=f: {n: w / sum(ws) for n, w in zip(DEFAULT_RISK_WEIGHTS[f], ws)}) for f in RISK_FACTORS})


@hsettings(max_examples=200, deadline=None)
@given(data=st.data(), n=st.integers(2, 8), weights=weights_strategy, floor=st.sampled_from([0.0, 0.05, 0.1, 0.3]))
def test_more_of_an_input_moves_risk_only_its_way(data, n, weights, floor):
    raw = np.array(data.draw(st.lists(st.lists(st.floats(0, 1000, allow_nan=False), min_size=len(INPUTS),
                                                        max_size=len(INPUTS)), min_size=n, max_size=n)))
    town, j = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, len(INPUTS) - 1))
    more = raw.copy()
    more[town, j] += data.draw(st.floats(0.001, 1000))
    matrix = weight_matrix(weights)
    before, after = index_of(raw, matrix, floor)[2][town], index_of(more, matrix, floor)[2][town]
    if FACTOR_OF[INPUTS[j]] == "capacity":
        assert after <= before + 1e-12
    else:
        assert after >= before - 1e-12


def test_risk_stays_within_its_bounds():
    raw = np.random.default_rng(7).uniform(0, 100, size=(30, len(INPUTS)))
    risk = index_of(raw, weight_matrix(DEFAULT_RISK_WEIGHTS), 0.1)[2]
    assert (risk >= 0.1**3 * 0.1 - 1e-12).all() and (risk <= 1).all()


# Weights: non-negative, each factor summing to 1, known inputs only; env overrides replace a factor.


@pytest.mark.parametrize("weights, message", [
    ({**DEFAULT_RISK_WEIGHTS, "hazard": {"hazard_points": 1.2, "enterprise_risk": -0.2}}, "non-negative"),
    ({**DEFAULT_RISK_WEIGHTS, "hazard": {"hazard_points": 0.5, "enterprise_risk": 0.4}}, "sum to 1"),
    ({**DEFAULT_RISK_WEIGHTS, "hazard": {"hazard_points": 0.5, "rainfall": 0.5}}, "unknown input 'rainfall'"),
    ({**DEFAULT_RISK_WEIGHTS, "hazard": {"hazard_points": float("nan"), "enterprise_risk": 1}}, "non-negative"),
    ({**DEFAULT_RISK_WEIGHTS, "hazard": {"hazard_points": True}}, "non-negative"),
    ({f: w for f, w in DEFAULT_RISK_WEIGHTS.items() if f != "capacity"}, "factors"),
    ({**DEFAULT_RISK_WEIGHTS, "exposure": {}}, "map inputs"),
])
def test_bad_weights_are_refused_naming_the_factor(weights, message):
    with pytest.raises(ValueError, match=message):
        RiskIndexRules(weights=weights)


def test_bad_scores_and_limits_are_refused():
    with pytest.raises(ValueError, match="risk_level"):
        RiskIndexRules(scores={**RiskIndexRules().scores, "risk_level": {"重大": 4}})
    with pytest.raises(ValueError, match=r"risk_level\.重大"):
        risk_rules_from("", '{"risk_level": {"重大": -1}}')
    for limits in ({"floor": 1.0}, {"floor": -0.1}, {"monitoring_radius_m": 0}, {"density_cell_m": 10}):
        with pytest.raises(ValueError):
            RiskIndexRules(**limits)


def test_weights_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("QJ_RISK_WEIGHTS", '{"hazard": {"hazard_points": 1}}')
    monkeypatch.setenv("QJ_RISK_SCORES", '{"warning_level": {"红": 5}}')
    monkeypatch.setenv("QJ_RISK_FLOOR", "0.2")
    rules = load_settings().risk_index
    assert rules.weights["hazard"] == {"hazard_points": 1} and rules.weights["exposure"] == \
        DEFAULT_RISK_WEIGHTS["exposure"]
    assert rules.scores["warning_level"]["红"] == 5 and rules.scores["warning_level"]["橙"] == 2
    assert rules.floor == 0.2
    monkeypatch.setenv("QJ_RISK_WEIGHTS", '{"hazard": {"hazard_points": 0.9}}')
    with pytest.raises(ValueError, match="hazard must sum to 1"):
        load_settings()


# On the sample database of both back-ends.


def sql(settings, statement: str, **params) -> dict:
    with get_engine(settings.database_url).connect() as conn:
        return {r[0]: r[1] for r in conn.execute(text(statement), params)}


def test_inputs_equal_sql_and_a_brute_force_distance(seeded):
    rules = seeded.risk_index
    raw, _ = read(seeded, township_inputs, rules)
    codes = list(raw.index)
    people = sql(seeded, "SELECT township_code, sum(threatened_people) FROM hazard_point GROUP BY township_code")
    assert raw["threatened_people"].to_dict() == {c: float(people.get(c, 0)) for c in codes}
    score = " ".join(f"WHEN '{k}' THEN {v}" for k, v in rules.scores["risk_level"].items())
    firms = sql(seeded, f"SELECT township_code, sum(CASE risk_level {score} END) FROM enterprise GROUP BY township_code")
    assert raw["enterprise_risk"].to_dict() == pytest.approx({c: float(firms.get(c, 0)) for c in codes})
    done = vocabulary.DUTY_CARD_STATUSES[-1]
    shares = sql(seeded, "SELECT township_code, avg(CASE WHEN duty_card_status <> :done THEN 1.0 ELSE 0.0 END) "
                 "FROM enterprise GROUP BY township_code", done=done)
    assert raw["duty_cards_incomplete"].to_dict() == pytest.approx({c: float(shares.get(c, 0)) for c in codes})
    hidden = sql(seeded, "SELECT township_code, avg(CASE WHEN open_hidden_dangers > 0 THEN 1.0 ELSE 0.0 END) "
                 "FROM enterprise GROUP BY township_code")
    assert raw["open_hidden_dangers"].to_dict() == pytest.approx({c: float(hidden.get(c, 0)) for c in codes})
    population = sql(seeded, "SELECT code, population FROM township")
    members = sql(seeded, "SELECT township_code, sum(members) FROM rescue_team GROUP BY township_code")
    assert raw["rescue_members_per_10k"].to_dict() == pytest.approx(
        {c: members.get(c, 0) * 1e4 / population[c] for c in codes})
    assert raw["unmonitored_hazards"].to_dict() == pytest.approx(_unmonitored_by_brute_force(seeded, codes))


def _unmonitored_by_brute_force(settings, codes) -> dict[str, float]:
    with get_engine(settings.database_url).connect() as conn:
        points = conn.execute(text("SELECT township_code, lon, lat FROM hazard_point")).all()
        stations = conn.execute(text("SELECT lon, lat FROM monitoring_station WHERE status = :ok"),
                                {"ok": vocabulary.STATION_NORMAL}).all()
    to_metres = Transformer.from_crs("EPSG:4326", "EPSG:4545", always_xy=True)
    px, py = to_metres.transform([p.lon for p in points], [p.lat for p in points])
    sx, sy = to_metres.transform([s.lon for s in stations], [s.lat for s in stations])
    distance = np.hypot(np.subtract.outer(px, sx), np.subtract.outer(py, sy)).min(axis=1)
    found: dict[str, list[bool]] = {}
    for p, d in zip(points, distance):
        found.setdefault(p.township_code, []).append(d > settings.risk_index.monitoring_radius_m)
    assert 0 < sum(map(sum, found.values())) < len(points)  # the sample has both kinds: the check can fail
    return {c: float(np.mean(found[c])) if c in found else 0.0 for c in codes}


def test_the_ranking_on_the_sample(seeded):
    index = read(seeded, risk_index)
    towns = index.townships
    assert len(towns) == 30 and [t.rank for t in towns] == sorted(t.rank for t in towns) and towns[0].rank == 1
    floor = index.floor
    for t in towns:
        product = (floor + (1 - floor) * t.hazard) * (floor + (1 - floor) * t.exposure) * \
            (floor + (1 - floor) * t.vulnerability) * (1 - (1 - floor) * t.capacity)
        assert t.risk == pytest.approx(product, abs=1e-3)
        assert [i.input for i in t.inputs] == list(INPUTS)
        assert all(i.pushes_up_by == i.rank_at_median - t.rank for i in t.inputs)
        by_factor = {f: sum(i.weighted for i in t.inputs if i.factor == f) for f in RISK_FACTORS}
        assert by_factor == pytest.approx({f: getattr(t, f) for f in RISK_FACTORS}, abs=1e-3)
        assert t.population_is_sample
    assert sum(c.count for c in index.classes) == 30
    some = read(seeded, risk_index, ("500114001", "500114249"))
    assert {t.code: t.rank for t in some.townships} == {t.code: t.rank for t in towns
                                                        if t.code in ("500114001", "500114249")}


def test_weights_change_the_ranking(seeded):
    only_people = {**DEFAULT_RISK_WEIGHTS, "exposure": {"threatened_people": 1.0}}
    changed = dataclasses.replace(seeded, risk_index=RiskIndexRules(weights=only_people))
    index = read(changed, risk_index)
    assert all(next(i for i in t.inputs if i.input == "population").weight == 0 for t in index.townships)
    assert [t.code for t in index.townships] != [t.code for t in read(seeded, risk_index).townships]


def test_an_empty_district_ranks_every_township_equal(fresh):
    index = read(fresh, risk_index)
    assert index.townships and {t.rank for t in index.townships} == {1}
    assert all(t.risk == pytest.approx(index.floor**3) for t in index.townships)


def test_a_district_without_records_names_no_highest_township(fresh):
    from dashboard.components.analysis_views import indicators
    from services.analysis.distribution import risk_distribution
    index = read(fresh, risk_index)
    assert len(index.townships) == 30 and index.tied_at_top == 30 and index.leader is None
    cards = indicators(read(fresh, risk_distribution), index, "zh")
    top = cards[-1].children
    assert top[1].children == "—" and top[2].children.startswith("30 个乡镇并列")


def test_the_leader_is_the_first_township_when_it_stands_alone(seeded):
    index = read(seeded, risk_index)
    assert index.townships[0].risk > index.townships[1].risk
    assert index.tied_at_top == 1 and index.leader == index.townships[0]
