"""Use cases: what facilitators, ward teams, analysts and leaders do, over the store and SPC.

Modules: ``wards``, ``cycles``, ``reviews`` (records in ``pdsa/``); ``plans`` (a new cycle
from a typed plan, for the form and ``cycle new``); ``decisions`` (the Act step: ``decide``); ``observations`` (counts in
the store); ``checks`` (SPC charts over a cycle or ward); ``judgement`` (did the change
work? — the one verdict every surface reads) with its words in ``verdict_words``.
Every function takes a :class:`~workbench.store.workspace.Workspace` first.
"""
