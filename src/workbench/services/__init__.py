"""Use cases: what facilitators, ward teams, analysts and leaders do, over the store and SPC.

Modules: ``wards``, ``cycles``, ``reviews`` (records in ``pdsa/``); ``observations`` (counts in
the store); ``checks`` (SPC over a cycle or ward).  Every function takes a
:class:`~workbench.store.workspace.Workspace` first.
"""
