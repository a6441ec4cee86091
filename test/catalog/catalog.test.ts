import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import {
  applicability,
  catalogMessage,
  loadStdlibCatalog,
  parseStdlibCatalog,
  type StdlibEntry,
  type StdlibModuleEntry,
  type StdlibSymbolEntry,
} from '../../server/src/core/catalog/stdlib.js';
import { compareVersions, type PyVersion } from '../../server/src/core/types.js';
import stdlibJson from '../../server/src/core/catalog/stdlib.json';

// A private deep copy of the raw JSON, for counting and for corrupting in validation tests.
const rawJson = JSON.parse(JSON.stringify(stdlibJson)) as {
  modules: Record<string, unknown>[];
  symbols: Record<string, unknown>[];
};

const v = (text: string): PyVersion => {
  const [major, minor] = text.split('.').map(Number);
  return { major: major!, minor: minor! };
};
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function moduleEntry(name: string): StdlibModuleEntry {
  const entry = loadStdlibCatalog().modules.get(name);
  assert.ok(entry, `module ${name} is in the catalog`);
  return entry;
}
function symbolEntry(name: string): StdlibSymbolEntry {
  const entry = loadStdlibCatalog().symbols.get(name);
  assert.ok(entry, `symbol ${name} is in the catalog`);
  return entry;
}

test('the catalog loads and keeps every entry of the JSON', () => {
  const catalog = loadStdlibCatalog();
  assert.equal(catalog.modules.size, rawJson.modules.length);
  assert.equal(catalog.symbols.size, rawJson.symbols.length);
  assert.ok(catalog.modules.size + catalog.symbols.size >= 40);
  // Fresh maps each call, shared frozen entries.
  const again = loadStdlibCatalog();
  assert.notEqual(again.modules, catalog.modules);
  assert.equal(again.modules.get('imp'), catalog.modules.get('imp'));
  assert.ok(Object.isFrozen(catalog.modules.get('imp')));
});

test('every module and symbol name is a valid dotted identifier, symbols are qualified', () => {
  const catalog = loadStdlibCatalog();
  for (const name of catalog.modules.keys()) assert.match(name, DOTTED);
  for (const name of catalog.symbols.keys()) {
    assert.match(name, DOTTED);
    assert.ok(name.includes('.'), name);
  }
});

test('versions parse and are consistent', () => {
  const catalog = loadStdlibCatalog();
  const entries: StdlibEntry[] = [...catalog.modules.values(), ...catalog.symbols.values()];
  for (const entry of entries) {
    const name = 'module' in entry ? entry.module : entry.symbol;
    for (const version of [entry.deprecatedIn, entry.removedIn, entry.replacementSince]) {
      if (!version) continue;
      assert.equal(version.major, 3, name);
      assert.ok(Number.isInteger(version.minor) && version.minor >= 0 && version.minor < 100, name);
    }
    if (entry.removedIn) assert.ok(compareVersions(entry.removedIn, entry.deprecatedIn) > 0, name);
    if (entry.replacementSince) assert.ok(entry.replacement, name);
    assert.ok(entry.message.length > 0, name);
  }
});

test('fix kinds appear only on the two datetime entries', () => {
  const withFix = [...loadStdlibCatalog().symbols.values()].filter((e) => e.fix !== undefined);
  assert.deepEqual(
    withFix.map((e) => [e.symbol, e.fix]).sort(),
    [
      ['datetime.datetime.utcfromtimestamp', 'utcfromtimestamp'],
      ['datetime.datetime.utcnow', 'utcnow'],
    ],
  );
});

