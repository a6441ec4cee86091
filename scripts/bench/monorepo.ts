import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A generated monorepo for `npm run bench`: deterministic (a seeded PRNG; same seed and options → byte-identical
 * tree), realistic file sizes, many packages importing each other, a canonical module, legacy shim modules that
 * warn with DeprecationWarning and re-export from the canonical module, a deprecated class declared in the config,
 * and some `datetime.utcnow()` calls. Run alone:
 *   node --import tsx scripts/bench/monorepo.ts OUT_DIR [FILES] [SEED]
 */

/**
 * Percentiles 0..100 of the `.py` file sizes (bytes) of Debian's python3-django (859 files) and of the CPython 3.11
 * stdlib (1,790 files, Lib/test included), measured once; embedded so the tree does not depend on what the machine
 * has installed. Sizes are drawn by interpolating between neighbouring percentiles.
 */
export const SIZE_PERCENTILES = {
  django: [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 90, 118, 181, 229, 286, 347, 381, 395, 463, 517, 566, 648, 676, 688, 712, 752, 784,
    822, 907, 955, 1008, 1064, 1116, 1187, 1225, 1261, 1340, 1481, 1565, 1597, 1660, 1742, 1765, 1834, 1920, 2000, 2079, 2152, 2256, 2406,
    2558, 2713, 2854, 2976, 3071, 3139, 3370, 3494, 3619, 3816, 4049, 4370, 4587, 4867, 4946, 5243, 5682, 6078, 6662, 6911, 7457, 7745,
    7970, 8222, 8597, 9108, 9728, 10322, 11063, 11411, 12611, 13460, 13943, 15109, 16327, 17392, 18417, 20361, 22773, 25463, 27663, 38288,
    62622, 112995,
  ],
  stdlib: [
    0, 0, 26, 38, 58, 71, 97, 138, 154, 226, 269, 327, 449, 510, 606, 702, 804, 884, 979, 1023, 1049, 1073, 1180, 1264, 1328, 1525, 1626,
    1778, 1943, 2062, 2233, 2386, 2458, 2616, 2776, 2966, 3166, 3344, 3518, 3742, 3938, 4126, 4336, 4559, 4925, 5112, 5385, 5613, 5893,
    6232, 6513, 6853, 7085, 7445, 7682, 7971, 8397, 8825, 9357, 9689, 10332, 10622, 11066, 11594, 11853, 12285, 12575, 13052, 13265, 13502,
    13761, 14212, 15091, 15727, 16503, 17821, 19014, 20189, 21076, 21990, 23024, 24674, 26646, 28278, 30350, 32463, 34211, 34995, 37001,
    40711, 46088, 50385, 56242, 61444, 68140, 76102, 81646, 94557, 117639, 162565, 757011,
  ],
};
export type SizeProfile = keyof typeof SIZE_PERCENTILES | 'both';

export interface MonorepoOptions {
  files: number;
  seed: number;
  /** Which measured size distribution to draw from ('both': each file picks stdlib or Django by their file counts). */
  sizes: SizeProfile;
}

export interface MonorepoSummary {
  dir: string;
  files: number;
  bytes: number;
  packages: number;
  shims: string[];
  canonical: string;
  deprecated: string;
  utcnowCalls: number;
  shimImports: number;
  deprecatedImports: number;
  /** Dotted names Ruff's banned-api should flag to match the config (shim modules and the deprecated class). */
  banned: Record<string, string>;
}

