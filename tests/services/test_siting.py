"""Siting on both back-ends: known answers on the hand-made line network, brute force on a sample township, the
candidate sources, the before/after scores and what each site adds, and the refusals."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from geo.candidates import grid_points
from geo.facilities import travel_seconds
from geo.travel import snap
from services.analysis.siting import MAX_ACCESS_M, SitingQuery, prepare, site, solve
from services.data.geography import district_geometry
from services.db.uow import unit_of_work
from services.errors import FieldError, Forbidden
from services.roads.closures import block_segment
from services.roads.network import base_graph
from tests.conftest import call, principal_for, read
from tests.services.test_coverage import P, line_world  # noqa: F401 — the fixture

EAST = (P[3][0] + 0.0005, P[3][1])  # beside H2


def test_known_answer_on_the_line(line_world):  # noqa: F811
    # Within 10 min on foot nobody reaches S1 or S2 (H1: 11.6 min, H2: 23.2 min): a site beside H2 covers its 10.
    query = SitingQuery(k=1, minutes=10, mode="walk", candidates=("points",), points=(P[1], EAST))
    result = read(line_world, site, query)
    assert [s.candidate.name for s in result.sites] == ["自选点 2"] and result.sites[0].candidate.name_en == "User point 2"
    assert result.before.covered_people == 0 and result.after.covered_people == 10
    assert result.sites[0].adds_covered_people == 10 and result.after.covered_share == pytest.approx(10 / 15, abs=1e-4)
    two = read(line_world, site, SitingQuery(k=2, minutes=10, mode="walk", candidates=("points",), points=(P[1], EAST)))
    assert [s.adds_covered_people for s in two.sites] == [10, 5] and two.after.covered_people == 15
    assert two.optimal and two.demand_people == 15 and two.existing_facilities == 2


def test_p_median_and_capacities_on_the_line(line_world):  # noqa: F811
    median = read(line_world, site, SitingQuery(k=1, objective="p-median", mode="walk", candidates=("points",),
                                                points=(P[1], EAST)))
    # H2 has twice H1's people and the farther shelter: the site beside H2 saves more person-minutes
    assert median.sites[0].candidate.ref == "2" and median.sites[0].person_minutes_change < 0
    assert median.after.person_minutes < median.before.person_minutes
    held = read(line_world, site, SitingQuery(k=1, minutes=15, mode="walk", candidates=("points",), points=(P[1],),
                                              capacity_people=3))
    # with capacities S1 holds 4 of H1's 5 within 15 min; a new site of 3 beside H1 takes the fifth
    assert held.before.covered_people == 4 and held.after.covered_people == 5


def test_a_closed_road_changes_the_proposal(line_world):  # noqa: F811
    # By car one segment takes 70 s. The team at P5 reaches H2 (two segments) within 3 min, not H1 (four).
    query = SitingQuery(facility="team", k=1, minutes=3, candidates=("points",), points=(P[0], P[2]))
    before = read(line_world, site, query)
    assert before.before.covered_people == 10 and before.sites[0].adds_covered_people == 5  # either adds H1
    call(line_world, block_segment, (P[3][0] + P[4][0]) / 2, P[3][1], "塌方")
    after = read(line_world, site, query)  # the team is cut off from H2: only a base at P2 reaches both
    assert after.before.covered_people == 0 and after.road_network.blocked_edges == 2
    assert after.sites[0].candidate.ref == "2" and after.sites[0].adds_covered_people == 15


def test_equals_brute_force_on_a_sample_township(seeded):
    query = SitingQuery(k=2, minutes=15, townships=("500114110", "500114114"), candidates=("seats", "villages"))
    with unit_of_work(seeded) as uow:
        inputs = prepare(uow, query)
    result = solve(seeded, inputs)
    people = np.array([d.people for d in inputs.demand])
    existing = inputs.existing_s.min(axis=1) if inputs.existing_s.shape[1] else np.full(len(people), np.inf)

    def covered(sites) -> int:
        best = np.minimum(existing, inputs.cost_s[:, list(sites)].min(axis=1)) if sites else existing
        return int(people[np.isfinite(best) & (np.rint(best) <= 15 * 60)].sum())
    pairs = itertools.combinations(range(len(inputs.candidates)), 2)
    assert result.after.covered_people == max(covered(c) for c in pairs)
    assert result.before.covered_people == covered(())
    assert sum(s.adds_covered_people for s in result.sites) == result.after.covered_people - result.before.covered_people
    assert {d.township_code for d in inputs.demand} <= set(query.townships)
    assert all(c.township_code in query.townships for c in inputs.candidates)
    assert result.is_sample and any(c.is_sample for c in inputs.candidates if c.source == "villages")


def test_the_travel_times_are_the_road_times_in_the_direction_of_travel(seeded):
    for facility in ("shelter", "team"):
        query = SitingQuery(facility=facility, k=1, townships=("500114110",), candidates=("seats",))
        with unit_of_work(seeded) as uow:
            inputs = prepare(uow, query)
        graph = base_graph(seeded)
        people = [[d.lon, d.lat] for d in inputs.demand]
        seat = [[inputs.candidates[0].lon, inputs.candidates[0].lat]]
        expected = travel_seconds(graph, people, seat) if facility == "shelter" else travel_seconds(graph, seat, people).T
        assert np.allclose(inputs.cost_s, expected)


def test_grid_candidates_lie_in_the_area_near_an_open_road(seeded):
    with unit_of_work(seeded) as uow:
        inputs = prepare(uow, SitingQuery(k=1, candidates=("grid",), grid_spacing_m=5000))
        district = district_geometry(uow)
    grid = grid_points(district, 5000)
    assert len(inputs.candidates) + inputs.cut_off == len(grid)
    assert all(c.township_code is not None and c.source == "grid" for c in inputs.candidates)
    graph = base_graph(seeded)
    snapped = snap(graph, [c.lon for c in inputs.candidates], [c.lat for c in inputs.candidates])
    assert (snapped.access_m <= MAX_ACCESS_M).all()


def test_refusals_name_the_parameter(seeded):
    with pytest.raises(FieldError) as error:
        read(seeded, site, SitingQuery(candidates=("points",)))
    assert error.value.field == "points"
    with pytest.raises(FieldError) as error:
        read(seeded, site, SitingQuery(candidates=("points",), points=((100.0, 20.0),)))
    assert error.value.field == "candidates" and "500" in error.value.reason
    with pytest.raises(FieldError) as error:
        read(seeded, site, SitingQuery(candidates=("grid",), grid_spacing_m=500))
    assert error.value.field == "grid_spacing_m"
    with pytest.raises(FieldError) as error:
        read(seeded, site, SitingQuery(townships=("500114999",)))
    assert error.value.field == "townships"
    viewer = principal_for(seeded, "viewer")
    with pytest.raises(Forbidden), unit_of_work(seeded, principal=viewer) as uow:
        prepare(uow, SitingQuery())


def test_site_features_for_the_map(line_world):  # noqa: F811
    from services.analysis.siting import site_features
    result = read(line_world, site, SitingQuery(k=2, minutes=10, mode="walk", candidates=("points",),
                                                points=(P[1], EAST)))
    features = site_features(result)["features"]
    assert [f["properties"]["order"] for f in features] == [1, 2]
    assert features[0]["geometry"]["coordinates"] == list(EAST) and features[0]["properties"]["adds_covered_people"] == 10
