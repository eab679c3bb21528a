"""Setting up a database: schema, real geography, the supply catalogue and the synthetic sample.

``setup_database`` is the one place that opens units of work itself (it is what the CLI, the server's start
and the tests call): the schema migrates first, then each seeding step runs in one writing unit of its own,
serialised across processes, so two servers starting at once load the geography once.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from config import ROOT, Settings
from services.data.geography import (
    GeographyCounts,
    VillageSeat,
    load_geography,
    set_township_populations,
    set_village_seats,
)
from services.data.imports import import_path, load_catalogue
from services.data.region import prepare_region
from services.data.specs import LOAD_ORDER
from services.data.monitoring_sample import load_monitoring_sample, needs_monitoring_sample
from services.data.supervision_sample import load_supervision_sample, needs_supervision_sample
from services.db import schema
from services.db.locks import transaction_lock
from services.db.uow import UnitOfWork, unit_of_work
from services.models import Enterprise, SupplyItem, Township
from services.text import use_region_wording

CATALOGUE_CSV = ROOT / "data" / "supply_catalogue.csv"
SEED_ACTOR = "seed"


@dataclass(frozen=True)
class SetupReport:
    """What ``setup_database`` loaded; a step that had nothing to do is None."""

    geography: GeographyCounts | None = None
    catalogue_items: int | None = None
    sample_rows: dict[str, int] | None = None  # rows read per entity file
    supervision_rows: dict[str, int] | None = None  # the sample's supervision history, rows per table
    monitoring_rows: dict[str, int] | None = None  # the sample's thresholds (风险感知), per metric

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.geography, self.catalogue_items, self.sample_rows,
                                           self.supervision_rows, self.monitoring_rows))


def _count(uow: UnitOfWork, model) -> int:
    return uow.session.scalar(select(func.count()).select_from(model)) or 0


def load_sample(uow: UnitOfWork, sample_dir: Path | None = None) -> dict[str, int]:
    """Import every sample file through the ordinary importer, flagged as sample (示例数据), all or nothing."""
    sample_dir = Path(sample_dir or uow.settings.sample_dir)
    counts = {}
    for entity in LOAD_ORDER:
        counts[entity] = import_path(uow, entity, sample_dir / f"{entity}.csv", is_sample=True).rows
    population_file = sample_dir / "township_population.csv"
    if population_file.exists():
        with population_file.open(encoding="utf-8-sig", newline="") as fh:
            populations = {r["code"]: int(r["population"]) for r in csv.DictReader(fh)}
        set_township_populations(uow, populations, is_sample=True)
    village_file = sample_dir / "village_sample.csv"
    if village_file.exists():
        with village_file.open(encoding="utf-8-sig", newline="") as fh:
            seats = [VillageSeat(r["code"], float(r["seat_lon"]), float(r["seat_lat"]), int(r["population"]))
                     for r in csv.DictReader(fh)]
        set_village_seats(uow, seats, is_sample=True)
    return counts


def setup_database(settings: Settings, *, with_sample: bool = True) -> SetupReport:
    """Create or upgrade the schema; load geography and catalogue if missing; the sample if empty, and the
    sample's supervision history (services/data/supervision_sample.py) once, while no supervision record exists."""
    use_region_wording(settings.region.unit)
    prepare_region(settings)  # a county of the national gazetteer: its files and road network, written once
    schema.upgrade(settings.database_url)
    with _step(settings) as uow:
        geography = load_geography(uow) if _count(uow, Township) == 0 else None
    with _step(settings) as uow:
        catalogue = load_catalogue(uow, CATALOGUE_CSV) if _count(uow, SupplyItem) == 0 else None
    sample = supervision = monitoring = None
    if with_sample and settings.sample_dir is not None:
        with _step(settings) as uow:
            sample = load_sample(uow) if _count(uow, Enterprise) == 0 else None
        with _step(settings) as uow:  # its own step: a database seeded before the history existed gets it too
            supervision = load_supervision_sample(uow) if needs_supervision_sample(uow) else None
        with _step(settings) as uow:  # likewise: the thresholds came after the sample
            monitoring = load_monitoring_sample(uow) if needs_monitoring_sample(uow) else None
    return SetupReport(geography, catalogue, sample, supervision, monitoring)


@contextmanager
def _step(settings: Settings) -> Iterator[UnitOfWork]:
    """One seeding step: a writing unit of work that waits for any other process seeding the same database."""
    with unit_of_work(settings, write=True, actor=SEED_ACTOR) as uow:
        transaction_lock(uow, "qj-setup")
        yield uow