/** mulberry32: small, fast, good enough for deterministic test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'account', 'order', 'invoice', 'payment', 'user', 'session', 'report', 'event', 'task', 'queue', 'cache', 'token', 'profile',
  'search', 'index', 'billing', 'audit', 'metric', 'export', 'import', 'catalog', 'product', 'price', 'cart', 'shipment', 'stock',
  'ledger', 'tenant', 'policy', 'quota', 'notice', 'message', 'channel', 'webhook', 'schedule', 'job', 'worker', 'batch', 'record',
];
const SUBPACKAGES = ['api', 'models', 'services', 'utils', 'handlers', 'storage', 'schemas', 'tasks', 'tests'];
const STDLIB_IMPORTS = [
  'import os', 'import sys', 'import json', 'import logging', 'import re', 'import functools', 'import itertools',
  'from collections import defaultdict, OrderedDict', 'from dataclasses import dataclass, field', 'from pathlib import Path',
  'from typing import Any, Dict, List, Optional, Tuple', 'from enum import Enum', 'import threading', 'from decimal import Decimal',
];

interface Module {
  id: number;
  pkg: number;
  dotted: string;
  rel: string;
  isInit: boolean;
  cls: string;
  fn: string;
  size: number;
}

const cap = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

export function generateMonorepo(dir: string, opts: MonorepoOptions): MonorepoSummary {
  const rnd = prng(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (p: number): boolean => rnd() < p;
  const drawSize = (): number => {
    const profile = opts.sizes === 'both' ? (rnd() < 1790 / (1790 + 859) ? 'stdlib' : 'django') : opts.sizes;
    const q = SIZE_PERCENTILES[profile];
    const x = rnd() * 100;
    const i = Math.min(99, Math.floor(x));
    return Math.round(q[i]! + (q[i + 1]! - q[i]!) * (x - i));
  };

  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let bytes = 0;
  let written = 0;
  const write = (rel: string, text: string): void => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    bytes += Buffer.byteLength(text);
    written++;
  };

  // --- the shared `core` package: canonical module, shims, the deprecated class (fixed, hand-written) ---
  const canonical = 'core.timeutils';
  const deprecated = 'core.legacy_clients.OldHttpClient';
  const shims = ['core.compat.time_shim', 'core.compat.dates', 'core.compat.client_shim'];
  write('migration-lens.toml', [
    '# Generated by scripts/bench/monorepo.ts for `npm run bench`.',
    'src = ["."]',
    'target-version = "py311"',
    '',
    '[[canonical]]',
    `module = "${canonical}"`,
    'symbols = ["utc_now", "Clock", "parse_timestamp"]',
    '',
    '[[deprecated]]',
    `symbol = "${deprecated}"`,
    'replacement = "core.clients.HttpClient"',
    'message = "OldHttpClient is replaced by core.clients.HttpClient"',
    '',
  ].join('\n'));
  write('core/__init__.py', '"""Shared building blocks of every service."""\nfrom core.timeutils import utc_now, Clock\n\n__all__ = ["utc_now", "Clock"]\n');
  write('core/timeutils.py', [
    '"""Time helpers: the single source of truth for "now"."""',
    'from datetime import datetime, timezone',
    '',
    '',
    'def utc_now() -> datetime:',
    '    return datetime.now(timezone.utc)',
    '',
    '',
    'def parse_timestamp(value: str) -> datetime:',
    '    return datetime.fromisoformat(value).astimezone(timezone.utc)',
    '',
    '',
    'class Clock:',
    '    """Injectable clock."""',
    '',
    '    def now(self) -> datetime:',
    '        return utc_now()',
    '',
  ].join('\n'));
  write('core/clients.py', '"""HTTP client."""\nimport json\n\n\nclass HttpClient:\n    def __init__(self, base_url: str) -> None:\n        self.base_url = base_url\n\n    def get(self, path: str) -> dict:\n        return json.loads("{}")\n');
  write('core/legacy_clients.py', '"""The old client, kept for callers that have not moved yet."""\nimport json\n\n\nclass OldHttpClient:\n    def __init__(self, base_url: str) -> None:\n        self.base_url = base_url\n\n    def fetch(self, path: str) -> dict:\n        return json.loads("{}")\n');
  write('core/compat/__init__.py', '');
  const warn = (to: string): string => `import warnings\n\nwarnings.warn("moved to ${to}", DeprecationWarning, stacklevel=2)\n\n`;
  write('core/compat/time_shim.py', `"""Deprecated: use core.timeutils."""\n${warn(canonical)}from core.timeutils import Clock, parse_timestamp, utc_now  # noqa: F401\n`);
  write('core/compat/dates.py', `"""Deprecated: use core.timeutils."""\n${warn(canonical)}from core.timeutils import utc_now as now_utc  # noqa: F401\nfrom core.timeutils import *  # noqa: F401,F403\n`);
  write('core/compat/client_shim.py', `"""Deprecated: use core.clients."""\n${warn('core.clients')}from core.clients import HttpClient\n\nLegacyClient = HttpClient\n`);

  // --- plan the packages and modules first, so imports only name what exists ---
  const remaining = opts.files - (written - 1); // `opts.files` counts .py files; the config is not one
  const packages = Math.max(1, Math.round(remaining / 400));
  const modules: Module[] = [];
  const byPkg: Module[][] = [];
  for (let p = 0; p < packages; p++) byPkg.push([]);
  for (let id = 0; id < remaining; id++) {
    const pkg = id % packages;
    const k = Math.floor(id / packages); // index inside its package
    const pkgName = `svc_${String(pkg).padStart(3, '0')}_${WORDS[pkg % WORDS.length]}`;
    let rel: string;
    let isInit = false;
    let subIndex = 0;
    if (k === 0) (rel = `${pkgName}/__init__.py`), (isInit = true);
    else if (k <= SUBPACKAGES.length) (rel = `${pkgName}/${SUBPACKAGES[k - 1]}/__init__.py`), (isInit = true), (subIndex = k - 1);
    else {
      // Inner packages of 12 files (an __init__ and 11 modules) under each subpackage, filled round-robin.
      const j = k - 1 - SUBPACKAGES.length;
      subIndex = j % SUBPACKAGES.length;
      const slot = Math.floor(j / SUBPACKAGES.length);
      const dirRel = `${pkgName}/${SUBPACKAGES[subIndex]}/g${Math.floor(slot / 12)}`;
      if (slot % 12 === 0) (rel = `${dirRel}/__init__.py`), (isInit = true);
      else rel = `${dirRel}/${pick(WORDS)}_${k}.py`;
    }
    const dotted = rel.replace(/\/__init__\.py$|\.py$/, '').split('/').join('.');
    const word = cap(pick(WORDS));
    modules.push({ id, pkg, dotted, rel, isInit, cls: `${word}${cap(SUBPACKAGES[subIndex]!)}${id}`, fn: `${pick(WORDS)}_${pick(['load', 'save', 'build', 'check', 'sync', 'render'])}_${id}`, size: drawSize() });
    byPkg[pkg]!.push(modules[modules.length - 1]!);
  }

  let utcnowCalls = 0;
  let shimImports = 0;
  let deprecatedImports = 0;
  for (const m of modules) {
    const lines: string[] = [];
    if (m.isInit) {
      // Package inits: most are empty; some re-export a few names of their package, like Django's.
      if (m.size < 200) {
        write(m.rel, '');
        continue;
      }
      lines.push(`"""${m.dotted}: public interface."""`);
      const prefix = `${m.dotted}.`;
      const children = byPkg[m.pkg]!.filter((c) => !c.isInit && c.dotted.startsWith(prefix) && !c.dotted.slice(prefix.length).includes('.')).slice(0, 4);
      for (const c of children) lines.push(`from .${c.dotted.slice(prefix.length)} import ${c.cls}, ${c.fn}`);
      if (children.length > 0) lines.push('', `__all__ = [${children.flatMap((c) => [`"${c.cls}"`, `"${c.fn}"`]).join(', ')}]`);
    } else {
      lines.push(`"""${cap(pick(WORDS))} ${pick(['service', 'helpers', 'model', 'views', 'storage layer', 'tasks'])} of ${m.dotted.split('.')[0]}."""`);
      lines.push('from __future__ import annotations', '');
      const std = new Set<string>();
      const nStd = 2 + Math.floor(rnd() * 5);
      for (let i = 0; i < nStd; i++) std.add(pick(STDLIB_IMPORTS));
      lines.push(...[...std].sort());
      const usesUtcnow = chance(0.04);
      if (usesUtcnow) lines.push(chance(0.5) ? 'from datetime import datetime' : 'import datetime as _dt');
      lines.push('');
      // Workspace imports: the canonical module (or a shim of it), the clients, and 2–6 modules of other
      // packages of a lower layer (an acyclic import graph, plus a deliberate cycle now and then).
      const imported: { local: string; kind: 'cls' | 'fn' }[] = [];
      const r = rnd();
      if (r < 0.03) (lines.push('from core.compat.time_shim import utc_now'), shimImports++);
      else if (r < 0.045) (lines.push('from core.compat.dates import now_utc as utc_now'), shimImports++);
      else if (r < 0.06) lines.push('from core import utc_now');
      else if (r < 0.5) lines.push('from core.timeutils import utc_now');
      if (chance(0.01)) (lines.push('from core.legacy_clients import OldHttpClient'), deprecatedImports++);
      else if (chance(0.01)) (lines.push('from core.compat.client_shim import LegacyClient'), shimImports++);
      const nWs = 2 + Math.floor(rnd() * 5);
      const seen = new Set<string>();
      for (let i = 0; i < nWs; i++) {
        const cyclic = chance(0.002);
        const targetPkg = m.pkg === 0 || (chance(0.5) && !cyclic) ? m.pkg : cyclic ? Math.min(packages - 1, m.pkg + 1) : Math.floor(rnd() * m.pkg);
        const pool = byPkg[targetPkg]!;
        const t = pool[Math.floor(rnd() * Math.min(pool.length, targetPkg === m.pkg ? Math.max(1, pool.indexOf(m)) : pool.length))]!;
        if (t === m || t.isInit || seen.has(t.dotted)) continue;
        seen.add(t.dotted);
        if (chance(0.3)) {
          lines.push(`import ${t.dotted}`);
          imported.push({ local: `${t.dotted}.${t.cls}`, kind: 'cls' }, { local: `${t.dotted}.${t.fn}`, kind: 'fn' });
        } else {
          lines.push(`from ${t.dotted} import ${t.cls}, ${t.fn}`);
          imported.push({ local: t.cls, kind: 'cls' }, { local: t.fn, kind: 'fn' });
        }
      }
      if (std.has('import logging')) lines.push('', 'logger = logging.getLogger(__name__)');
      // The module's public surface: its class and function (other modules import these).
      const dep = lines.some((l) => l.includes('OldHttpClient')) ? 'OldHttpClient' : lines.some((l) => l.includes('LegacyClient')) ? 'LegacyClient' : null;
      const base = imported.find((i) => i.kind === 'cls');
      lines.push(
        '',
        `class ${m.cls}${base && chance(0.3) ? `(${base.local})` : ''}:`,
        `    """${cap(pick(WORDS))} ${pick(['record', 'handler', 'manager', 'view'])}."""`,
        '',
        '    def __init__(self, name: str, limit: int = 10) -> None:',
        '        self.name = name',
        '        self.limit = limit',
        `        self.items: list = []${dep ? `\n        self.client = ${dep}("https://internal")` : ''}`,
        '',
        '    def __repr__(self) -> str:',
        `        return f"<${m.cls} {self.name!r} ({len(self.items)} items)>"`,
        '',
        '',
        `def ${m.fn}(value, *, strict: bool = False):`,
        `    """Returns the ${pick(WORDS)} for the given value."""`,
        '    if value is None and strict:',
        '        raise ValueError("value is required")',
        usesUtcnow ? `    stamp = ${lines.includes('import datetime as _dt') ? '_dt.datetime' : 'datetime'}.utcnow()` : '    stamp = None',
        '    return {"value": value, "stamp": stamp}',
      );
      if (usesUtcnow) utcnowCalls++;
      // Filler to the drawn size: classes, functions and constants of the kinds real modules hold, using the
      // imported names so references are there to resolve.
      let size = lines.reduce((n, l) => n + l.length + 1, 0);
      for (let b = 0; size < m.size; b++) {
        const block = fillerBlock(m, b, imported, pick, chance, lines.some((l) => l === 'from core.timeutils import utc_now' || l.endsWith('import utc_now') || l.endsWith('as utc_now')));
        lines.push(...block);
        size += block.reduce((n, l) => n + l.length + 1, 0);
      }
    }
    write(m.rel, `${lines.join('\n')}\n`);
  }

  const banned: Record<string, string> = { [deprecated]: 'OldHttpClient is replaced by core.clients.HttpClient' };
  for (const s of shims) banned[s] = `deprecated shim: use ${s.endsWith('client_shim') ? 'core.clients' : canonical}`;
  return { dir, files: written - 1 /* the config */, bytes, packages, shims, canonical, deprecated, utcnowCalls, shimImports, deprecatedImports, banned };
}

