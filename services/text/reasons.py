"""A coded reason: what a service returns where a user must later read why (a shelter flagged unsafe, people not
housed, a shelter not served); the catalogue renders it in the reader's language at the edge."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from services.text import t


@dataclass(frozen=True)
class Reason:
    """``code`` is a catalogue key, ``params`` fill its placeholders (numbers and names from the data)."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return t(self.code, lang, **self.params)

    def to_json(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data: Mapping) -> Reason:
        return cls(str(data["code"]), dict(data.get("params") or {}))
