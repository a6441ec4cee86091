import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

// Resolved from the project root (tests run from there); no import.meta: the package is CommonJS.
const SCHEMA_PATH = createRequire(path.join(process.cwd(), 'package.json')).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

/**
 * The SARIF 2.1.0 schema shipped by @microsoft/jest-sarif declares draft-04, which Ajv 8 does not
 * support. Its only draft-04-specific construct is the top-level `id` (draft-06+: `$id`): no boolean
 * exclusiveMinimum/Maximum, no other draft-04 keyword. So we validate it as draft-07 after renaming
 * `id` — and assert that premise, so the test breaks if a future schema uses more of draft-04.
 * (`ajv-draft-04` would validate it as is, but it is not installed.)
 */
export function compileSarifValidator() {
  const raw = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  assert.equal(raw.$schema, 'http://json-schema.org/draft-04/schema#');
  const text = JSON.stringify(raw);
  assert.ok(!/"exclusive(Minimum|Maximum)"\s*:\s*(true|false)/.test(text), 'no draft-04 boolean exclusive bounds');
  const { id, $schema: _draft04, ...rest } = raw;
  assert.equal(typeof id, 'string');
  const schema = { $schema: 'http://json-schema.org/draft-07/schema#', $id: id as string, ...rest };
  // unicodeRegExp: false because the schema's `language` pattern (`...{2}]?$`) has a stray `]` that
  // is legal in a plain RegExp but a syntax error with the `u` flag Ajv uses by default.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

