import { isUtf8 as isValidUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import type { FileProblem } from '../types.js';

export type SourceText =
  | { ok: true; text: string; encoding: string; bom: boolean }
  | { ok: false; problem: FileProblem };

/** The text fixes may rewrite: only UTF-8 files, since fixes are written back as UTF-8 (any other encoding would be corrupted). */
export function fixableText(source: SourceText): string | null {
  return source.ok && source.encoding === 'utf-8' ? source.text : null;
}

const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

const LATIN_1 = new Set(['latin-1', 'latin1', 'iso-8859-1', 'iso8859-1', '8859', 'cp819', 'l1', 'iso-ir-100', 'csisolatin1']);

/** Decodes with a Python codec name: TextDecoder speaks WHATWG labels (`latin1`, `windows-1252`), Python says `latin-1`, `cp1252`. */
function decodeWith(pythonName: string, body: Uint8Array): string {
  const name = pythonName.replace(/_/g, '-');
  // Exact ISO-8859-1 (WHATWG maps that label to windows-1252, which differs in 0x80-0x9F).
  if (LATIN_1.has(name)) return Buffer.from(body).toString('latin1');
  const label = /^cp(12\d\d)$/.test(name) ? `windows-${name.slice(2)}` : name;
  return new TextDecoder(label, { fatal: true }).decode(body);
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >> 5 === 6 ? 2 : b >> 4 === 14 ? 3 : b >> 3 === 30 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    for (let k = 1; k < len; k++) if (bytes[i + k]! >> 6 !== 2) return i;
    i += len;
  }
  return -1;
}

function declaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 400)).toString('latin1').split(/\r?\n|\r/).slice(0, 2);
  for (const line of head) {
    const m = CODING_COOKIE.exec(line);
    if (m) return m[1]!.toLowerCase();
    if (!/^[ \t\f]*(#.*)?$/.test(line)) break; // PEP 263: the cookie must be on line 1 or on line 2 after a comment
  }
  return null;
}

/**
 * Decodes Python source as the interpreter would: UTF-8 (with or without BOM) unless a PEP 263 cookie says
 * otherwise. Undecodable input becomes a precise FileProblem instead of mojibake.
 */
export function decodePython(bytes: Uint8Array, relPath: string): SourceText {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  const declared = declaredEncoding(body);
  const isUtf8 = declared === null || declared === 'utf-8' || declared === 'utf8' || declared.startsWith('utf-8-') || declared.startsWith('utf_8');
  if (!isUtf8) {
    try {
      return { ok: true, text: decodeWith(declared, body), encoding: declared, bom };
    } catch (err) {
      const reason = err instanceof RangeError ? `unknown encoding "${declared}"` : `not valid ${declared}`;
      return { ok: false, problem: { path: relPath, kind: 'encoding', message: `cannot decode: ${reason} (declared by its coding cookie)` } };
    }
  }
  // The native check first: the byte-by-byte scan only runs to locate an error.
  const bad = isValidUtf8(body) ? -1 : firstInvalidUtf8(body);
  if (bad >= 0) {
    const before = Buffer.from(body.subarray(0, bad)).toString('utf8');
    const lines = before.split(/\r\n|\r|\n/);
    const line = lines.length - 1;
    const column = lines[line]!.length;
    return {
      ok: false,
      problem: {
        path: relPath,
        kind: 'encoding',
        message: `not valid UTF-8: byte 0x${body[bad]!.toString(16).padStart(2, '0')} at line ${line + 1}, column ${column + 1}, and no coding declaration`,
        range: { start: { line, column }, end: { line, column: column + 1 } },
      },
    };
  }
  // A view, not a copy: Buffer.from(Uint8Array) would copy every file once more.
  return { ok: true, text: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'), encoding: 'utf-8', bom };
}

/** `onBytes`: sees the bytes that were decoded (the caches stamp a file by the contents it was analyzed from). */
export function readPythonFile(absPath: string, relPath: string, onBytes?: (bytes: Buffer) => void): SourceText {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(absPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, problem: { path: relPath, kind: 'read', message: `cannot read: ${code}: ${(err as Error).message}` } };
  }
  onBytes?.(bytes);
  return decodePython(bytes, relPath);
}
