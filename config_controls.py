"""The 熔断 table (issue 15 point 4) as configuration, part of the monitoring rules (``settings.monitoring.controls``:
config_monitoring.py reads it from QJ_CONTROLS_RULES; used by services/monitoring/controls.py): which controls
禁、停、撤、疏 a warning area's level calls for, by sector.

Why these defaults. The district's 2022 work plan asks for "emergency controls 禁、停、撤、疏" planned per disaster type
and a "熔断 mechanism by region, industry and site" (DESIGN.md, "What the district's 2022 work plans ask for"); the
geological-hazard levels say 黄 = patrols and teams ready, 橙 = move the threatened people, 红 = evacuate (DESIGN.md,
"Risk perception → warning → transfer"). So:

- 蓝 and 黄 call for no site controls: the duty officer prepares (patrols, teams on standby); a preview lists nothing.
- 橙 (move people): 停 outdoor work and outdoor crowds exposed to slopes and floods — construction (建筑施工), non-coal
  mines (非煤矿山: open pits, underground mines and tailings ponds alike) and scenic spots and old towns (古镇古寨,
  e.g. 濯水古镇); 疏 the crowds of markets, shopping centres and venues (商场超市, 农贸市场, 会展场所); 撤 the threatened
  people of every hazard point in the area; 禁 entry to the hazard points' influence zones and the roads through them.
- 红 (evacuate): also 停 the hazardous sites a slide or flood could turn into a second disaster — hazardous chemicals
  that hold stock (危险化学品 生产 / 经营(带储存) / 使用; a trader without storage has nothing on site to stop), refined
  oil (加油站, 油库) and gas (燃气, its restaurants using gas included, as the work plan supervises them); and 疏 the
  remaining crowded places (餐饮住宿, 民宿, 高层建筑).

A level's controls include those of every lower level. A rule names its lowest level, the action, the target
(``enterprises`` by sector and categories, ``hazards`` for 撤, ``roads`` for 禁) and, for enterprises, the sector and
its categories (none: every category of the sector).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from services import vocabulary as v


@dataclass(frozen=True)
class ControlRule:
    level: str                    # the lowest warning level the rule applies at
    action: str                   # 禁 / 停 / 撤 / 疏
    target: str                   # enterprises | hazards | roads
    sector: str | None = None     # enterprises: the sector
    categories: tuple[str, ...] = ()  # enterprises: its categories (empty: all of them)

    def __post_init__(self):
        if self.level not in v.WARNING_COLOUR_LEVELS or self.action not in v.CONTROL_ACTIONS \
                or self.target not in v.CONTROL_TARGETS:
            raise ValueError(f"control rule refused: {self!r} (level among {v.WARNING_COLOUR_LEVELS}, action among "
                             f"{v.CONTROL_ACTIONS}, target among {v.CONTROL_TARGETS})")
        if self.target == "enterprises":
            known = v.ENTERPRISE_SECTORS.get(self.sector or "")
            if known is None or any(c not in known for c in self.categories):
                raise ValueError(f"control rule refused: {self!r} (a known sector and its categories)")
        elif self.sector or self.categories:
            raise ValueError(f"control rule refused: {self!r} (only enterprise rules name a sector)")

    def matches(self, sector: str, category: str) -> bool:
        return self.target == "enterprises" and sector == self.sector and \
            (not self.categories or category in self.categories)


_CROWD, _STOP, _DISPERSE = "人员密集场所", v.CONTROL_STOP, v.CONTROL_DISPERSE
DEFAULT_RULES: tuple[ControlRule, ...] = (
    ControlRule(v.WARNING_ORANGE, _STOP, "enterprises", "建筑施工"),
    ControlRule(v.WARNING_ORANGE, _STOP, "enterprises", "非煤矿山"),
    ControlRule(v.WARNING_ORANGE, _STOP, "enterprises", _CROWD, ("古镇古寨",)),
    ControlRule(v.WARNING_ORANGE, _DISPERSE, "enterprises", _CROWD, ("商场超市", "农贸市场", "会展场所")),
    ControlRule(v.WARNING_ORANGE, v.CONTROL_EVACUATE, "hazards"),
    ControlRule(v.WARNING_ORANGE, v.CONTROL_BAN, "roads"),
    ControlRule(v.WARNING_RED, _STOP, "enterprises", "危险化学品", ("生产", "经营(带储存)", "使用")),
    ControlRule(v.WARNING_RED, _STOP, "enterprises", "成品油"),
    ControlRule(v.WARNING_RED, _STOP, "enterprises", "燃气"),
    ControlRule(v.WARNING_RED, _DISPERSE, "enterprises", _CROWD, ("餐饮住宿", "民宿", "高层建筑")),
)


@dataclass(frozen=True)
class ControlTable:
    """The rules of 熔断; ``for_level`` gives those a level calls for (its own and every lower level's)."""

    rules: tuple[ControlRule, ...] = DEFAULT_RULES

    def for_level(self, level: str) -> tuple[ControlRule, ...]:
        rank = v.WARNING_COLOUR_LEVELS.index(level)
        return tuple(r for r in self.rules if v.WARNING_COLOUR_LEVELS.index(r.level) <= rank)


def control_table_from_env(env) -> ControlTable:
    """The table from QJ_CONTROLS_RULES (JSON ``[["橙", "停", "enterprises", "建筑施工", []], ["橙", "撤", "hazards"],
    …]``), else the defaults (``env(name, default)``)."""
    raw = env("QJ_CONTROLS_RULES", "")
    if not raw.strip():
        return ControlTable()
    rules = []
    for row in json.loads(raw):
        level, action, target, *rest = row
        sector = rest[0] if rest else None
        categories = tuple(rest[1]) if len(rest) > 1 else ()
        rules.append(ControlRule(level, action, target, sector, categories))
    return ControlTable(tuple(rules))
