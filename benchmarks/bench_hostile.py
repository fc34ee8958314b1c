"""Peak memory of hostile files: each must be refused well under 500 MB.

Run from the repository root::

    .venv/bin/python benchmarks/bench_hostile.py            # every case (about 2 minutes)
    .venv/bin/python benchmarks/bench_hostile.py --only csv-wide-header

Each case runs in a fresh child process (``subprocess`` + ``os.wait4``), which imports the
workbench, opens a workspace and imports (or lists) the hostile file; its peak resident memory
(``ru_maxrss``) and wall time are printed beside a baseline child that does the same with a
small valid file in the same run, so the figure that matters is the growth over the baseline.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

CHILD = r"""
import sys, datetime as dt
from pathlib import Path
from workbench.domain.errors import WorkbenchError
from workbench.store.workspace import resolve_workspace
ws = resolve_workspace(sys.argv[1], "sqlite:///" + sys.argv[1] + "/data/workbench.sqlite")
kind, path = sys.argv[2], Path(sys.argv[3])
try:
    if kind == "records":
        from workbench.services.cycles import load_cycles
        got = load_cycles(ws)
        print("listed", len(got.records), "skipped:", "; ".join(p.words() for p in got.problems))
    else:
        from workbench.services.observations import import_file
        print(import_file(ws, path).summary())
except WorkbenchError as exc:
    print("refused:", str(exc).splitlines()[0][:160], "|", str(exc).splitlines()[-1][:200])
