import type { Definition, FileFacts, ImportStatement, LegacyWarning, ModuleBinding, Parameter, Ref } from '../python/facts.js';
import { sameRange } from '../text.js';
import type { ProjectFile } from './project.js';

/**
 * What one version of a file shares with the previous one, compared field by field (no signature strings: an
 * editor compares a 100 KB file's facts on every keystroke). Two questions, for Project.upsert:
 * - `sameExports`: can another file observe a difference? If so, every cross-file table is rebuilt (generation).
 * - `sameProjectInputs`: do the workspace-wide rules (Rule.checkProject) read the same? If not, their findings
 *   are recomputed (Project.workspaceRevision). They also read exports, so this is only asked when those are equal.
 * Each must answer false whenever anything it covers differs; answering false too often only costs time.
 */

export function sameExports(a: ProjectFile, b: ProjectFile): boolean {
  if (a.module !== b.module || a.opaque !== b.opaque) return false;
  const f = a.facts;
  const g = b.facts;
  return (
    f.allDynamic === g.allDynamic &&
    f.hasGetattr === g.hasGetattr &&
    f.dynamicGlobals === g.dynamicGlobals &&
    sameStringsOrNull(f.all, g.all) &&
    sameList(f.bindings, g.bindings, sameBinding) &&
    sameList(f.legacyWarnings, g.legacyWarnings, sameLegacyWarning) &&
    // An outline file's functions have no parameter list (python/outline.ts, `params: false`), and no cross-file
    // table reads one: replacing an outline by its parse must not rebuild every table (and re-run every file's rules).
    sameList(f.definitions, g.definitions, a.outline || b.outline ? sameDefinitionButParams : sameDefinition) &&
    sameExportedImports(f.imports, g.imports)
  );
}

/**
 * Beyond exports, what Rule.checkProject reads of a file: every import statement (a nested one still makes its
 * module "imported", MIG007), the refs whose base may be a module (`mod.Alias`, MIG007), module-level name loads,
 * and, for the engine's emission, suppressions and the file's category and scope.
 */
export function sameProjectInputs(a: ProjectFile, b: ProjectFile): boolean {
  const f = a.facts;
  const g = b.facts;
  return (
    a.relPath === b.relPath &&
    a.category === b.category &&
    a.inScope === b.inScope &&
    a.opaque === b.opaque &&
    a.outline === b.outline &&
    sameList(f.imports, g.imports, sameImport) &&
    sameAttributeRefs(f.refs, g.refs) &&
    sameStrings(f.moduleNameLoads, g.moduleNameLoads) &&
    sameList(f.suppressions, g.suppressions, sameSuppression)
  );
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameStringsOrNull(a: readonly string[] | null | undefined, b: readonly string[] | null | undefined): boolean {
  return a === b || (!!a && !!b && sameStrings(a, b));
}

function sameBinding(a: ModuleBinding, b: ModuleBinding): boolean {
  return (
    a.name === b.name &&
    a.kind === b.kind &&
    a.fallback === b.fallback &&
    a.conditional === b.conditional &&
    a.stmt === b.stmt &&
    a.item === b.item &&
    sameRange(a.range, b.range) &&
    sameStringsOrNull(a.aliasTarget, b.aliasTarget)
  );
}

function sameLegacyWarning(a: LegacyWarning, b: LegacyWarning): boolean {
  return a.message === b.message && a.category === b.category && sameRange(a.range, b.range);
}

function sameParameter(a: Parameter, b: Parameter): boolean {
  return a.name === b.name && a.kind === b.kind && a.default === b.default && sameRange(a.range, b.range);
}

function sameDefinition(a: Definition, b: Definition): boolean {
  return sameDefinitionButParams(a, b) && (a.params === b.params || (!!a.params && !!b.params && sameList(a.params, b.params, sameParameter)));
}

function sameDefinitionButParams(a: Definition, b: Definition): boolean {
  return (
    a.qualName === b.qualName &&
    a.kind === b.kind &&
    a.conditional === b.conditional &&
    sameRange(a.nameRange, b.nameRange) &&
    (a.deprecation === b.deprecation ||
      (!!a.deprecation && !!b.deprecation && a.deprecation.message === b.deprecation.message && a.deprecation.via === b.deprecation.via)) &&
    sameStrings(a.decorators, b.decorators)
  );
}

/** Statements importers can see through: module-level ones and star imports (resolution follows both). */
const exported = (s: ImportStatement): boolean => s.star || !s.guard.nested;

function sameExportedImports(a: readonly ImportStatement[], b: readonly ImportStatement[]): boolean {
  if (a === b) return true;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !exported(a[i]!)) i++;
    while (j < b.length && !exported(b[j]!)) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (!sameImport(a[i]!, b[j]!)) return false;
    i++;
    j++;
  }
}

function sameImport(a: ImportStatement, b: ImportStatement): boolean {
  if (
    a.kind !== b.kind ||
    a.level !== b.level ||
    a.module !== b.module ||
    a.absModule !== b.absModule ||
    a.star !== b.star ||
    a.guard.nested !== b.guard.nested ||
    a.guard.typeChecking !== b.guard.typeChecking ||
    a.guard.tryImportError !== b.guard.tryImportError ||
    !sameRange(a.range, b.range) ||
    a.items.length !== b.items.length
  ) {
    return false;
  }
  for (let k = 0; k < a.items.length; k++) {
    const x = a.items[k]!;
    const y = b.items[k]!;
    if (x.name !== y.name || x.asName !== y.asName || x.local !== y.local || !sameRange(x.range, y.range)) return false;
  }
  return true;
}

/** Refs with attributes, by import item and first attribute (their positions are never reported). */
function sameAttributeRefs(a: readonly Ref[], b: readonly Ref[]): boolean {
  if (a === b) return true;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && a[i]!.chain.length === 0) i++;
    while (j < b.length && b[j]!.chain.length === 0) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    const x = a[i]!;
    const y = b[j]!;
    if (x.stmt !== y.stmt || x.item !== y.item || x.chain[0] !== y.chain[0]) return false;
    i++;
    j++;
  }
}

function sameSuppression(a: FileFacts['suppressions'][number], b: FileFacts['suppressions'][number]): boolean {
  return a[0] === b[0] && sameStrings(a[1], b[1]);
}
