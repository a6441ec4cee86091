/**
 * SARIF 2.1.0 output (GitHub code scanning, VS Code SARIF viewer...), built with node-sarif-builder
 * and completed by hand where the builder has no setter (uriBaseId on artifacts, notifications).
 *
 * - Artifact URIs are the POSIX paths relative to the root, percent-encoded per segment, with
 *   `uriBaseId: "%SRCROOT%"`; `run.originalUriBaseIds["%SRCROOT%"]` is the root's file URI.
 * - Regions are 1-based; columns count UTF-16 code units (`run.columnKind = "utf16CodeUnits"`),
 *   end columns are exclusive, as SARIF specifies.
 * - `partialFingerprints["migrationLens/v1"]` hashes code, path and message (not the line), plus an
 *   occurrence index among identical triples, so results keep their identity when lines move.
 * - File problems and config diagnostics become `invocations[0].toolExecutionNotifications`.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type * as SarifBuilders from 'node-sarif-builder';
import type { ArtifactLocation, Fix as SarifFix, Location, Log, Notification, PropertyBag, Region, Result } from 'sarif';
import type { Finding, Range, Severity } from '../../core/types.js';
import { displayConfigPath, isInsideRoot, type CheckResult } from './types.js';

export const TOOL_NAME = 'migration-lens';
/** Shown as `tool.driver.informationUri`. Placeholder: replace with the project's real home page. */
export const TOOL_INFORMATION_URI = 'https://github.com/migration-lens/migration-lens';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';
export const FINGERPRINT_KEY = 'migrationLens/v1';

export function sarifLevel(severity: Severity): Result.level {
  switch (severity) {
    case 'error':
      return 'error';
    case 'warning':
      return 'warning';
    case 'info':
    case 'hint':
      return 'note';
  }
}

/** A root-relative POSIX path as a relative URI reference (each segment percent-encoded). */
export function relativeUri(posixPath: string): string {
  return posixPath.split('/').map(encodeURIComponent).join('/');
}

function srcLocation(posixPath: string): ArtifactLocation {
  return { uri: relativeUri(posixPath), uriBaseId: SRCROOT };
}

function region(r: Range): Region {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.column + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.column + 1,
  };
}

function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** Hex sha256 of the line-independent identity of a finding (truncated to 32 hex digits). */
export function fingerprintHash(finding: Pick<Finding, 'code' | 'path' | 'message'>): string {
  return createHash('sha256')
    .update(`${finding.code}\u0000${finding.path}\u0000${finding.message}`, 'utf8')
    .digest('hex')
    .slice(0, 32);
}

function fixToSarif(finding: Finding): SarifFix[] | undefined {
  if (!finding.fix) return undefined;
  return [
    {
      description: { text: finding.fix.title },
      artifactChanges: [
        {
          artifactLocation: srcLocation(finding.path),
          replacements: finding.fix.edits.map((e) => ({
            deletedRegion: region(e.range),
            insertedContent: { text: e.newText },
          })),
        },
      ],
      properties: { safety: finding.fix.safety },
    },
  ];
}

function notifications(result: CheckResult): Notification[] {
  const out: Notification[] = [];
  for (const d of result.configDiagnostics) {
    const artifactLocation: ArtifactLocation = isInsideRoot(result.root, d.path)
      ? srcLocation(displayConfigPath(result.root, d.path))
      : { uri: pathToFileURL(d.path).href };
    out.push({
      level: d.severity,
      message: { text: d.message },
      locations: [{ physicalLocation: { artifactLocation, region: region(d.range) } }],
      properties: { kind: 'config' },
    });
  }
  for (const p of result.problems) {
    const physicalLocation: Location['physicalLocation'] = { artifactLocation: srcLocation(p.path) };
    if (p.range) physicalLocation.region = region(p.range);
    out.push({
      level: 'error',
      message: { text: p.message },
      locations: [{ physicalLocation }],
      properties: { kind: p.kind },
    });
  }
  return out;
}

let sarifBuilders: typeof SarifBuilders | undefined;

/**
 * node-sarif-builder, loaded on first use: with fs-extra and graceful-fs (which patches `fs.close` process-wide) it
 * was ~5 ms of every run's start-up (a tenth of the bundle's), run with SARIF output or not.
 */
function builders(): typeof SarifBuilders {
  return (sarifBuilders ??= require('node-sarif-builder') as typeof SarifBuilders);
}

/** The SARIF log as an object (what `formatSarif` serializes). */
export function toSarifLog(result: CheckResult): Log {
  const { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } = builders();
  const builder = new SarifBuilder({ $schema: SARIF_SCHEMA_URI, version: '2.1.0' });
  const run = new SarifRunBuilder({
    columnKind: 'utf16CodeUnits',
    originalUriBaseIds: { [SRCROOT]: { uri: rootUri(result.root) } },
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications(result) }],
  }).initSimple({ toolDriverName: TOOL_NAME, toolDriverVersion: result.toolVersion, url: TOOL_INFORMATION_URI });

  const ruleIndex = new Map<string, number>();
  result.rules.forEach((meta, i) => {
    ruleIndex.set(meta.code, i);
    run.addRule(
      new SarifRuleBuilder({ name: meta.name, defaultConfiguration: { level: sarifLevel(meta.defaultSeverity) } }).initSimple({
        ruleId: meta.code,
        shortDescriptionText: meta.summary || meta.name,
        helpUri: meta.docsUrl,
      }),
    );
  });

  const occurrences = new Map<string, number>();
  for (const f of result.findings) {
    const hash = fingerprintHash(f);
    const n = (occurrences.get(hash) ?? 0) + 1;
    occurrences.set(hash, n);

    const properties: PropertyBag = { category: f.category };
    if (f.tags.length > 0) properties.tags = [...f.tags];
    if (f.migration !== undefined) properties.migration = f.migration;

    const rb = new SarifResultBuilder({
      ruleIndex: ruleIndex.get(f.code),
      partialFingerprints: { [FINGERPRINT_KEY]: `${hash}:${n}` },
      relatedLocations:
        f.related.length > 0
          ? f.related.map((r, i) => ({
              id: i,
              physicalLocation: { artifactLocation: srcLocation(r.path), region: region(r.range) },
              message: { text: r.message },
            }))
          : undefined,
      fixes: fixToSarif(f),
      properties,
    });
    rb.setRuleId(f.code);
    rb.setLevel(sarifLevel(f.severity));
    rb.setMessageText(f.message);
    rb.setLocationArtifactUri(srcLocation(f.path));
    rb.setLocationRegion(region(f.range));
    run.addResult(rb);
  }

  builder.addRun(run);
  const log = builder.buildSarifOutput();

  // The builder lists every result file under run.artifacts but without our uriBaseId, and with
  // sourceLanguage "unknown" for extensions it does not know.
  for (const r of log.runs) {
    for (const artifact of r.artifacts ?? []) {
      if (artifact.location) artifact.location.uriBaseId = SRCROOT;
      if (artifact.sourceLanguage === 'unknown') delete artifact.sourceLanguage;
    }
  }
  return log;
}

export function formatSarif(result: CheckResult): string {
  return JSON.stringify(toSarifLog(result), null, 2) + '\n';
}
