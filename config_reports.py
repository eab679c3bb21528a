"""The limits of public reports (有奖举报) as configuration, beside config.py (which reads them from QJ_REPORT_*
variables; used by services/supervision/reports.py and the public form at /report)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PublicReportLimits:
    """How many reports one sender's address may make: ``max_per_hour`` in any 60 minutes and ``max_per_day`` in
    any 24 hours (counted in the database, in the transaction that stores the report); how long a description may
    be. A photo is checked against ``settings.photos`` (size, pixels, a real JPEG/PNG/WebP), as field photos are."""

    max_per_hour: int = 3
    max_per_day: int = 10
    max_description_chars: int = 2000
    min_description_chars: int = 5

    def __post_init__(self):
        if not 1 <= self.max_per_hour <= self.max_per_day <= 10_000 \
                or not 1 <= self.min_description_chars <= self.max_description_chars <= 20_000:
            raise ValueError(f"public report limits refused: per hour {self.max_per_hour} and per day "
                             f"{self.max_per_day} (1 ≤ hour ≤ day ≤ 10000), description "
                             f"{self.min_description_chars}–{self.max_description_chars} characters")


def report_limits_from_env(env) -> PublicReportLimits:
    """The limits from QJ_REPORT_MAX_PER_HOUR, _MAX_PER_DAY, _MAX_CHARS and _MIN_CHARS (``env(name, default)``)."""
    return PublicReportLimits(int(env("QJ_REPORT_MAX_PER_HOUR", "3")), int(env("QJ_REPORT_MAX_PER_DAY", "10")),
                              int(env("QJ_REPORT_MAX_CHARS", "2000")), int(env("QJ_REPORT_MIN_CHARS", "5")))
