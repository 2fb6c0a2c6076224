"""Files of the knowledge base: Excel, CSV, JSON and JSON-stat 2.0, written from tidy tables."""

from raketieto.exports.formats import ExportFormat, parse_format, render

__all__ = ["ExportFormat", "parse_format", "render"]
