"""Backup copies of modules taken before the SSOT migrations.

Nothing in the application imports these; they are kept for reference until the
migration is signed off, then deleted. Do not edit.
"""
