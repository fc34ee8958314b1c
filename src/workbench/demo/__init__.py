"""The demo workspace: wards, reviews, PDSA cycles and 26 weeks of counts, built deterministically."""

from workbench.demo.build import DEMO_END, DemoRefused, build_demo, built_on, entries_since_build

__all__ = ["DEMO_END", "DemoRefused", "build_demo", "built_on", "entries_since_build"]
