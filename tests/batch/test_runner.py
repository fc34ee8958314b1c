"""The batch runner: reports, manifest, index, resume, fault isolation, the Dask path, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from workbench.batch import run_batch, safe_name
from workbench.batch.runner import find_notebook
from workbench.domain.errors import NotFoundError, WorkbenchError
from workbench.store.workspace import Workspace

FIXTURES = Path(__file__).resolve().parent / "fixtures"
pytestmark = pytest.mark.papermill


def _fixture(name: str) -> str:
    return str(FIXTURES / f"{name}.ipynb")


def test_safe_name() -> None:
    assert safe_name("nh-ucc") == "nh-ucc"
    odd = ["../etc", "a/b", "ward 7", "W.7", "..", "", "é", "x" * 80]
    names = [safe_name(w) for w in odd]
    assert len(set(names)) == len(odd)
    for n in names:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", n) and len(n) <= 60


def test_refuses_unknown_wards_notebooks_and_runs(demo_ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="unknown ward"):
        run_batch(demo_ws, wards="nh-ucc,nope", out=tmp_path, progress=False)
    with pytest.raises(NotFoundError, match="no notebook 'nope'"):
        find_notebook("nope", demo_ws)
    with pytest.raises(NotFoundError, match="no run 'r1'"):
        run_batch(demo_ws, resume="r1", out=tmp_path, progress=False)
    with pytest.raises(WorkbenchError, match="as_of: '2026-02-30' is not a date"):
        run_batch(demo_ws, wards="nh-ucc", out=tmp_path, progress=False,
                  parameters={"as_of": "2026-02-30"})
    assert list(tmp_path.iterdir()) == []


def test_check_result_for_two_wards_then_resume(demo_ws: Workspace, tmp_path: Path) -> None:
    pdsa = {p: p.read_bytes() for p in demo_ws.pdsa.rglob("*.yaml")}
    result = run_batch(demo_ws, wards=["nh-ucc", "sh-dl"], jobs=2, out=tmp_path,
                       progress=False)
    assert result.failed == {}
    run = tmp_path / result.run_id
    manifest = json.loads((run / "run.json").read_text())
    assert manifest["notebook"] == "04_check_result" and set(manifest["wards"]) == {
        "nh-ucc", "sh-dl"}
    assert (run / "vega.js").stat().st_size > 100_000, "the run ships the Vega bundle"
    for ward in ("nh-ucc", "sh-dl"):
        html = (run / ward / "04_check_result.html").read_text()
        assert (run / ward / "04_check_result.ipynb").is_file()
        assert "Did the predictions hold?" in html
        # the charts are drawn by the browser from their specs, with the run's own bundle
        assert html.count('class="wb-vega-spec"') >= 2 and '<script src="../vega.js">' in html
        assert "page = check_page" not in html, "no input cells in the report"
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", html), \
            "the report must not fetch anything"
    index = (run / "index.html").read_text()
    assert 'href="nh-ucc/04_check_result.html"' in index and "Done" in index
    assert "Infant bruising prompt completed at triage" in index
    assert "No unusual change" in index or "Getting" in index
    after = {p: p.read_bytes() for p in demo_ws.pdsa.rglob("*.yaml")}
    assert after == pdsa, "a batch run records nothing"

    (run / "sh-dl" / "04_check_result.html").unlink()
    kept = (run / "nh-ucc" / "04_check_result.html").stat().st_mtime_ns
    older = tmp_path / "20260101T000000Z-04_check_result"
    older.mkdir()
    (older / "run.json").write_text(json.dumps({"run_id": older.name, "finished": "yes",
                                                "created": "2026-01-01T00:00:00+00:00"}))
    again = run_batch(demo_ws, resume=result.run_id, out=tmp_path, progress=False, keep=1)
    assert again.run_id == result.run_id and again.failed == {}
    assert not older.exists() and run.is_dir(), "--keep 1: this run stays, the older goes"
    assert (run / "sh-dl" / "04_check_result.html").is_file()
    assert (run / "nh-ucc" / "04_check_result.html").stat().st_mtime_ns == kept


def test_dask_cluster_runs_the_same_work(demo_ws: Workspace, tmp_path: Path) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        result = run_batch(demo_ws, notebook=_fixture("raises"), wards="nh-ucc,nh-cau",
                           scheduler=cluster.scheduler_address, out=tmp_path, progress=False)
    assert result.wards["nh-ucc"]["status"] == "ok"
    assert "unexpected error" in result.failed["nh-cau"]
    assert "boom on purpose" in (result.folder / "nh-cau" / "raises.html").read_text()
    manifest = json.loads((result.folder / "run.json").read_text())
    assert manifest["scheduler"] == cluster.scheduler_address


def test_cli_exits_1_naming_failed_wards(demo_ws: Workspace, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    with pytest.raises(SystemExit) as info:
        main(["batch", "--notebook", _fixture("raises"), "--wards", "nh-ucc,nh-cau",
              "--jobs", "2", "--out", str(tmp_path), "--no-progress",
              "--workspace", str(demo_ws.root), "--db", demo_ws.db_url])
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "nh-cau: The notebook stopped with an unexpected error" in err
    assert "ValueError" not in err, "Python's words stay on the ward's page, folded away"
    command = re.search(r"Rerun the unfinished wards with: (.*)", err)
    assert command and f"--workspace {demo_ws.root}" in command.group(1)
    assert f"--out {tmp_path}" in command.group(1)
    with pytest.raises(SystemExit) as info:
        main(["batch", "--wards", "nope", "--out", str(tmp_path), "--workspace",
              str(demo_ws.root)])
    assert info.value.code == 1 and "unknown ward" in capsys.readouterr().err
