"""The README lists the columns of every import file, as the import specs read them."""
from __future__ import annotations

from config import ROOT
from services.data.specs import IMPORTABLE


def test_the_readme_names_every_column_of_every_import():
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Import files"):readme.index("## API")]
    missing = [f"{key}: {c.header}" for key, spec in IMPORTABLE.items() for c in spec.columns
               if f"`{c.header}`" not in section.split(f"**{key}**", 1)[-1].split("\n- **", 1)[0]]
    assert not missing, "\n".join(missing)
