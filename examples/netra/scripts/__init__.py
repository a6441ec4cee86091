"""Operational maintenance scripts. Run them as modules: ``python -m scripts.<name>``."""
