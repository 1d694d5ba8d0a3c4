"""Dastan: streaming, localization, rights and co-production for the SCO region's films."""

__version__ = "0.1.0"