test('the catalog covers the required entries', () => {
  const pep594 = 'aifc audioop cgi cgitb chunk crypt imghdr mailcap msilib nis nntplib ossaudiodev pipes sndhdr spwd sunau telnetlib uu xdrlib';
  for (const name of pep594.split(' ')) {
    const entry = moduleEntry(name);
    assert.deepEqual([entry.deprecatedIn, entry.removedIn], [v('3.11'), v('3.13')], name);
  }
  for (const name of ['asynchat', 'asyncore', 'smtpd']) {
    assert.deepEqual([moduleEntry(name).deprecatedIn, moduleEntry(name).removedIn], [v('3.6'), v('3.12')], name);
  }
  assert.deepEqual([moduleEntry('distutils').deprecatedIn, moduleEntry('distutils').removedIn], [v('3.10'), v('3.12')]);
  assert.deepEqual([moduleEntry('imp').deprecatedIn, moduleEntry('imp').removedIn], [v('3.4'), v('3.12')]);
  assert.deepEqual([moduleEntry('lib2to3').deprecatedIn, moduleEntry('lib2to3').removedIn], [v('3.11'), v('3.13')]);
  assert.deepEqual(moduleEntry('tkinter.tix').removedIn, v('3.13'));
  for (const name of ['datetime.datetime.utcnow', 'datetime.datetime.utcfromtimestamp']) {
    assert.deepEqual(symbolEntry(name).deprecatedIn, v('3.12'));
    assert.equal(symbolEntry(name).removedIn, undefined);
  }
  assert.deepEqual(symbolEntry('ssl.wrap_socket').removedIn, v('3.12'));
  for (const name of ['unittest.makeSuite', 'unittest.findTestCases', 'unittest.getTestCaseNames']) {
    assert.deepEqual([symbolEntry(name).deprecatedIn, symbolEntry(name).removedIn], [v('3.11'), v('3.13')], name);
  }
  assert.deepEqual(symbolEntry('typing.ByteString').deprecatedIn, v('3.12'));
  assert.deepEqual(symbolEntry('pkgutil.find_loader').deprecatedIn, v('3.12'));
  assert.deepEqual(symbolEntry('pkgutil.get_loader').deprecatedIn, v('3.12'));
  assert.deepEqual(symbolEntry('configparser.SafeConfigParser').removedIn, v('3.12'));
  assert.deepEqual(symbolEntry('gettext.lgettext').removedIn, v('3.11'));
  assert.deepEqual(symbolEntry('unittest.TestCase.assertEquals').removedIn, v('3.12'));
  assert.deepEqual(symbolEntry('unittest.TestCase.failUnless').removedIn, v('3.12'));
  assert.deepEqual(symbolEntry('inspect.getargspec').removedIn, v('3.11'));
  assert.deepEqual(symbolEntry('platform.linux_distribution').removedIn, v('3.8'));
  // Deliberately absent: nuanced or soft deprecations.
  const symbols = loadStdlibCatalog().symbols;
  for (const name of ['asyncio.get_event_loop', 'os.popen', 'typing.List', 'typing.Dict']) assert.ok(!symbols.has(name), name);
});

test('applicability: datetime.datetime.utcnow', () => {
  const utcnow = symbolEntry('datetime.datetime.utcnow');
  assert.deepEqual(applicability(utcnow, v('3.9')), {
    severity: 'info',
    note: 'deprecated in Python 3.12 (later than your target 3.9); the replacement already works on your target',
  });
  assert.equal(applicability(utcnow, v('3.11'))?.severity, 'info');
  assert.deepEqual(applicability(utcnow, v('3.12')), { severity: 'warning', note: 'deprecated since Python 3.12' });
  assert.equal(applicability(utcnow, v('3.13'))?.severity, 'warning');
});

test('applicability: imp', () => {
  const imp = moduleEntry('imp');
  assert.deepEqual(applicability(imp, v('3.11')), { severity: 'warning', note: 'deprecated since Python 3.4' });
  assert.deepEqual(applicability(imp, v('3.12')), { severity: 'error', note: 'removed in Python 3.12' });
  assert.equal(applicability(imp, v('3.14'))?.severity, 'error');
  // importlib exists since 3.1, so a 3.3 target is told the move already works.
  assert.equal(applicability(imp, v('3.3'))?.severity, 'info');
});

test('applicability: cgi at 3.10 is info (its replacement already exists), aifc at 3.10 is null (none exists)', () => {
  assert.equal(applicability(moduleEntry('cgi'), v('3.10'))?.severity, 'info');
  assert.equal(applicability(moduleEntry('aifc'), v('3.10')), null);
  assert.equal(applicability(moduleEntry('aifc'), v('3.11'))?.severity, 'warning');
  assert.equal(applicability(moduleEntry('aifc'), v('3.13'))?.severity, 'error');
});

test('applicability: a replacement newer than the target gives null; a third-party replacement counts as available', () => {
  // collections.abc.Buffer only exists from 3.12.
  assert.equal(applicability(symbolEntry('typing.ByteString'), v('3.11')), null);
  assert.equal(applicability(symbolEntry('typing.ByteString'), v('3.12'))?.severity, 'warning');
  // setuptools (no replacementSince) is available on any target.
  assert.equal(applicability(moduleEntry('distutils'), v('3.8'))?.severity, 'info');
});

