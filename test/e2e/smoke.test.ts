/**
 * UI smoke test of the packaged extension (the VSIX that scripts/e2e/setup.sh installed, not the repo's
 * sources) in code-server's real workbench, driven like a person would with headless Chromium:
 *   (a) Quick Open a file with a legacy import → a squiggle on that line
 *   (b) Ctrl+. → the canonical-import quick fix → save → the file on disk imports from the canonical module
 *   (c) the Migration Status panel shows "N left" rows → screenshot to docs/images/status-panel.png
 *   (d) "Generate Stability Report" from the palette → the report file appears in the workspace
 * The smoke-test driver hides notification toasts, so every step asserts a side effect, never a toast.
 * Titles (commands, views) are read from the installed extension's manifest; positions and the fix's expected
 * result come from the CLI's JSON on the same workspace copy.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { tempCopy } from '../support/files';
import { openWorkbench, startCodeServer, type CodeServer, type Workbench } from './support/codeServer';
import { CLI, DEMO, EXTENSIONS_DIR, REPO, installedExtension, runDir, skipReason } from './support/paths';
import { poll, tail } from './support/process';

/** Demo file whose line carries exactly one MIG002 finding with a safe canonical-import fix. */
const FILE = 'netra_backend/app/websocket_core/unified_emitter.py';
const SCREENSHOT = path.join(REPO, 'docs', 'images', 'status-panel.png');
const UI_TIMEOUT = 60_000;

interface Position { line: number; column: number }
interface CliFinding {
  code: string;
  path: string;
  range: { start: Position; end: Position };
  fix: { safety: string; title: string; edits: { range: { start: Position; end: Position }; newText: string }[] } | null;
}

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    viewsContainers: { activitybar: { id: string; title: string }[] };
    views: Record<string, { id: string; name: string }[]>;
  };
}

/** Applies the CLI's 1-based (UTF-16 column) edits to `text`, last first. */
function applyEdits(text: string, edits: NonNullable<CliFinding['fix']>['edits']): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: Position): number => lineStarts[p.line - 1] + p.column - 1;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((acc, e) => acc.slice(0, offset(e.range.start)) + e.newText + acc.slice(offset(e.range.end)), text);
}

/**
 * Line numbers (1-based) of the squiggles in the active editor: each squiggle is matched to the line-number
 * element at the same height. Runs in the page (a string: this tsconfig has no DOM types).
 */
const SQUIGGLE_LINES = `(() => {
  const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor');
  if (!editor) return [];
  const numbers = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')];
  const lines = [];
  for (const squiggle of editor.querySelectorAll('.squiggly-warning, .squiggly-error, .squiggly-info')) {
    const box = squiggle.getBoundingClientRect();
    const middle = box.top + box.height / 2;
    const number = numbers.find((n) => {
      const r = n.getBoundingClientRect();
      return r.top <= middle && middle < r.bottom;
    });
    if (number) lines.push(Number(number.textContent));
  }
  return lines;
})()`;

async function squiggleLines(page: Page): Promise<number[]> {
  return page.evaluate<number[]>(SQUIGGLE_LINES);
}

/** Opens the quick input with `keys`, types `text` and accepts the row whose label contains `label`. */
async function quickInput(page: Page, keys: string, text: string, label?: string): Promise<void> {
  await page.keyboard.press(keys);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await input.fill(text);
  if (label) {
    await page
      .locator('.quick-input-widget .monaco-list-row.focused', { hasText: label })
      .first()
      .waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  }
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
}

/** Drags the sash at the sidebar's right edge until the sidebar is `width` px wide (labels untruncated). */
async function widenSidebar(page: Page, width: number): Promise<void> {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  if (!box) throw new Error('the sidebar is not visible');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 10 });
  await page.mouse.up();
  await poll(`the sidebar to be about ${width} px wide`, async () => ((await sidebar.boundingBox())?.width ?? 0) > width * 0.9, { timeoutMs: 5_000 });
}

