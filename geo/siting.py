"""Location-allocation (选址): choose K new sites among candidates, exactly, by mixed-integer programming.

Two objectives over demand points with people, candidate sites and the facilities that exist already (open
whatever is chosen):

- ``mclp`` (maximal covering location): maximise the people covered within ``limit_s``;
- ``p_median``: first reach as many people as any choice can (at any time), then minimise their
  person-seconds of travel to the nearest open facility.

With ``capacity`` (per candidate) and ``existing_capacity`` the people are assigned under capacities instead of
to the nearest facility (people may be split between sites). Models are solved by CBC through OR-Tools with a
zero gap; ``SitingSolution.optimal`` says whether optimality was proven within the time limit. ``evaluate`` scores
any set of open sites the same way (for capacities: exact min-cost flow, ``geo.assignment``).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from ortools.linear_solver import pywraplp

from geo.assignment import assign

SOLVER = "CBC"  # faster than SCIP on the capacitated models here (docs/BENCHMARKS.md); both exact
OBJECTIVES = ("coverage", "p-median")


@dataclass(frozen=True)
class Score:
    """What a set of open sites achieves: people covered within the limit, people reached at all, and
    person-seconds of travel: of the people reached to their nearest facility, or (with capacities) of the
    people assigned within the limit. With capacities "covered" and "reached" count people given a place."""

    covered_people: int
    reached_people: int
    person_seconds: float


@dataclass(frozen=True)
class SitingSolution:
    """The chosen candidates (indices, in the order of what each adds), the score, and how it was solved."""

    chosen: tuple[int, ...]
    score: Score
    optimal: bool
    solver: str
    solve_s: float


@dataclass(frozen=True)
class Problem:
    """A siting instance, checked: travel times in whole seconds, existing facilities as matrix columns."""

    cost_s: np.ndarray                  # (demands, candidates) travel seconds, inf: unreachable
    people: np.ndarray                  # (demands,) whole people
    existing_s: np.ndarray              # (demands, existing) travel seconds to the facilities already open
    capacity: np.ndarray | None         # (candidates,) places of a new site; None: uncapacitated
    existing_capacity: np.ndarray | None

    @classmethod
    def of(cls, cost_s, people, existing_s=None, capacity=None, existing_capacity=None) -> Problem:
        people = np.asarray(people, dtype=np.int64)
        # whole seconds: the models and the min-cost flow of ``evaluate`` then agree exactly
        cost = np.rint(np.asarray(cost_s, dtype=float).reshape(len(people), -1))
        existing = np.zeros((len(people), 0)) if existing_s is None else \
            np.rint(np.asarray(existing_s, dtype=float).reshape(len(people), -1))
        if capacity is None:
            return cls(cost, people, existing, None, None)
        cap = np.asarray(capacity, dtype=np.int64)
        ecap = np.asarray([] if existing_capacity is None else existing_capacity, dtype=np.int64)
        if len(cap) != cost.shape[1] or len(ecap) != existing.shape[1]:
            raise ValueError("give a capacity for every candidate and every existing facility")
        return cls(cost, people, existing, cap, ecap)

    @property
    def capacitated(self) -> bool:
        return self.capacity is not None


def _within(cost_s: np.ndarray, limit_s: float) -> np.ndarray:
    """Where a travel time is finite and at most ``limit_s`` (inf is never within, not even an inf limit)."""
    return np.isfinite(cost_s) & (cost_s <= limit_s)


def _nearest_existing(problem: Problem) -> np.ndarray:
    if problem.existing_s.shape[1]:
        return problem.existing_s.min(axis=1)
    return np.full(len(problem.people), np.inf)


def evaluate(problem: Problem, open_sites, limit_s: float) -> Score:
    """The score of opening ``open_sites`` (candidate indices) beside the existing facilities."""
    sites = np.asarray(list(open_sites), dtype=np.int64)
    cost = np.hstack([problem.existing_s, problem.cost_s[:, sites]])
    people = problem.people
    if not problem.capacitated:
        best = cost.min(axis=1) if cost.shape[1] else np.full(len(people), np.inf)
        reached = np.isfinite(best)
        return Score(int(people[_within(best, limit_s)].sum()), int(people[reached].sum()),
                     float((people[reached] * best[reached]).sum()))
    capacity = np.concatenate([problem.existing_capacity, problem.capacity[sites]])
    within = assign(cost, people, capacity, limit_s)
    anywhere = assign(cost, people, capacity) if np.isfinite(limit_s) else within
    seconds = float((within.flows * np.where(within.flows > 0, cost, 0)).sum())
    return Score(int(people.sum() - within.unmet.sum()), int(people.sum() - anywhere.unmet.sum()), seconds)


def _solver(time_limit_s: float):
    solver = pywraplp.Solver.CreateSolver(SOLVER)
    if solver is None:
        raise RuntimeError(f"the {SOLVER} solver is not available in this OR-Tools build")
    solver.SetTimeLimit(int(time_limit_s * 1000))
    return solver


class NoSolution(RuntimeError):
    """The solver found no solution within its time limit."""


def _solve(solver) -> bool:
    """Solve at a zero gap; True when optimality is proven. Raises NoSolution when nothing was found in time."""
    params = pywraplp.MPSolverParameters()
    params.SetDoubleParam(params.RELATIVE_MIP_GAP, 0.0)
    status = solver.Solve(params)
    if status not in (solver.OPTIMAL, solver.FEASIBLE):
        raise NoSolution(f"the siting model did not solve: status {status}")
    return status == solver.OPTIMAL


def _site_vars(solver, n: int, k: int):
    y = [solver.BoolVar(f"y{j}") for j in range(n)]
    solver.Add(solver.Sum(y) <= k)
    return y


def _cover_model(solver, problem: Problem, y, limit_s: float, rows=None):
    """Uncapacitated covering: z_i ≤ Σ y_j over the candidates within ``limit_s`` of i; returns Σ people·z."""
    existing = _nearest_existing(problem)
    terms = []
    for i in (range(len(problem.people)) if rows is None else rows):
        near = np.nonzero(_within(problem.cost_s[i], limit_s))[0]
        if _within(existing[i], limit_s) or not len(near) or problem.people[i] <= 0:
            continue  # covered whatever is chosen, or never: a constant
        z = solver.NumVar(0, 1, f"z{i}")
        solver.Add(z <= solver.Sum(y[j] for j in near))
        terms.append(int(problem.people[i]) * z)
    return solver.Sum(terms) if terms else 0


def _flow_model(solver, problem: Problem, y, limit_s: float):
    """Capacitated assignment: flows of people on arcs within ``limit_s``; returns (Σ flow, Σ seconds·flow)."""
    n_demand, n_cand = problem.cost_s.shape
    cost = np.hstack([problem.cost_s, problem.existing_s])
    capacity = np.concatenate([problem.capacity, problem.existing_capacity])
    by_site: list[list] = [[] for _ in range(cost.shape[1])]
    flow_terms, cost_terms = [], []
    for i in range(n_demand):
        people = int(problem.people[i])
        arcs = np.nonzero(_within(cost[i], limit_s))[0] if people > 0 else []
        row = []
        for j in arcs:
            f = solver.NumVar(0, people, f"f{i}_{j}")
            row.append(f)
            by_site[j].append(f)
            cost_terms.append(float(cost[i, j]) / 60.0 * f)  # person-minutes keep the coefficients small
        if row:
            solver.Add(solver.Sum(row) <= people)
            flow_terms += row
    for j, flows in enumerate(by_site):
        if flows:
            bound = int(capacity[j]) * y[j] if j < n_cand else int(capacity[j])
            solver.Add(solver.Sum(flows) <= bound)
    return solver.Sum(flow_terms) if flow_terms else 0, solver.Sum(cost_terms) if cost_terms else 0


def _chosen(y) -> list[int]:
    return [j for j, v in enumerate(y) if v.solution_value() > 0.5]


def _max_covered(problem: Problem, k: int, limit_s: float, time_limit_s: float, rows=None):
    """Open at most ``k`` candidates covering the most people within ``limit_s``: (chosen, value, optimal).

    With capacities the value counts every person housed within the limit. The uncapacitated optimum bounds it
    from above, and is quick to find: when its sites house as many under the capacities, they are optimal.
    """
    if problem.capacitated:
        relaxed = replace(problem, capacity=None, existing_capacity=None)
        chosen, _, optimal = _max_covered(relaxed, k, limit_s, time_limit_s)
        bound = evaluate(relaxed, chosen, limit_s).covered_people
        if optimal and evaluate(problem, chosen, limit_s).covered_people >= bound:
            return chosen, float(bound), True
    solver = _solver(time_limit_s)
    y = _site_vars(solver, problem.cost_s.shape[1], k)
    covered = _flow_model(solver, problem, y, limit_s)[0] if problem.capacitated else \
        _cover_model(solver, problem, y, limit_s, rows)
    solver.Maximize(covered)
    optimal = _solve(solver)
    return _chosen(y), solver.Objective().Value(), optimal


def mclp(cost_s, people, k: int, limit_s: float, *, existing_s=None, capacity=None, existing_capacity=None,
         time_limit_s: float = 60.0) -> SitingSolution:
    """Maximal covering: at most ``k`` new sites that cover the most people within ``limit_s`` seconds.

    Parameters
    ----------
    cost_s : array (demands, candidates)
        Travel seconds between each demand point and each candidate (inf: unreachable).
    people : array (demands,)
        Whole people at each demand point.
    existing_s : array (demands, existing), optional
        Travel seconds to the facilities already open.
    capacity, existing_capacity : arrays, optional
        Places of each candidate and of each existing facility; with them people are assigned under capacity.

    Returns
    -------
    SitingSolution
        Sites that add nothing are left out, so fewer than ``k`` may come back.
    """
    started = time.perf_counter()
    problem = Problem.of(cost_s, people, existing_s, capacity, existing_capacity)
    chosen, _, optimal = _max_covered(problem, k, limit_s, time_limit_s)
    return _finish(problem, chosen, limit_s, optimal, started, "coverage")


def p_median(cost_s, people, k: int, *, limit_s: float = np.inf, existing_s=None, capacity=None,
             existing_capacity=None, time_limit_s: float = 60.0) -> SitingSolution:
    """p-median: at most ``k`` new sites that reach the most people, then minimise their person-seconds.

    Same arguments as ``mclp``. Without capacities ``limit_s`` only sets the ``covered_people`` reported and
    everyone reachable counts; with capacities people are assigned within ``limit_s`` (house the most there,
    then minimise their person-seconds), as evacuation plans are.
    """
    started = time.perf_counter()
    problem = Problem.of(cost_s, people, existing_s, capacity, existing_capacity)
    if problem.capacitated:
        chosen, optimal = _p_median_capacitated(problem, k, limit_s, time_limit_s)
    else:
        chosen, optimal = _p_median_nearest(problem, k, time_limit_s)
    return _finish(problem, chosen, limit_s, optimal, started, "p-median")


def _p_median_nearest(problem: Problem, k: int, time_limit_s: float) -> tuple[list[int], bool]:
    """Each person travels to the nearest open facility; x_ij is demand i served by candidate j."""
    existing = _nearest_existing(problem)
    unreached = np.nonzero(~np.isfinite(existing) & (problem.people > 0))[0]
    reach_min, optimal_first = None, True
    if len(unreached) and np.isfinite(problem.cost_s[unreached]).any():
        _, reach_min, optimal_first = _max_covered(problem, k, np.inf, time_limit_s, rows=unreached)
    solver = _solver(time_limit_s)
    y = _site_vars(solver, problem.cost_s.shape[1], k)
    saving, reached = [], []
    for i, people in enumerate(problem.people):
        better = np.nonzero(np.isfinite(problem.cost_s[i]) & (problem.cost_s[i] < existing[i]))[0]
        if people <= 0 or not len(better):
            continue
        x = [solver.NumVar(0, 1, f"x{i}_{j}") for j in better]
        for var, j in zip(x, better):
            solver.Add(var <= y[j])
        solver.Add(solver.Sum(x) <= 1)
        base = existing[i] if np.isfinite(existing[i]) else 0.0  # an unreached point: its whole trip counts
        saving += [int(people) * (float(problem.cost_s[i, j]) - base) / 60.0 * var for var, j in zip(x, better)]
        if not np.isfinite(existing[i]):
            reached += [int(people) * var for var in x]
    if reach_min is not None:
        solver.Add(solver.Sum(reached) >= round(reach_min) - 1e-6)  # continuous x: no slack of a person
    solver.Minimize(solver.Sum(saving) if saving else 0)
    optimal = _solve(solver)
    return _chosen(y), optimal and optimal_first


def _p_median_capacitated(problem: Problem, k: int, limit_s: float, time_limit_s: float) -> tuple[list[int], bool]:
    """House the most people within ``limit_s``, then minimise their person-minutes, under capacities."""
    _, most, optimal_first = _max_covered(problem, k, limit_s, time_limit_s)
    solver = _solver(time_limit_s)
    y = _site_vars(solver, problem.cost_s.shape[1], k)
    housed, minutes = _flow_model(solver, problem, y, limit_s)
    solver.Add(housed >= round(most) - 1e-6)
    solver.Minimize(minutes)
    optimal = _solve(solver)
    return _chosen(y), optimal and optimal_first


def _better(a: Score, b: Score, objective: str, capacitated: bool) -> bool:
    """Whether score ``a`` is strictly better than ``b`` for ``objective`` (with a tolerance on seconds)."""
    if objective == "coverage":
        return a.covered_people > b.covered_people
    first = (a.covered_people, b.covered_people) if capacitated else (a.reached_people, b.reached_people)
    if first[0] != first[1]:
        return first[0] > first[1]
    return a.person_seconds < b.person_seconds - 1e-6 * max(1.0, b.person_seconds)


def _finish(problem: Problem, chosen: list[int], limit_s: float, optimal: bool, started: float,
            objective: str) -> SitingSolution:
    """Order the chosen sites by what each adds (greedily) and leave out the ones that add nothing."""
    ordered: list[int] = []
    current = evaluate(problem, [], limit_s)
    remaining = list(chosen)
    while remaining:
        scores = [(evaluate(problem, ordered + [j], limit_s), j) for j in remaining]
        best_score, best = scores[0]
        for score, j in scores[1:]:
            if _better(score, best_score, objective, problem.capacitated):
                best_score, best = score, j
        if not _better(best_score, current, objective, problem.capacitated):
            break
        ordered.append(best)
        remaining.remove(best)
        current = best_score
    together = evaluate(problem, ordered + remaining, limit_s)
    if remaining and _better(together, current, objective, problem.capacitated):  # sites that add only together (capacities)
        ordered, current = ordered + remaining, together
    return SitingSolution(tuple(ordered), current, optimal, SOLVER, time.perf_counter() - started)


def contributions(problem: Problem, chosen, limit_s: float) -> list[tuple[Score, Score]]:
    """For each chosen site in order: the score with the sites before it, and with it (what it adds)."""
    result, opened = [], []
    before = evaluate(problem, [], limit_s)
    for j in chosen:
        opened.append(j)
        after = evaluate(problem, opened, limit_s)
        result.append((before, after))
        before = after
    return result
