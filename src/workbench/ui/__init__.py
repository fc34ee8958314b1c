"""Widgets and page sections for notebooks and Voila pages (no maths here: it calls services)."""
