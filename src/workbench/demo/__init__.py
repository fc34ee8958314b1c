"""The demo workspace: wards, reviews, PDSA cycles and 26 weeks of counts, built deterministically."""

from workbench.demo.build import DEMO_END, build_demo

__all__ = ["DEMO_END", "build_demo"]
