"""The 一线责任制 milestones as configuration, beside config.py (which reads them from QJ_DUTY_* variables; used by
services/supervision/milestones.py)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services import vocabulary

DUTY_PILOT_SECTORS = ("危险化学品", "非煤矿山", "工贸", "建筑施工", "燃气", "人员密集场所")
DUTY_KEY_SECTORS, DUTY_MILESTONES = ("危险化学品", "成品油", "燃气", "非煤矿山"), ("pilots", "above_size", "all")


@dataclass(frozen=True)
class DutyMilestones:
    """一线责任制 dates (MM-DD) in the year in force (services/supervision/milestones.py): by ``pilots_by`` the pilots
    (``duty_pilot``) of ``pilot_sectors`` (人员密集场所 stands for the plan's tourism); by ``above_size_by`` also all of
    ``key_sectors`` (high-hazard) and of 规上/限上/资质以上; by ``all_by`` all. Done: four cards at ``done_status`` or
    later. ``year`` None: this local year."""

    pilots_by: str = "03-31"
    above_size_by: str = "09-30"
    all_by: str = "12-31"
    pilot_sectors: tuple = DUTY_PILOT_SECTORS
    key_sectors: tuple = DUTY_KEY_SECTORS
    done_status: str = vocabulary.CARD_STATUSES[-1]
    year: int | None = None

    def __post_init__(self):
        dates = list(self.due_dates(2001).values())  # a common year: 02-29 is refused
        unknown = (set(self.pilot_sectors) | set(self.key_sectors)) - set(vocabulary.ENTERPRISE_SECTORS)
        if dates != sorted(dates) or unknown or self.done_status not in vocabulary.CARD_STATUSES[1:] \
                or not 2000 <= (self.year or 2000) <= 2100:
            raise ValueError(f"duty milestones refused: dates in order {dates}, unknown sectors {sorted(unknown)}, "
                             f"done_status {self.done_status!r} (not 未编制), year {self.year!r} (2000-2100)")

    def due_dates(self, year: int) -> dict:  # milestone (pilots, above_size, all) → its date in ``year``
        try:
            return {k: dt.datetime.strptime(f"{year}-{getattr(self, k + '_by')}", "%Y-%m-%d").date()
                    for k in DUTY_MILESTONES}
        except (TypeError, ValueError):
            raise ValueError("duty milestone dates must be MM-DD") from None


def milestones_from_env(env) -> DutyMilestones:
    """The milestones from QJ_DUTY_PILOTS_BY, _ABOVE_SIZE_BY, _ALL_BY, _PILOT_SECTORS, _KEY_SECTORS, _DONE_STATUS and
    _YEAR (``env(name, default)`` reads one)."""
    sectors = (tuple(x.strip() for x in env(f"QJ_DUTY_{k}_SECTORS", ",".join(v)).split(",") if x.strip())
               for k, v in (("PILOT", DUTY_PILOT_SECTORS), ("KEY", DUTY_KEY_SECTORS)))
    return DutyMilestones(env("QJ_DUTY_PILOTS_BY", "03-31"), env("QJ_DUTY_ABOVE_SIZE_BY", "09-30"),
                          env("QJ_DUTY_ALL_BY", "12-31"), *sectors,
                          env("QJ_DUTY_DONE_STATUS", vocabulary.CARD_STATUSES[-1]),
                          int(env("QJ_DUTY_YEAR", "0")) or None)
