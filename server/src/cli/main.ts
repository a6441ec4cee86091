import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ALL_RULE_CODES } from '../core/types.js';
import { runBaseline } from './baseline.js';
import { runCheck } from './check.js';
import { runFix } from './fix.js';
import { OUTPUT_FORMATS, isOutputFormat } from './format/index.js';
import { REPORT_FORMATS, runReport } from './report.js';
import { listRules } from './rules.js';
import { runStatus, STATUS_FORMATS, type StatusFormat } from './status.js';
import { UsageError, VERSION } from './common.js';
import { tuneForBatchRun } from './batchTuning.js';

const HELP = `migration-lens ${VERSION} — measure and fix Python migrations

Usage:
  migration-lens check [PATH] [--format text|json|sarif|github] [--config FILE]
                       [--select CODES] [--ignore CODES] [--exit-zero] [--output FILE] [--baseline FILE]
                       [--no-cache]   (results are reused from .migration-lens-cache/ while no file changed)
  migration-lens fix   [PATH] [--unsafe] [--diff] [--config FILE] [--select CODES] [--ignore CODES]
  migration-lens report [PATH] [--base REV] [--format markdown|json] [--output FILE] [--config FILE]
                       [--fail-on at-risk|breaking]
  migration-lens status [PATH] [--format text|json] [--config FILE] [--history N] [--no-cache]
                       SSOT compliance per migration (exit 0); --history N: its trend over N commits
  migration-lens baseline [PATH] [--output FILE] [--config FILE]
                       record today's findings (migration-lens-baseline.json); check --baseline FILE
                       then reports only new ones and lists the fixed ones
  migration-lens rules [--format text|json]
  migration-lens server --stdio      language server for any LSP editor (Neovim, Helix, Emacs, …)
  migration-lens --version | --help

PATH defaults to the current directory. The whole project (the folder holding migration-lens.toml or a
pyproject.toml with [tool.migration-lens], else PATH) is analyzed so imports resolve across files; findings
are reported for files under PATH. CODES are comma-separated codes or prefixes (MIG002, MIG00).

Exit codes: 0 no findings · 1 findings (or files that could not be analyzed) · 2 usage or configuration error
· 3 internal error · 141 the output's reader went away (as SIGPIPE).
`;

