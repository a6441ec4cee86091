import * as fs from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import { fixWorkspace } from '../core/fixes/fixAll.js';
import { openWorkspace } from '../core/workspace/load.js';
import { UsageError } from './common.js';

export interface FixOptions {
  path: string;
  configFile?: string;
  select: string[] | null;
  ignore: string[];
  unsafe: boolean;
  diff: boolean;
}

export async function runFix(opts: FixOptions): Promise<number> {
  if (!fs.existsSync(opts.path)) throw new UsageError(`path does not exist: ${opts.path}`);
  const ws = await openWorkspace({ checkPath: opts.path, ...(opts.configFile ? { configFile: opts.configFile } : {}), select: opts.select, ignore: opts.ignore, parse: 'as-needed' });
  if (ws.configDiagnostics.some((d) => d.severity === 'error')) {
    for (const d of ws.configDiagnostics) process.stderr.write(`${d.path}:${d.range.start.line + 1}:${d.range.start.column + 1}: ${d.severity}: ${d.message}\n`);
    process.stderr.write('migration-lens: not fixing anything while the configuration has errors\n');
    return 2;
  }
  const outcome = fixWorkspace(ws, { unsafe: opts.unsafe });
  for (const r of outcome.refused) process.stderr.write(`${r.path}: ${r.reason}\n`);
  const changed = [...outcome.changed.entries()].sort((a, b) => (a[1].relPath < b[1].relPath ? -1 : 1));
  if (opts.diff) {
    for (const [, c] of changed) process.stdout.write(createTwoFilesPatch(`a/${c.relPath}`, `b/${c.relPath}`, c.before, c.after, '', '', { context: 3 }));
    process.stderr.write(`Would fix ${outcome.applied} finding${outcome.applied === 1 ? '' : 's'} in ${changed.length} file${changed.length === 1 ? '' : 's'}.\n`);
    return changed.length ? 1 : 0;
  }
  for (const [absPath, c] of changed) {
    const original = fs.readFileSync(absPath);
    const bom = original[0] === 0xef && original[1] === 0xbb && original[2] === 0xbf;
    fs.writeFileSync(absPath, (bom ? '\ufeff' : '') + c.after);
    process.stdout.write(`fixed ${c.relPath}\n`);
  }
  const byCode = [...outcome.appliedByCode.entries()].sort().map(([code, n]) => `${code} ${n}`).join(', ');
  const remaining = ws.analyzer.checkAll((f) => f.inScope).length;
  process.stdout.write(
    `Fixed ${outcome.applied} finding${outcome.applied === 1 ? '' : 's'} in ${changed.length} file${changed.length === 1 ? '' : 's'}${byCode ? ` (${byCode})` : ''}; ${remaining} remaining` +
      (opts.unsafe ? '.\n' : ' (some may have unsafe fixes: `--unsafe`).\n'),
  );
  return remaining > 0 ? 1 : 0;
}
