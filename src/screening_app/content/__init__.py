"""Questionnaire content: models, strict loading, validation."""

from .loader import Catalog, load_catalog, load_valid_catalog
from .yaml_source import ContentError, Problem

__all__ = ["Catalog", "ContentError", "Problem", "load_catalog", "load_valid_catalog"]
