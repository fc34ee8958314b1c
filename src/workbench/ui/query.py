"""Read a Voila page's query string (``?ward=nh-ucc``) from inside a notebook.

Under papermill or JupyterLab there is no query string and the notebook's parameters stand.
Under Voila with preheated kernels the notebook runs before the request arrives, so reading the
query string waits for it: call :func:`param` in a cell *after* the slow imports, so the warm-up
happens before the user asks for the page.
"""

from __future__ import annotations

import os
from functools import lru_cache
from urllib.parse import parse_qsl


def in_voila() -> bool:
    """True inside a kernel that Voila started."""
    return "VOILA_KERNEL_ID" in os.environ or "VOILA_PREHEAT" in os.environ or \
        "QUERY_STRING" in os.environ


@lru_cache(maxsize=1)
def query_params() -> dict[str, str]:
    """The page's query parameters (empty outside Voila)."""
    if not in_voila():
        return {}
    if os.environ.get("VOILA_PREHEAT", "False") == "True":
        from voila.utils import get_query_string

        qs = get_query_string() or ""
    else:
        qs = os.environ.get("QUERY_STRING", "")
    return dict(parse_qsl(qs, keep_blank_values=False))


def param(name: str, default: str = "") -> str:
    """A query parameter if the page has it, else *default* (the notebook's parameter)."""
    return query_params().get(name, default)
