"""Skip jsonschema's IRI grammar: about 1.5 s at import, for a check the workbench never makes.

``jsonschema`` (imported by nbformat, papermill and Altair) loads ``rfc3987_syntax`` for its
``iri`` format checker when that package is installed, and the package builds a grammar at
import.  No schema the workbench validates (notebooks, Vega-Lite specs) uses IRI formats, so a
process that calls :func:`skip_iri_grammar` before importing them lets jsonschema treat the
package as absent.
"""

from __future__ import annotations

import sys


def skip_iri_grammar() -> None:
    """Make ``rfc3987_syntax`` look absent, unless jsonschema has already been imported."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
