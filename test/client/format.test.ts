// Wording of the status numbers shown in the panel and the language status item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProjectStatus, StatusSnapshot } from '../../server/src/lsp/protocol.js';
import {
  describeByCode,
  describeCounts,
  escapeMarkdown,
  percent,
  statusDetail,
  statusText,
  summarize,
} from '../../client/src/format.js';

function project(overrides: Partial<ProjectStatus>): ProjectStatus {
  return {
    root: 'file:///ws',
    name: 'ws',
    configUri: null,
    configHasErrors: false,
    scan: { state: 'ready', indexed: 10, total: 10 },
    files: 10,
    problems: 0,
    remaining: 0,
    migrated: 0,
    compliance: null,
    groups: [],
    rules: [],
    ...overrides,
  };
}

const snapshot = (...projects: ProjectStatus[]): StatusSnapshot => ({ version: 1, projects });

test('group descriptions', () => {
  assert.equal(describeCounts({ remaining: 12, compliance: 0.875 }), '12 left · 87% migrated');
  assert.equal(describeCounts({ remaining: 12, compliance: null }), '12 left');
  assert.equal(describeCounts({ remaining: 0, compliance: 1 }), '0 left · 100% migrated');
});

test('percentages round down, so 100% means nothing is left', () => {
  assert.equal(percent(0.999), '99%');
  assert.equal(percent(1), '100%');
  assert.equal(percent(0.29), '29%');
  assert.equal(percent(0), '0%');
});

test('language status text and detail', () => {
  assert.equal(statusText(undefined), 'SSOT —');
  assert.equal(statusText(summarize(snapshot(project({})))), 'SSOT —');
  const indexing = summarize(
    snapshot(
      project({ remaining: 12, migrated: 88, scan: { state: 'indexing', indexed: 340, total: 1790 } }),
      project({ root: 'file:///ws/b', remaining: 0, migrated: 0 }),
    ),
  );
  assert.equal(statusText(indexing), 'SSOT 88%');
  assert.equal(statusDetail(indexing), '12 usages left · indexing 340/1790');
  assert.equal(statusDetail(summarize(snapshot(project({ remaining: 1, migrated: 3 })))), '1 usage left · ready');
  assert.equal(statusDetail(summarize(snapshot(project({})))), 'ready');
  assert.equal(statusDetail(summarize(snapshot(project({ configHasErrors: true })))), 'ready · config has errors');
});

test('compliance over several projects is weighted by usages', () => {
  const summary = summarize(snapshot(project({ remaining: 1, migrated: 0 }), project({ remaining: 0, migrated: 99 })));
  assert.equal(summary.compliance, 0.99);
  assert.equal(summary.indexing, null);
});

test('workspace text cannot inject markdown', () => {
  const name = '[click](command:workbench.action.terminal.new) ![x](https://e.example/a.png) <img src=x> `code` $(alert) *b* | c';
  const escaped = escapeMarkdown(name);
  // Once every backslash-escaped character is removed, no markdown syntax is left.
  assert.doesNotMatch(escaped.replace(/\\./g, ''), /[[\]()<>`$!*|:]/);
  assert.equal(escaped.replace(/\\(.)/g, '$1'), name);
});

test('fix counts by code, most frequent first', () => {
  assert.deepEqual(describeByCode({ MIG001: 3, MIG002: 12, MIG003: 3 }), ['MIG002 × 12', 'MIG001 × 3', 'MIG003 × 3']);
});
