"""Workbench: turn review learning into small, tested changes on wards.

The package is layered (see ``DESIGN.md``): ``domain`` -> ``catalogue`` -> ``spc``/``store`` ->
``services`` -> ``charts`` -> ``ui``/``batch``/``briefs`` -> ``cli``.  Importing ``workbench``
does no work: heavy modules are imported where they are used.
"""

__version__ = "0.1.0"