function listMarkdown(dir: string): Set<string> {
  return new Set(fs.readdirSync(dir).filter((name) => name.endsWith('.md')));
}

test('the packaged extension in code-server: squiggle, quick fix, status panel, report', { skip: skipReason(['cli', 'code-server', 'vsix']), timeout: 360_000 }, async (t) => {
  const extension = installedExtension()!;
  const manifest = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8')) as Manifest;
  const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.id === 'migrationLens');
  const view = manifest.contributes.views.migrationLens?.find((v) => v.id === 'migrationLens.status');
  const report = manifest.contributes.commands.find((c) => c.command === 'migrationLens.generateReport');
  assert.ok(container && view && report, 'the manifest lacks the migrationLens container, its status view or the report command');
  const reportTitle = `${report.category ? `${report.category}: ` : ''}${report.title}`;

  const workspace = tempCopy(DEMO, 'ml-e2e-smoke-');
  const findings = (JSON.parse(execFileSync(process.execPath, [CLI, 'check', workspace, '--format', 'json', '--exit-zero'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })) as { findings: CliFinding[] }).findings;
  const finding = findings.find((f) => f.path === FILE && f.code === 'MIG002' && f.fix?.safety === 'safe');
  assert.ok(finding?.fix, `the CLI reports no safely fixable MIG002 in ${FILE}`);
  const fix = finding.fix;
  const target = path.join(workspace, FILE);
  const original = fs.readFileSync(target, 'utf8');
  const fixed = applyEdits(original, fix.edits);
  const canonical = /from `([\w.]+)`/.exec(fix.title)?.[1];
  assert.ok(canonical && fixed.includes(`from ${canonical} import`), `unexpected fix: ${fix.title}`);
  const markdownBefore = listMarkdown(workspace);

  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let broken: string | undefined;
  const step = (name: string, body: (page: Page) => Promise<void>) => async (s: TestContext): Promise<void> => {
    if (broken) return s.skip(`an earlier step failed: ${broken}`);
    try {
      await body(workbench!.page);
    } catch (error) {
      broken = name;
      const shot = path.join(server!.dir, `failure-${name.replace(/\W+/g, '-')}.png`);
      await workbench!.page.screenshot({ path: shot }).catch(() => undefined);
      console.log(`--- ${name} failed; screenshot ${shot}\n--- browser log (${workbench!.log}):\n${tail(workbench!.log, 60)}`);
      throw error;
    }
  };

  try {
    // A private copy of the installed extensions: code-server writes into its extensions dir.
    const extensionsDir = runDir('smoke-extensions');
    fs.cpSync(EXTENSIONS_DIR, extensionsDir, { recursive: true });
    const registry = path.join(extensionsDir, 'extensions.json');
    if (fs.existsSync(registry)) fs.writeFileSync(registry, fs.readFileSync(registry, 'utf8').split(EXTENSIONS_DIR).join(extensionsDir));
    server = await startCodeServer({ name: 'smoke', extensionsDir });
    workbench = await openWorkbench(server, { folder: workspace });

    await t.test('(a) a legacy import gets a squiggle', step('squiggle', async (page) => {
      await quickInput(page, 'Control+P', path.basename(FILE), path.basename(FILE));
      await page.locator('.part.editor .monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await poll(`a squiggle on line ${finding.range.start.line} of ${FILE}`, async () => (await squiggleLines(page)).includes(finding.range.start.line), { timeoutMs: 90_000, intervalMs: 250 });
    }));

    await t.test('(b) the quick fix imports from the canonical module, saved to disk', step('quick fix', async (page) => {
      const { line, column } = finding.range.start;
      await quickInput(page, 'Control+P', `:${line}:${column}`);
      await page.locator('.part.editor .monaco-editor.focused').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      // Ctrl+. until the menu offers the fix: a keypress that lands while the editor is still taking focus, or a
      // menu that a fresh diagnostics publish closes, is retried (each try waits for the menu, no fixed sleep).
      const rows = page.locator('.action-widget .monaco-list-row');
      const wanted = fix.title.replace(/`/g, '');
      let offered: string[] = [];
      let presses = 0;
      const action = await poll(`the quick fix "${fix.title}" in the Ctrl+. menu`, async () => {
        if (!(await rows.first().isVisible())) {
          await page.keyboard.press('Control+.');
          presses++;
          await rows.first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
        }
        offered = await rows.allInnerTexts();
        for (const row of await rows.all()) {
          if ((await row.innerText()).replace(/`/g, '').includes(wanted)) return row;
        }
        if (offered.length > 0) await page.keyboard.press('Escape');
        return undefined;
      }, { timeoutMs: 45_000, intervalMs: 250 }).catch((error: Error) => {
        throw new Error(`${error.message}; the menu offered: ${JSON.stringify(offered)}`);
      });
      if (presses > 1) console.log(`quick fix menu: offered the fix after ${presses} Ctrl+. presses`);
      await action.click();
      await page.locator('.action-widget:not(.action-list-submenu-panel)').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
      await page.keyboard.press('Control+S');
      await poll(`${FILE} on disk to import from ${canonical}`, () => fs.readFileSync(target, 'utf8') === fixed, { timeoutMs: 30_000 }).catch((error: Error) => {
        throw new Error(`${error.message}\n--- on disk:\n${fs.readFileSync(target, 'utf8').split('\n').slice(0, 15).join('\n')}\n--- expected:\n${fixed.split('\n').slice(0, 15).join('\n')}`);
      });
    }));

    await t.test('(c) the Migration Status panel lists what is left', step('status panel', async (page) => {
      // The activity-bar item of the container (its icon's class names the container id; a badge covers a corner).
      const icon = page.locator(`.part.activitybar li.action-item:has([class*="workbench-view-extension-${container.id}-"])`);
      await icon.first().click();
      const pane = page.locator(`[id="workbench.view.extension.${container.id}"]`);
      const row = pane.locator('.monaco-list-row', { hasText: / left/ });
      await row.first().waitFor({ state: 'visible', timeout: 90_000 });
      await widenSidebar(page, 820);
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      // The sidebar down to its last row: the README shows the rows, not the empty space below them.
      const sidebarBox = (await page.locator('.part.sidebar').boundingBox())!;
      const lastRow = (await pane.locator('.monaco-list-row').last().boundingBox())!;
      const height = Math.min(sidebarBox.height, lastRow.y + lastRow.height + 12 - sidebarBox.y);
      await page.screenshot({ path: SCREENSHOT, clip: { ...sidebarBox, height } });
      await page.screenshot({ path: path.join(server!.dir, 'workbench.png') });
    }));

    await t.test('(d) "Generate Stability Report" writes the report into the workspace', step('report', async (page) => {
      await page.keyboard.press('Control+Shift+P');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await input.fill(`>${reportTitle}`);
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: reportTitle }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await page.keyboard.press('Enter');
      // The command asks what to compare with: the current state (the workspace is not a git repository).
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Current state' }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await page.keyboard.press('Enter');
      const created = await poll('a new Markdown report in the workspace', () => {
        const added = [...listMarkdown(workspace)].filter((name) => !markdownBefore.has(name));
        return added.find((name) => fs.statSync(path.join(workspace, name)).size > 0);
      }, { timeoutMs: 60_000, intervalMs: 250 });
      const text = fs.readFileSync(path.join(workspace, created), 'utf8');
      assert.match(text, /^#/m, `${created} is not a Markdown report`);
      assert.match(text, /^## Verdict: /m, `${created} has no verdict`);
    }));
  } finally {
    await workbench?.close().catch(() => undefined);
    await server?.stop();
  }
  if (!broken) fs.rmSync(workspace, { recursive: true, force: true });
});