function fillerBlock(m: Module, b: number, imported: { local: string; kind: 'cls' | 'fn' }[], pick: <T>(xs: readonly T[]) => T, chance: (p: number) => boolean, hasUtcNow: boolean): string[] {
  const w = pick(WORDS);
  const fn = imported.filter((i) => i.kind === 'fn');
  const cls = imported.filter((i) => i.kind === 'cls');
  const callee = fn.length > 0 ? pick(fn).local : 'str';
  const klass = cls.length > 0 ? pick(cls).local : 'dict';
  switch (b % 5) {
    case 0:
      return [
        '',
        '',
        `class ${cap(w)}${cap(pick(SUBPACKAGES))}${m.id}_${b}:`,
        `    """Keeps ${w} state between calls; see ${m.cls}."""`,
        '',
        `    default_${w} = ${JSON.stringify(`${w}-${b}`)}`,
        '',
        '    def __init__(self, source=None):',
        `        self.source = source or ${klass}`,
        `        self._cache = {}`,
        '',
        `    def get_${w}(self, key, default=None):`,
        '        # Cached lookups: the source is slow and the keys repeat.',
        '        if key in self._cache:',
        '            return self._cache[key]',
        `        value = ${callee}(key)`,
        '        self._cache[key] = value if value is not None else default',
        '        return self._cache[key]',
        '',
        `    def clear_${w}(self) -> None:`,
        '        self._cache.clear()',
      ];
    case 1:
      return [
        '',
        '',
        `def ${w}_${pick(['total', 'count', 'summary', 'index'])}_${b}(items, key=None):`,
        `    """Aggregates ${w} items by the given key."""`,
        '    result = {}',
        '    for position, item in enumerate(items):',
        '        name = key(item) if key is not None else position',
        '        try:',
        '            result.setdefault(name, []).append(item)',
        '        except TypeError as exc:  # unhashable key',
        `            raise ValueError(f"bad ${w} key at {position}: {exc}") from exc`,
        '    return {k: len(v) for k, v in result.items() if v}',
      ];
    case 2:
      return [
        '',
        `${w.toUpperCase()}_${b}_CHOICES = (`,
        ...['draft', 'active', 'archived', 'deleted'].map((s) => `    (${JSON.stringify(s)}, ${JSON.stringify(cap(s))}),`),
        ')',
        `${w.toUpperCase()}_${b}_LIMITS = {"min": ${b}, "max": ${b * 10 + 100}, "step": ${(b % 7) + 1}}`,
      ];
    case 3:
      return [
        '',
        '',
        `async def refresh_${w}_${b}(client, ids, *, retries: int = 3):`,
        `    """Refreshes the given ${w} ids, retrying on transient errors."""`,
        '    done = []',
        '    for attempt in range(retries):',
        '        pending = [i for i in ids if i not in done]',
        '        if not pending:',
        '            break',
        '        for item_id in pending:',
        `            response = await client.fetch("/${w}/%s" % item_id)`,
        '            if response.get("ok"):',
        '                done.append(item_id)',
        `    return ${hasUtcNow && chance(0.5) ? 'utc_now(), ' : ''}done`,
      ];
    default:
      return [
        '',
        '',
        `def validate_${w}_${b}(data: dict) -> list:`,
        '    errors = []',
        `    if not isinstance(data.get("${w}"), (str, int)):`,
        `        errors.append("${w} must be a string or an int")`,
        '    if len(data) > 50:',
        '        errors.append("too many fields")',
        `    errors.extend(e for e in (${callee}(v) for v in data.values()) if isinstance(e, str) and e.startswith("!"))`,
        '    return errors',
      ];
  }
}

if (require.main === module) {
  const [out, files = '20000', seed = '1'] = process.argv.slice(2);
  if (!out) throw new Error('usage: monorepo.ts OUT_DIR [FILES] [SEED]');
  const s = generateMonorepo(path.resolve(out), { files: Number(files), seed: Number(seed), sizes: (process.env['BENCH_MONOREPO_SIZES'] as SizeProfile | undefined) ?? 'django' });
  process.stdout.write(`${JSON.stringify({ ...s, banned: undefined }, null, 1)}\n`);
}