test('catalogMessage wording', () => {
  const utcnow = symbolEntry('datetime.datetime.utcnow');
  assert.equal(
    catalogMessage(utcnow, v('3.12')),
    '`datetime.datetime.utcnow()` is deprecated since Python 3.12: use `datetime.datetime.now(datetime.timezone.utc)`',
  );
  assert.equal(
    catalogMessage(utcnow, v('3.9')),
    '`datetime.datetime.utcnow()` is deprecated in Python 3.12 (later than your target 3.9): use `datetime.datetime.now(datetime.timezone.utc)`',
  );
  assert.equal(catalogMessage(moduleEntry('imp'), v('3.12')), '`imp` was removed in Python 3.12: use `importlib`');
  assert.equal(
    catalogMessage(moduleEntry('imp'), v('3.11')),
    '`imp` is deprecated since Python 3.4 and will be removed in Python 3.12: use `importlib`',
  );
  assert.equal(
    catalogMessage(moduleEntry('aifc'), v('3.13')),
    '`aifc` was removed in Python 3.13: removed by PEP 594 with no standard-library replacement',
  );
  assert.equal(
    catalogMessage(symbolEntry('ssl.PROTOCOL_TLS'), v('3.10')),
    '`ssl.PROTOCOL_TLS` is deprecated since Python 3.10: use `ssl.PROTOCOL_TLS_CLIENT`',
  );
  assert.equal(catalogMessage(symbolEntry('typing.ByteString'), v('3.11')), '`typing.ByteString` is deprecated in Python 3.12: use `collections.abc.Buffer`');
  for (const entry of [...loadStdlibCatalog().modules.values(), ...loadStdlibCatalog().symbols.values()]) {
    const message = catalogMessage(entry, v('3.13'));
    assert.ok(!message.includes('\n') && message.length < 200, message);
  }
});

test('validation names the bad entry', () => {
  const base = () => JSON.parse(JSON.stringify(rawJson)) as typeof rawJson;

  const badVersion = base();
  badVersion.symbols[0]!.deprecatedIn = '3.12.1';
  assert.throws(() => parseStdlibCatalog(badVersion), /symbols\[0\] \("datetime\.datetime\.utcnow"\): deprecatedIn must be a version/);

  const unknownKey = base();
  unknownKey.modules[1]!.removedin = '3.12';
  assert.throws(() => parseStdlibCatalog(unknownKey), /modules\[1\] \("asynchat"\): unknown field "removedin"/);

  const badName = base();
  badName.modules[0]!.module = 'imp-lib';
  assert.throws(() => parseStdlibCatalog(badName), /modules\[0\] \("imp-lib"\): module must be a dotted identifier/);

  const duplicate = base();
  duplicate.modules.push({ ...duplicate.modules[0]! });
  assert.throws(() => parseStdlibCatalog(duplicate), /duplicate module "imp"/);

  const backwards = base();
  backwards.modules[0]!.removedIn = '3.3';
  assert.throws(() => parseStdlibCatalog(backwards), /modules\[0\] \("imp"\): removedIn 3\.3 must be later than deprecatedIn 3\.4/);

  const badFix = base();
  badFix.symbols[2]!.fix = 'wrap';
  assert.throws(() => parseStdlibCatalog(badFix), /symbols\[2\] \("ssl\.wrap_socket"\): fix must be one of/);

  const orphanSince = base();
  delete orphanSince.symbols[0]!.replacement;
  assert.throws(() => parseStdlibCatalog(orphanSince), /replacementSince is set but there is no replacement/);

  assert.throws(() => parseStdlibCatalog({ version: 2, modules: [], symbols: [] }), /unsupported version 2/);
});

// ---------------------------------------------------------------------------------------------
// The catalog against a real interpreter: what it says is still there must be importable, and
// what it says is gone must not be.

/** Resolves dotted names: modules by import only; other names by the longest importable module prefix, then getattr. */
const PYTHON_SCRIPT = String.raw`
import importlib, json, sys

def classify(obj):
    # typing aliases such as typing.ByteString stand for a class.
    if isinstance(obj, type) or isinstance(getattr(obj, "__origin__", None), type):
        return "class"
    if callable(obj):
        return "callable"
    return "value"

def try_import(name):
    try:
        return "ok", importlib.import_module(name), None
    except ModuleNotFoundError as e:
        parts = name.split(".")
        prefixes = {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
        if e.name in prefixes:
            return "missing", None, str(e)
        return "unavailable", None, repr(e)
    except ImportError as e:
        return "unavailable", None, repr(e)

def resolve(name, module_only):
    if module_only:
        status, obj, err = try_import(name)
        return {"status": status, "kind": "module" if obj is not None else None, "error": err}
    parts = name.split(".")
    last_error = None
    for i in range(len(parts), 0, -1):
        status, obj, err = try_import(".".join(parts[:i]))
        if status == "unavailable":
            return {"status": status, "kind": None, "error": err}
        if status == "missing":
            last_error = err
            continue
        try:
            for attr in parts[i:]:
                obj = getattr(obj, attr)
        except AttributeError as e:
            return {"status": "missing", "kind": None, "error": str(e)}
        return {"status": "ok", "kind": "module" if i == len(parts) else classify(obj), "error": None}
    return {"status": "missing", "kind": None, "error": last_error}

request = json.load(sys.stdin)
out = {
    "version": [sys.version_info[0], sys.version_info[1]],
    "platform": sys.platform,
    "modules": {n: resolve(n, True) for n in request["modules"]},
    "names": {n: resolve(n, False) for n in request["names"]},
}
print(json.dumps(out))
`;

