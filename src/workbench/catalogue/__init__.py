"""The review-learning catalogue shipped inside the package.

Themes, change ideas, the finding -> change -> measure map, the measures library and review
types are YAML files under ``catalogue/data``; :func:`load_catalogue` reads and validates them.
"""

from workbench.catalogue.loader import Catalogue, load_catalogue

__all__ = ["Catalogue", "load_catalogue"]
