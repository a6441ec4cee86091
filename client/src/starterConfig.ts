/**
 * The migration-lens.toml that "Create Config" writes. Its live lines equal the defaults, so creating the file
 * changes nothing until it is edited; every other key is a commented example to uncomment. The text is kept
 * as tagged lines so test/client/starterConfig.test.ts can parse both the file as written and the file with
 * every example uncommented. No `vscode` import, for that test.
 */

type Line = { kind: 'note' | 'live' | 'example'; text: string };

const note = (text = ''): Line => ({ kind: 'note', text });
const live = (text: string): Line => ({ kind: 'live', text });
const example = (text: string): Line => ({ kind: 'example', text });
const blank: Line = { kind: 'live', text: '' };

const LINES: readonly Line[] = [
  note('Migration Lens configuration (the same keys work under [tool.migration-lens] in pyproject.toml).'),
  note('Paths are relative to this file\'s folder, the project root. Uncomment an example to use it.'),
  blank,
  note('Import roots: the folders whose children are top-level packages or modules.'),
  live('src = [".", "src"]'),
  blank,
  note('Paths never analyzed, on top of the default exclusions (.git, .venv, build, dist, node_modules, ...).'),
  note('`exclude` replaces the defaults instead.'),
  live('extend-exclude = []'),
  blank,
  note('Oldest Python the code must run on: decides which standard-library deprecations apply and how fixes'),
  note('spell UTC (timezone.utc below 3.11). Default: the lower bound of requires-python, else py39.'),
  example('target-version = "py311"'),
  blank,
  note('Rules to turn off everywhere, or in some files only (codes or prefixes; `select` limits the rules).'),
  example('ignore = ["MIG005"]'),
  example('per-file-ignores = { "scripts/**" = ["MIG001"] }'),
  blank,
  note('Named groups of files, counted apart in the Migration Status panel and the stability report. The first'),
  note('matching category wins; every other file is "production".'),
  live('[categories]'),
  live('tests = ["tests/**", "test/**", "**/tests/**", "**/test/**", "**/test_*.py", "**/*_test.py", "**/conftest.py"]'),
  example('backup = ["backup/**"]'),
  example('scripts = ["scripts/**"]'),
  blank,
  note('A deprecated symbol or module (dotted path). Every use is reported (MIG001); with a `replacement`,'),
  note('the quick fix swaps it (an unsafe fix: review the call sites). Repeat the block for each one.'),
  example('[[deprecated]]'),
  example('symbol = "myapp.engine.LegacyEngine"'),
  example('replacement = "myapp.engine.Engine"'),
  example('message = "LegacyEngine is replaced by Engine (issue #123)"'),
  blank,
  note('The single source of truth of some symbols: importing them from anywhere else (a re-export, a legacy'),
  note('shim) is reported with a safe fix (MIG002), and so are compatibility aliases (MIG003) and second'),
  note('definitions (MIG006).'),
  example('[[canonical]]'),
  example('module = "myapp.websocket.manager"'),
  example('symbols = ["WebSocketManager", "get_websocket_manager"]'),
];

function render(uncommentExamples: boolean): string {
  const out = LINES.map((line) => {
    if (line.kind === 'note') return line.text ? `# ${line.text}` : '#';
    if (line.kind === 'example' && !uncommentExamples) return `# ${line.text}`;
    return line.text;
  });
  return `${out.join('\n')}\n`;
}

/** The file as written by "Create Config". */
export const STARTER_CONFIG = render(false);

/** The same file with every example uncommented: must be a valid config too. */
export const STARTER_CONFIG_ALL_EXAMPLES = render(true);
