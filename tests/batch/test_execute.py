"""One ward's notebook in a worker: the kernel's channels (``workbench.batch.execute``)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from workbench.batch import run_batch
from workbench.batch.execute import SOCKET_PREFIX, kernel_config
from workbench.store.workspace import Workspace

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_each_kernel_gets_unix_sockets_of_its_own_on_linux() -> None:
    one, two = kernel_config("linux"), kernel_config("linux")
    assert one.KernelManager.transport == "ipc" == two.KernelManager.transport
    assert one.KernelManager.ip.startswith(SOCKET_PREFIX)
    assert one.KernelManager.ip != two.KernelManager.ip, "a fresh name for every kernel"
    assert kernel_config("darwin") is None, "no abstract sockets elsewhere: TCP as shipped"


@pytest.mark.papermill
def test_wards_run_at_once_talk_to_their_kernels_over_sockets_not_ports(
        demo_ws: Workspace, tmp_path: Path) -> None:
    """Two workers start kernels at the same moment; with TCP they could pick the same port
    and one kernel died before its first cell (a CI run failed a ward that way)."""
    wards = ["nh-cau", "nh-ucc", "nh-ed", "sh-amu"]
    result = run_batch(demo_ws, notebook=str(FIXTURES / "channels.ipynb"), wards=",".join(wards),
                       jobs=2, out=tmp_path, progress=False, timeout=120)
    assert result.failed == {}
    seen = []
    for ward in wards:
        nb = nbformat.read(result.folder / ward / "channels.ipynb", as_version=4)
        printed = [out["text"] for cell in nb.cells for out in cell.get("outputs", [])
                   if out.get("name") == "stdout"]
        transport, ip = printed[0].split()
        assert transport == "ipc" and ip.startswith(SOCKET_PREFIX)
        seen.append(ip)
    assert len(set(seen)) == len(wards)