interface Resolution {
  status: 'ok' | 'missing' | 'unavailable';
  kind: 'module' | 'class' | 'callable' | 'value' | null;
  error: string | null;
}
interface PythonReport {
  version: [number, number];
  platform: string;
  modules: Record<string, Resolution>;
  names: Record<string, Resolution>;
}

/** Standard-library modules that only ever existed on some platforms. */
const PLATFORM_ONLY: Record<string, string[]> = { msilib: ['win32'] };

/** Dotted names mentioned by a replacement: the whole thing when it is a name, else every qualified name in it. */
function replacementNames(replacement: string): string[] {
  if (DOTTED.test(replacement)) return [replacement];
  return replacement.match(/[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+/g) ?? [];
}

function runPython(request: { modules: string[]; names: string[] }): PythonReport | null {
  try {
    const stdout = execFileSync('python3', ['-I', '-W', 'ignore', '-c', PYTHON_SCRIPT], {
      input: JSON.stringify(request),
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    return JSON.parse(stdout) as PythonReport;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

test('the catalog matches the real Python on this machine', (t) => {
  const catalog = loadStdlibCatalog();
  const symbols = [...catalog.symbols.values()];
  const names = new Set<string>(symbols.map((e) => e.symbol));
  const entries: StdlibEntry[] = [...catalog.modules.values(), ...symbols];
  for (const entry of entries) {
    if (entry.replacement !== undefined && entry.replacementSince) {
      for (const name of replacementNames(entry.replacement)) names.add(name);
    }
  }
  const report = runPython({ modules: [...catalog.modules.keys()], names: [...names] });
  if (!report) {
    t.skip('python3 is not installed');
    return;
  }
  const python: PyVersion = { major: report.version[0], minor: report.version[1] };
  t.diagnostic(`checked against Python ${python.major}.${python.minor} on ${report.platform}`);

  const problems: string[] = [];
  const skipped: string[] = [];
  const check = (name: string, entry: StdlibEntry, result: Resolution | undefined): void => {
    assert.ok(result, `python reported on ${name}`);
    const gone = entry.removedIn !== undefined && compareVersions(entry.removedIn, python) <= 0;
    if (gone) {
      if (result.status === 'ok') problems.push(`${name}: catalog says removed in ${entry.removedIn!.major}.${entry.removedIn!.minor}, but it resolves`);
      return;
    }
    if (result.status === 'unavailable') {
      skipped.push(`${name} (${result.error})`);
      return;
    }
    const platforms = PLATFORM_ONLY[name];
    if (result.status === 'missing' && platforms && !platforms.includes(report.platform)) {
      skipped.push(`${name} (only on ${platforms.join(', ')})`);
      return;
    }
    if (result.status !== 'ok') {
      problems.push(`${name}: catalog says it still exists, but it does not resolve (${result.error})`);
      return;
    }
    if ('symbol' in entry) {
      const expected = { function: 'callable', method: 'callable', class: 'class', constant: 'value' }[entry.kind];
      if (result.kind !== expected) problems.push(`${name}: catalog kind ${entry.kind}, but Python sees a ${result.kind}`);
    }
  };

  for (const entry of catalog.modules.values()) check(entry.module, entry, report.modules[entry.module]);
  for (const entry of symbols) check(entry.symbol, entry, report.names[entry.symbol]);

  for (const entry of entries) {
    if (entry.replacement === undefined || !entry.replacementSince) continue;
    if (compareVersions(entry.replacementSince, python) > 0) continue;
    for (const name of replacementNames(entry.replacement)) {
      const result = report.names[name];
      if (result?.status !== 'ok') {
        const owner = 'module' in entry ? entry.module : entry.symbol;
        problems.push(`${owner}: replacement ${name} should exist since ${entry.replacementSince.major}.${entry.replacementSince.minor} but does not resolve`);
      }
    }
  }

  if (skipped.length > 0) t.diagnostic(`not checkable on this interpreter: ${skipped.join('; ')}`);
  assert.deepEqual(problems, []);
});
