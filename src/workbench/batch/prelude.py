"""Imported first by every batch worker process (the forkserver's preload list).

Importing this module is its whole purpose, so it does one thing at import, on purpose: it
calls :func:`workbench._quiet.skip_iri_grammar` before papermill and nbconvert are imported
(they pull in jsonschema, whose IRI grammar costs about 1.5 s per process).
"""

from __future__ import annotations

from workbench._quiet import skip_iri_grammar

skip_iri_grammar()