const COMMON_OPTIONS = {
  config: { type: 'string' },
  select: { type: 'string' },
  ignore: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

function codes(value: string | undefined, option: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  for (const c of list) {
    if (!ALL_RULE_CODES.some((code) => code.startsWith(c))) throw new UsageError(`${option}: unknown rule code or prefix "${c}" (known: ${ALL_RULE_CODES.join(', ')})`);
  }
  return list;
}

function single(positionals: string[]): string {
  if (positionals.length > 1) throw new UsageError(`expected at most one PATH, got ${positionals.length}: ${positionals.join(' ')}`);
  return positionals[0] ?? '.';
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write(`migration-lens ${VERSION}\n`);
    return 0;
  }
  if (command !== 'server') tuneForBatchRun();
  switch (command) {
    case 'check': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { ...COMMON_OPTIONS, format: { type: 'string', default: 'text' }, 'exit-zero': { type: 'boolean' }, output: { type: 'string', short: 'o' }, baseline: { type: 'string' }, 'no-cache': { type: 'boolean' } },
      });
      if (values.help) return (process.stdout.write(HELP), 0);
      if (!isOutputFormat(values.format)) throw new UsageError(`--format: expected one of ${OUTPUT_FORMATS.join(', ')}, got "${values.format}"`);
      return runCheck({
        path: single(positionals),
        format: values.format,
        ...(values.config ? { configFile: values.config } : {}),
        select: codes(values.select, '--select') ?? null,
        ignore: codes(values.ignore, '--ignore') ?? [],
        exitZero: values['exit-zero'] ?? false,
        ...(values.output ? { output: values.output } : {}),
        ...(values.baseline !== undefined ? { baseline: values.baseline } : {}),
        cache: !values['no-cache'],
      });
    }
    case 'fix': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { ...COMMON_OPTIONS, unsafe: { type: 'boolean' }, diff: { type: 'boolean' } },
      });
      if (values.help) return (process.stdout.write(HELP), 0);
      return runFix({
        path: single(positionals),
        ...(values.config ? { configFile: values.config } : {}),
        select: codes(values.select, '--select') ?? null,
        ignore: codes(values.ignore, '--ignore') ?? [],
        unsafe: values.unsafe ?? false,
        diff: values.diff ?? false,
      });
    }
    case 'report': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          config: { type: 'string' },
          base: { type: 'string' },
          format: { type: 'string', default: 'markdown' },
          output: { type: 'string', short: 'o' },
          'fail-on': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
      if (values.help) return (process.stdout.write(HELP), 0);
      const format = values.format;
      if (format !== 'markdown' && format !== 'json') throw new UsageError(`--format: expected one of ${REPORT_FORMATS.join(', ')}, got "${format}"`);
      const failOn = values['fail-on'];
      if (failOn !== undefined && failOn !== 'at-risk' && failOn !== 'breaking') throw new UsageError(`--fail-on: expected at-risk or breaking, got "${failOn}"`);
      return runReport({
        path: single(positionals),
        format,
        ...(values.config ? { configFile: values.config } : {}),
        ...(values.base !== undefined ? { base: values.base } : {}),
        ...(values.output ? { output: values.output } : {}),
        ...(failOn ? { failOn: failOn === 'at-risk' ? 'AT RISK' : 'BREAKING' } : {}),
      });
    }
    case 'status': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { config: { type: 'string' }, format: { type: 'string', default: 'text' }, history: { type: 'string' }, 'no-cache': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      });
      if (values.help) return (process.stdout.write(HELP), 0);
      if (!(STATUS_FORMATS as readonly string[]).includes(values.format)) throw new UsageError(`--format: expected one of ${STATUS_FORMATS.join(', ')}, got "${values.format}"`);
      return runStatus({
        path: single(positionals),
        format: values.format as StatusFormat,
        ...(values.config ? { configFile: values.config } : {}),
        ...(values.history !== undefined ? { history: values.history } : {}),
        cache: !values['no-cache'],
      });
    }
    case 'baseline': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { config: { type: 'string' }, output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
      });
      if (values.help) return (process.stdout.write(HELP), 0);
      return runBaseline({ path: single(positionals), ...(values.config ? { configFile: values.config } : {}), ...(values.output ? { output: values.output } : {}) });
    }
    case 'rules': {
      const { values } = parseArgs({ args: rest, options: { format: { type: 'string', default: 'text' } } });
      return listRules(values.format === 'json' ? 'json' : 'text');
    }
    case 'server': {
      // vscode-languageserver reads the transport from the command line itself.
      if (!rest.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
        throw new UsageError('server: choose a transport: --stdio (or --node-ipc, --socket=PORT, --pipe=NAME)');
      }
      // Bundled, this is dist/server.js beside cli.js (esbuild.mjs), loaded only for this command.
      // require, not import(): the bundle is CommonJS, and import() would have Node scan all of it for named exports (~45 ms).
      require('../lsp/main.js');
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}" (expected check, fix, report, status, baseline, rules or server; see --help)`);
  }
}

/**
 * `migration-lens check | head`: once the reader is gone, writes to stdout fail with EPIPE, which Node raises as an
 * unhandled 'error' event (a stack trace, exit 1). Exit quietly instead, with the status of a process SIGPIPE
 * killed (128 + 13), as git and Python's tools do. The error arrives after the synchronous work that wrote it: a fix
 * has written its files, a check its caches. The language server is left to its own transport's handling.
 */
function quietOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(141);
    throw err;
  });
}

if (process.argv[2] !== 'server') quietOnClosedStdout();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // parseArgs signals bad options with ERR_PARSE_ARGS_* codes: a usage error, not a crash.
    const code = (err as { code?: string }).code ?? '';
    if (err instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`migration-lens: error: ${(err as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`migration-lens: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 3;
  },
);
