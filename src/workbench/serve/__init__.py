"""Serving the workbench with Voila: preheated kernels, culling, offline pages, a landing page.

:mod:`workbench.serve.config` turns :class:`~workbench.serve.config.ServeOptions` into Voila's
command line; :mod:`workbench.serve.app` runs Voila with the workbench's template and a redirect
from ``/`` to the landing page.  Nothing here is imported by the library; ``workbench serve``
(the CLI) calls :func:`workbench.serve.app.run`.
"""
