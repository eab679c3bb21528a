"""Coverage gaps by road on both back-ends: a hand-made network with known travel times gives the known nearest
facilities and gaps, a closed road changes them as expected; on the sample, the figures equal direct SQL counts
and the travel times equal networkx searches."""
from __future__ import annotations

import dataclasses
import json

import networkx as nx
import numpy as np
import pytest
from sqlalchemy import func, select

from geo.distance import haversine_m
from geo.roads import ACCESS_SPEED_KMH, DEFAULT_SPEEDS_KMH
from geo.travel import snap
from services import vocabulary
from services.analysis.coverage import CoverageQuery, coverage
from services.analysis.places import facility_places
from services.data.imports import import_file
from services.db.uow import unit_of_work
from services.errors import FieldError, Forbidden
from services.models import HazardPoint, RescueTeam, Shelter, Township, Village
from services.roads.closures import block_segment
from services.roads.network import base_graph
from tests.conftest import call, csv_for, principal_for, read
from tests.services.test_evacuation_plan import hazard, shelter

Y = 29.53
STEP = 0.008  # about 775 m of longitude at this latitude
P = [(108.760 + STEP * i, Y) for i in range(6)]
WALK = ACCESS_SPEED_KMH / 3.6
DRIVE = DEFAULT_SPEEDS_KMH["secondary"] / 3.6


def team(code: str, point, status: str) -> dict:
    return {"队伍编号": code, "名称": f"队伍{code}", "队伍类型": "乡镇综合救援", "人数": "10", "状态": status,
            "经度": str(point[0]), "纬度": str(point[1])}


def depot(code: str, point) -> dict:
    return {"储备库编号": code, "名称": f"仓库{code}", "级别": "乡镇级", "库容(立方米)": "100",
            "经度": str(point[0]), "纬度": str(point[1])}


@pytest.fixture
def line_world(fresh, tmp_path):
    """One road P0 … P5; shelter S1 (4 places) at P0 and S2 (100) at P5; hazard points H1 (5 people) at P1 and
    H2 (10) at P3; a team on standby at P5 and a resting one at P2; a depot at P2."""
    network = {"type": "FeatureCollection", "metadata": {"synthetic": True}, "features": [
        {"type": "Feature", "properties": {"class": "secondary", "name": "测试路"},
         "geometry": {"type": "LineString", "coordinates": [list(p) for p in P]}}]}
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps(network), encoding="utf-8")
    settings = dataclasses.replace(fresh, road_network_file=path)
    call(settings, import_file, "shelters", csv_for("shelters", [shelter("S1", P[0], 4), shelter("S2", P[5], 100)]),
         "s.csv")
    call(settings, import_file, "hazards", csv_for("hazards", [hazard("H1", P[1], 5), hazard("H2", P[3], 10)]), "h.csv")
    call(settings, import_file, "teams", csv_for("teams", [team("T1", P[5], "待命"), team("T2", P[2], "休整")]), "t.csv")
    call(settings, import_file, "depots", csv_for("depots", [depot("D1", P[2])]), "d.csv")
    return settings


def _road_m(a: int, b: int) -> float:
    lo, hi = sorted((a, b))
    return sum(haversine_m(*P[i], *P[i + 1]) for i in range(lo, hi))


def _points(report):
    return {p.code: p for p in report.points}


def test_known_travel_times_give_the_nearest_facilities_and_the_gaps(line_world):
    report = read(line_world, coverage)
    h1, h2 = _points(report)["H1"], _points(report)["H2"]
    assert h1.shelter.walk.facility_name == "场所S1" and h2.shelter.walk.facility_name == "场所S2"
    assert h1.shelter.walk.minutes == pytest.approx(_road_m(1, 0) / WALK / 60, abs=0.05)   # 11.6 min
    assert h2.shelter.walk.minutes == pytest.approx(_road_m(3, 5) / WALK / 60, abs=0.05)   # 23.2 min
    assert h1.shelter.drive.minutes == pytest.approx(_road_m(1, 0) / DRIVE / 60, abs=0.05)
    assert h1.team.drive.facility_name == "队伍T1"  # the resting team at P2 is nearer, but not available
    assert h1.team.drive.minutes == pytest.approx(_road_m(5, 1) / DRIVE / 60, abs=0.05)
    assert h1.depot.drive.facility_name == "仓库D1" and h2.depot.walk.minutes == pytest.approx(
        _road_m(2, 3) / WALK / 60, abs=0.05)
    walk = next(g for g in report.shelter_gap_totals if g.kind == "hazard" and g.mode == "walk")
    assert (walk.people, walk.beyond_15_min, walk.beyond_30_min, walk.beyond_60_min) == (15, 10, 0, 0)
    assert report.facilities == {"shelter": 2, "team": 1, "depot": 1}
    assert all(t.meets_standard for t in report.team_standard)
    overflow = {(o.code, o.mode) for o in report.overflow}
    assert overflow == {("H1", "walk"), ("H1", "drive")}  # 5 people, 4 places at S1
    assert [o.short_people for o in report.overflow] == [1, 1]
    assert report.is_sample  # the network is synthetic


def test_closing_a_road_changes_the_gap_as_expected(line_world):
    midpoint = ((P[0][0] + P[1][0]) / 2, Y)
    call(line_world, block_segment, *midpoint, "塌方")
    report = read(line_world, coverage)
    h1 = _points(report)["H1"]
    assert h1.shelter.walk.facility_name == "场所S2"  # S1 is cut off; H1 walks the other way
    assert h1.shelter.walk.minutes == pytest.approx(_road_m(1, 5) / WALK / 60, abs=0.05)   # 46.5 min
    walk = next(g for g in report.shelter_gap_totals if g.kind == "hazard" and g.mode == "walk")
    assert (walk.beyond_15_min, walk.beyond_30_min, walk.beyond_60_min) == (15, 5, 0)
    assert report.road_network.blocked_edges == 2  # both directions of the segment
    assert report.facilities["shelter"] == 2 and not report.overflow  # S1 still counts, but nobody reaches it


