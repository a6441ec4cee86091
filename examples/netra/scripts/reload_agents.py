"""Hot-reload agent modules on a running worker (ops runbook: "agent hotfix without restart").

Usage::

    python -m scripts.reload_agents netra_backend.app.agents.registry [more.modules ...]
"""

from __future__ import annotations

import argparse
import imp  # expect: MIG001
import importlib
import logging
import sys
from typing import Optional, Sequence

from netra_backend.app.agents.registry import AgentRegistry

logger = logging.getLogger("reload_agents")


def reload_modules(names: Sequence[str]) -> list[str]:
    reloaded: list[str] = []
    for name in names:
        module = sys.modules.get(name) or importlib.import_module(name)
        imp.reload(module)  # expect: MIG001
        reloaded.append(name)
    return reloaded


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="dotted module names (default: the agent registry)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    names = args.modules or [AgentRegistry.__module__]
    for name in reload_modules(names):
        logger.info("reloaded %s", name)
    logger.info("registered agents: %s", ", ".join(AgentRegistry.default().names()) or "none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
