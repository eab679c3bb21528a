"""Township and village names as offices write them in an import: full name, short name or official code.

石会 and 石会镇 and 500114008 name one township; 关云村村民委员会, 关云村, 关云 and its 12-digit code one village
(a short village name looked up within the row's township). A name that fits two places is refused, naming them.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from services.data.cells import CellError
from services.data.specs import TOWNSHIP_SUFFIXES, VILLAGE_SUFFIXES
from services.db.uow import UnitOfWork
from services.models import Township, Village
from services.text import t

_SPACE = re.compile(r"\s+")


def _clean(text) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text)))


def _strip(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in sorted(suffixes, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name


def township_keys(name: str) -> set[str]:
    """The ways a township's name is written: 石会镇 → {石会镇, 石会}, 城西街道 → {城西街道, 城西}."""
    name = _clean(name)
    return {name, _strip(name, TOWNSHIP_SUFFIXES)}


def village_keys(name: str) -> set[str]:
    """关云村村民委员会 → {关云村村民委员会, 关云村, 关云}; 文汇社区居民委员会 → {…, 文汇社区, 文汇}."""
    name = _clean(name)
    committee, kind = VILLAGE_SUFFIXES
    common = _strip(name, committee)
    return {name, common, _strip(common, kind)}


@dataclass
class PlaceIndex:
    """Townships and villages of the district by every key they are written with."""

    township_name: dict[str, str] = field(default_factory=dict)                 # code → name
    townships: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # key → codes
    village: dict[str, tuple[str, str]] = field(default_factory=dict)           # code → (name, township code)
    villages: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))   # key → codes

    def township(self, text) -> str:
        """The code of the township ``text`` names; raises CellError("township" or "township_ambiguous")."""
        value = _clean(text)
        codes = self.townships.get(value) or self.townships.get(_strip(value, TOWNSHIP_SUFFIXES)) or set()
        if len(codes) == 1:
            return next(iter(codes))
        if not codes:
            raise CellError("township", value=str(text))
        raise CellError("township_ambiguous", value=str(text), names=self._names(self.township_name[c] for c in codes),
                        names_en=self._names((self.township_name[c] for c in codes), "en"))

    def find_village(self, text, township_code: str | None) -> tuple[str, str] | None:
        """(official name, township code) of the village ``text`` names, within ``township_code`` when given;
        None when no village is written so (a 组 or a place the gazetteer lacks: kept as written).

        Raises CellError("village_ambiguous") for a name two villages share, ("village_elsewhere") for a code of
        a village in another township than the row's.
        """
        value = _clean(text)
        if value in self.village:
            name, town = self.village[value]
            if township_code and town != township_code:
                raise CellError("village_elsewhere", value=str(text), township=self.township_name[town],
                                row_township=self.township_name[township_code])
            return name, town
        committee, kind = VILLAGE_SUFFIXES
        keys = [value, _strip(value, committee), _strip(_strip(value, committee), kind)]
        for key in keys:
            codes = {c for c in self.villages.get(key, ()) if not township_code or self.village[c][1] == township_code}
            if len(codes) == 1:
                return self.village[next(iter(codes))]
            if len(codes) > 1:
                shown = [f"{self.township_name[self.village[c][1]]}{self.village[c][0]}" for c in sorted(codes)]
                raise CellError("village_ambiguous", value=str(text), names=self._names(shown),
                                names_en=self._names(shown, "en"))
        return None

    @staticmethod
    def _names(names, lang: str = "zh") -> str:
        return t("list.separator", lang).join(sorted(names))


def place_index(uow: UnitOfWork) -> PlaceIndex:
    """Every township and village of the database, indexed by the keys above."""
    index = PlaceIndex()
    for code, name in uow.session.execute(select(Township.code, Township.name)):
        index.township_name[code] = name
        index.townships[code].add(code)
        for key in township_keys(name):
            index.townships[key].add(code)
    for code, name, town in uow.session.execute(select(Village.code, Village.name, Village.township_code)):
        index.village[code] = (name, town)
        for key in village_keys(name):
            index.villages[key].add(code)
    return index
