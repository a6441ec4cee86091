"""Business services shared by routes and agents.

Keep this ``__init__`` free of imports: several services import each other lazily and
an eager re-export here would turn that into an import-time cycle.
"""