def test_filters_and_refusals(line_world):
    only_h2 = read(line_world, coverage, CoverageQuery(hazard_types=("崩塌",)))
    assert only_h2.points == ()
    with pytest.raises(FieldError) as error:
        read(line_world, coverage, CoverageQuery(townships=("500114999",)))
    assert error.value.field == "townships" and "500114999" in error.value.reason
    with pytest.raises(FieldError) as error:
        read(line_world, coverage, CoverageQuery(kinds=("farm",)))
    assert error.value.field == "kinds"
    township = principal_for(line_world, "township", "500114003")
    with pytest.raises(Forbidden), unit_of_work(line_world, principal=township) as uow:
        coverage(uow)


def _sample_report(seeded):
    return read(seeded, coverage)


def test_sample_figures_equal_direct_counts(seeded):
    report = _sample_report(seeded)
    with unit_of_work(seeded) as uow:
        s = uow.session
        hazards = s.scalar(select(func.count()).select_from(HazardPoint))
        people_by_town = dict(s.execute(select(HazardPoint.township_code, func.sum(HazardPoint.threatened_people))
                                        .group_by(HazardPoint.township_code)).all())
        residents = dict(s.execute(select(Village.township_code, func.sum(Village.population))
                                   .group_by(Village.township_code)).all())
        population = dict(s.execute(select(Township.code, Township.population)).all())
        standby = s.scalar(select(func.count()).select_from(RescueTeam)
                           .where(RescueTeam.status == vocabulary.TEAM_STANDBY))
        open_shelters = s.scalar(select(func.count()).select_from(Shelter)
                                 .where(Shelter.status == vocabulary.SHELTER_OPEN))
        villages = s.scalar(select(func.count()).select_from(Village).where(Village.seat_lon.is_not(None)))
    assert residents == population  # the village sample sums to each township's sample population
    assert report.facilities["team"] == standby and report.facilities["shelter"] == open_shelters
    assert sum(p.kind == "hazard" for p in report.points) == hazards
    assert sum(p.kind == "village" for p in report.points) == villages == 220
    for gap in report.shelter_gaps:
        expected = people_by_town if gap.kind == "hazard" else residents
        assert gap.people == expected[gap.township_code], gap
    for gap in report.shelter_gap_totals:  # beyond-T counts recomputed from the per-point minutes
        members = [p for p in report.points if p.kind == gap.kind]
        for limit in report.gap_minutes:
            far = sum(p.people for p in members if (m := getattr(p.shelter, gap.mode).minutes) is None or m > limit)
            assert getattr(gap, f"beyond_{limit}_min") == far
    assert report.is_sample and all(p.is_sample for p in report.points)
    late = {t.township_code: set(t.late_points) for t in report.team_standard}
    for p in report.points:
        if p.kind == "hazard":
            beyond = p.team.drive.minutes is None or p.team.drive.minutes > report.team_standard_minutes
            assert (p.code in late[p.township_code]) == beyond


def test_sample_shelter_times_equal_networkx(seeded):
    report = _sample_report(seeded)
    import json

    from geo.roads import from_features
    data = json.loads(base_graph(seeded) and seeded.road_network_file.read_text(encoding="utf-8"))
    # the oracle on the unsimplified roads (every vertex a node): the planner's chains and attached points checked
    graph = from_features(data["features"], seeded.road_speeds_kmh, simplify=False)
    o = nx.DiGraph()
    for e in np.nonzero(graph.usable)[0]:
        a, b, w = int(graph.edge_from[e]), int(graph.edge_to[e]), float(graph.edge_seconds[e])
        if not o.has_edge(a, b) or o[a][b]["w"] > w:
            o.add_edge(a, b, w=w)
    with unit_of_work(seeded) as uow:
        shelters = facility_places(uow, "shelter")
    s_snap = snap(graph, [s.lon for s in shelters], [s.lat for s in shelters])
    hazards = [p for p in report.points if p.kind == "hazard"][::15]  # 20 of the 300
    h_snap = snap(graph, [p.lon for p in hazards], [p.lat for p in hazards])
    for i, p in enumerate(hazards):
        lengths = nx.single_source_dijkstra_path_length(o, int(h_snap.nodes[i]), weight="w")
        times = [lengths.get(int(s_snap.nodes[j]), np.inf) + (h_snap.access_m[i] + s_snap.access_m[j]) / WALK
                 if not s_snap.cut_off[j] else np.inf for j in range(len(shelters))]
        best = int(np.argmin(times))
        assert p.shelter.drive.minutes == pytest.approx(times[best] / 60, abs=0.051)
        assert times[[s.id for s in shelters].index(p.shelter.drive.facility_id)] == pytest.approx(times[best])


def test_gap_features_are_the_points_beyond_the_minutes(line_world):
    from services.analysis.coverage import gap_features
    report = read(line_world, coverage)
    walking = gap_features(report, "shelter", "walk", 15)
    assert [f["properties"]["code"] for f in walking["features"]] == ["H2"]  # 23.2 min; H1 is at 11.6
    assert walking["features"][0]["geometry"]["coordinates"] == [P[3][0], P[3][1]]
    assert gap_features(report, "shelter", "drive", 15)["features"] == []