"""

HEADER = "ward,measure,date,value,denominator\n"


def _wards(root: Path) -> None:
    (root / "pdsa" / "cycles").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    (root / "pdsa" / "wards.yaml").write_text(
        "- id: W1\n  name: Ward 1\n  site: Bench\n  specialty: General\n", "utf-8")


def _xlsx(path: Path, sheet_xml: bytes | None = None, *, sheet_writer=None,  # noqa: ANN001
          strings_writer=None) -> None:  # noqa: ANN001
    """A minimal workbook whose sheet (and shared strings) are written by the callers."""
    ct = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
          b'/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
          b'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
          b'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
          b'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
          b'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          b'spreadsheetml.worksheet+xml"/>'
          + (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxml'
             b'formats-officedocument.spreadsheetml.sharedStrings+xml"/>' if strings_writer else b"")
          + b"</Types>")
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
            b'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas'
            b'.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
            b'workbook.xml"/></Relationships>')
    wb = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
          b'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument'
          b'/2006/relationships"><sheets><sheet name="Counts" sheetId="1" r:id="rId1"/></sheets>'
          b"</workbook>")
    wbrels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
              b'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
              b'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="'
              b'worksheets/sheet1.xml"/>'
              + (b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
                 b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                 if strings_writer else b"") + b"</Relationships>")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", ct)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("xl/workbook.xml", wb)
        zf.writestr("xl/_rels/workbook.xml.rels", wbrels)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            if sheet_xml is not None:
                fh.write(sheet_xml)
            else:
                sheet_writer(fh)
        if strings_writer:
            with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
                strings_writer(fh)


SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
              b'openxmlformats.org/spreadsheetml/2006/main">')


def make_cases(folder: Path) -> dict[str, tuple[str, Path]]:
    """Write every hostile file (and the baseline) into *folder*."""
    cases: dict[str, tuple[str, Path]] = {}
    ok = folder / "baseline.csv"
    ok.write_text(HEADER + "".join(f"W1,repeat_attendances,2026-01-{d:02d},{d},\n"
                                   for d in range(1, 29)), "utf-8")
    cases["baseline (28 good rows)"] = ("import", ok)

    def bomb(fh) -> None:  # noqa: ANN001 - 1 GB of empty rows, about 1 MB zipped
        fh.write(SHEET_HEAD + b"<sheetData>")
        row = b"".join(b'<row r="1"><c r="A1"/></row>' for _ in range(40_000))
        for _ in range(int(1e9 // len(row))):
            fh.write(row)
        fh.write(b"</sheetData></worksheet>")
    path = folder / "zip-bomb.xlsx"
    _xlsx(path, sheet_writer=bomb)
    cases["xlsx zip bomb (unpacks to 1 GB)"] = ("import", path)

    path = folder / "claims-huge.xlsx"
    _xlsx(path, SHEET_HEAD + b'<dimension ref="A1:XFD1048576"/><sheetData><row r="1">'
          b'<c r="A1" t="inlineStr"><is><t>ward</t></is></c></row>'
          b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
          b"</sheetData></worksheet>")
    cases["xlsx claiming 17 billion cells"] = ("import", path)

    def strings(fh) -> None:  # noqa: ANN001 - 300 MB of shared strings
        fh.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                 b'openxmlformats.org/spreadsheetml/2006/main">')
        item = b"<si><t>" + b"x" * 90 + b"</t></si>"
        block = item * 10_000
        for _ in range(int(3e8 // len(block))):
            fh.write(block)
        fh.write(b"</sst>")
    path = folder / "strings-bomb.xlsx"
    _xlsx(path, SHEET_HEAD + b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
          b"</sheetData></worksheet>", strings_writer=strings)
    cases["xlsx shared strings of 300 MB"] = ("import", path)

    def wide(fh) -> None:  # noqa: ANN001 - a header row of 16,384 cells, then 300 such rows
        fh.write(SHEET_HEAD + b"<sheetData>")
        cells = b"".join(b'<c t="inlineStr"><is><t>c</t></is></c>' for _ in range(16_384))
        for r in range(1, 301):
            fh.write(b'<row r="%d">' % r + cells + b"</row>")
        fh.write(b"</sheetData></worksheet>")
    path = folder / "wide.xlsx"
    _xlsx(path, sheet_writer=wide)
    cases["xlsx 16,384 columns x 300 rows"] = ("import", path)

    def many(fh) -> None:  # noqa: ANN001 - 7 million small cells (past the cell limit)
        fh.write(SHEET_HEAD + b'<sheetData><row r="1">' + b"".join(
            b'<c t="inlineStr"><is><t>%s</t></is></c>' % h for h in
            (b"ward", b"measure", b"date", b"value", b"denominator")) + b"</row>")
        row = b"".join(b'<c t="inlineStr"><is><t>1</t></is></c>' for _ in range(5))
        for r in range(2, 1_400_001):
            fh.write(b'<row r="%d">' % r + row + b"</row>")
        fh.write(b"</sheetData></worksheet>")
    path = folder / "many-cells.xlsx"
    _xlsx(path, sheet_writer=many)
    cases["xlsx 7 million cells"] = ("import", path)

    path = folder / "wide-header.csv"
    path.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n1\n", "utf-8")
    cases["csv header of 1,000,000 columns"] = ("import", path)

    path = folder / "long-line.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER + "W1,repeat_attendances,2026-01-01,1,\n")
        for _ in range(100):
            fh.write("x" * 1_000_000)
        fh.write("\n")
    cases["csv with one 100 MB line"] = ("import", path)

    path = folder / "utf16.txt"
    path.write_bytes(("\ufeff" + HEADER.replace(",", "\t") + "W1\trepeat_attendances\t"
                      + "x" * 50_000_000 + "\n").encode("utf-16-le"))
    cases["utf-16 text with a 50 MB cell"] = ("import", path)

    records = folder / "records-ws"
    _wards(records)
    with (records / "pdsa" / "cycles" / "huge.yaml").open("w", encoding="utf-8") as fh:
        fh.write("id: huge\nward: W1\ndo_log:\n")
        for i in range(400_000):
            fh.write(f"- date: 2026-01-01\n  note: entry {i} of a very long log\n")
    cases["yaml record of 20 MB"] = ("records", records / "pdsa" / "cycles" / "huge.yaml")
    return cases


def measure(kind: str, path: Path, ws: Path) -> tuple[float, float, str]:
    """Peak RSS (MB) and wall time (s) of a child importing or listing *path*; its last line."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(ws), kind, str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return usage.ru_maxrss / 1024, time.perf_counter() - started, out.strip().splitlines()[-1]


def main() -> None:
    """Write the hostile files, measure each in a child process and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="Run only the cases whose name contains this text.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        folder = Path(tmp)
        ws = folder / "ws"
        _wards(ws)
        print("writing the hostile files ...", flush=True)
        cases = make_cases(folder)
        base_mb = None
        print(f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} cores")
        print(f"{'case':36} {'file MB':>8} {'peak MB':>8} {'growth':>8} {'time s':>7}  outcome")
        for name, (kind, path) in cases.items():
            if args.only and args.only not in name and "baseline" not in name:
                continue
            target = path.parent.parent.parent if kind == "records" else ws
            peak, secs, last = measure(kind, path, target)
            if base_mb is None:
                base_mb = peak
            size = path.stat().st_size / 1e6
            print(f"{name:36} {size:8.1f} {peak:8.0f} {peak - base_mb:+8.0f} {secs:7.1f}  "
                  f"{last[:150]}", flush=True)


if __name__ == "__main__":
    main()
