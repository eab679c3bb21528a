"""Benchmark: how long the importer takes to refuse a small .xlsx that unpacks to a huge sheet (a zip bomb).

The workbook is ~7 MB on disk and holds ~125 MB of sheet XML (rows of repeated names and a random number: it
compresses about 20:1, like real data, not like a pure deflate bomb). Each run reads it in a child process; the figures are the wall
time until ``read_table`` answers (rows or a refusal) and the child's peak memory.

    python bench/import_bomb.py [--xml-mb 125] [--repeat 3]
"""
from __future__ import annotations

import argparse
import io
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import ROOT, emit, print_machine  # noqa: E402

# The child resets its peak-RSS mark first: a forked process starts with its parent's (Linux clear_refs "5").
_CHILD = """
import re, sys, time
from pathlib import Path
from services.data.imports import ImportRejected, read_table
content = Path(sys.argv[1]).read_bytes()
Path("/proc/self/clear_refs").write_text("5")
started = time.perf_counter()
try:
    header, rows = read_table(content, "bomb.xlsx")
    outcome = f"read {len(rows)} rows"
except ImportRejected as exc:
    outcome = "refused: " + exc.errors[0].reason_en
elapsed = time.perf_counter() - started
peak_kb = re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1)
print(f"{elapsed:.3f}\\t{peak_kb}\\t{outcome}")
"""


def bomb_workbook(xml_mb: float, seed: int = 5) -> bytes:
    """A valid .xlsx whose first sheet is ``xml_mb`` MB of XML: a header row, then rows of five cells."""
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["统一社会信用代码", "企业名称", "经度", "纬度", "未整改隐患数"])
    skeleton = io.BytesIO()
    book.save(skeleton)
    rng = random.Random(seed)
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    size, row = 0, 1
    while size < xml_mb * 1e6:
        row += 1
        cells = "".join(f'<c r="{col}{row}" t="inlineStr"><is><t>测试建材有限公司</t></is></c>' for col in "ABCD")
        cells += f'<c r="E{row}"><v>{rng.randint(0, 9999)}</v></c>'
        line = f'<row r="{row}">{cells}</row>'
        parts.append(line)
        size += len(line.encode())
    parts.append("</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(skeleton) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = "".join(parts).encode() if info.filename == "xl/worksheets/sheet1.xml" else src.read(info)
            dst.writestr(info.filename, data)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--xml-mb", type=float, default=125.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print_machine()
    content = bomb_workbook(args.xml_mb)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bomb.xlsx"
        path.write_bytes(content)
        with zipfile.ZipFile(path) as z:
            xml_bytes = sum(i.file_size for i in z.infolist())
        print(f"workbook {len(content) / 2**20:.1f} MiB on disk, {xml_bytes / 2**20:.0f} MiB unpacked")
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], cwd=ROOT, capture_output=True,
                                 text=True, check=True).stdout.strip().splitlines()[-1]
            seconds, rss_kb, outcome = out.split("\t")
            runs.append((float(seconds), int(rss_kb) / 1024, time.perf_counter() - started))
            print(f"read_table {float(seconds):.2f} s, peak {int(rss_kb) / 1024:.0f} MiB: {outcome}")
    best = min(runs)
    emit({"benchmark": "import_bomb", "disk_mib": round(len(content) / 2**20, 1),
          "unpacked_mib": round(xml_bytes / 2**20), "read_s": round(best[0], 3), "peak_mib": round(best[1]),
          "outcome": outcome})
    return 0


if __name__ == "__main__":
    sys.exit(main())
