"""Legacy agent base classes and the result types shared by both engines.

Nothing is re-exported here on purpose: import from the submodules so that the
deprecated ``BaseExecutionEngine`` is never pulled in by accident.
"""
