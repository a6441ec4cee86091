import * as fs from 'node:fs';
import type { ProjectFile } from '../project/project.js';
import { cachedProjectFile } from '../workspace/analyzeJob.js';
import type { SourceFile } from '../workspace/discover.js';
import { CorruptCacheError, FactsReader, FactsWriter } from './factsCodec.js';
import { runCacheKey } from './runCache.js';
import { cacheFile, Stamper, usableCacheDir, writeCacheFile, type Stamp } from './stamps.js';

/**
 * The facts of every file of the last run, so that a file whose contents did not change is never analyzed twice:
 * when one file of the stdlib changes, the run cache (runCache.ts) misses, and this one still serves the other
 * 1,789 files' facts, outlined or parsed, as the last run left them; only the changed file is read and analyzed,
 * then the rules run over the whole project as always (they are cross-file; their result is never cached per file).
 *
 * One file, `facts.bin` (`server-facts.bin` for the language server, whose bundle is another build: sharing one file,
 * each would throw the other's away), written after each run that analyzed something, streamed as it is encoded (the facts of
 * the stdlib are ~10 MB: never held whole), so the header comes last:
 *   "MLF2" | facts (int32, see factsCodec.ts) | header (JSON, UTF-8) | u32 LE header length
 * The header holds the key (the build), the shared string table and per file its stamp (stamps.ts), module name,
 * package flag and offset. A file is served only when its stamp matches and discovery names it the same module
 * (facts resolve relative imports against it). Facts do not depend on the configuration otherwise.
 * Reading never throws: a missing, foreign or corrupt cache serves nothing.
 */

/** The cache file of `check` and `status`; the language server keeps its own (LiveProject). */
export const FACTS_FILE = 'facts.bin';
const MAGIC = 'MLF2';
const FORMAT = 2;
/** The first integer of the data: read back as anything else, the file was written with other byte order. */
const BYTE_ORDER_MARK = 0x01020304;

/** Per file: stamp, module, isPackage (0/1), offset of its facts. */
type Entry = [...Stamp, string | null, number, number];

interface Header {
  format: number;
  key: string;
  /** Writes since the string table was last built afresh (see write). */
  extended: number;
  strings: string[];
  files: Entry[];
}

/**
 * A run that re-analyzed a few files copies the others' facts as they are, extending the string table; the strings of
 * the facts it replaced stay in the table unused. After this many such writes the table is rebuilt, so it stays bounded.
 */
const MAX_EXTENDED = 16;

/** What a cache read from disk keeps to serve files and to copy them into the next one. */
interface Loaded {
  header: Header;
  data: Int32Array;
  reader: FactsReader;
  /** offset → end of that file's facts in `data`. */
  ends: Map<number, number>;
}

/**
 * The key of the facts cache for the running build: facts depend on the build only, so every command that analyzes
 * the workspace (check, status) shares one cache.
 */
export function factsCacheKey(build: string): string {
  return runCacheKey([build, 'facts']);
}

export class FactsCache {
  /** Files served, by path: a run that served every file it ended with, unchanged, need not write. */
  private readonly served = new Map<string, { file: ProjectFile; offset: number }>();
  private restamped = false;

  private constructor(
    private readonly name: string,
    private readonly key: string,
    private readonly entries: Map<string, Entry>,
    private readonly loaded: Loaded | null,
    private readonly stamper: Stamper,
  ) {}

  /** The cache as the last run left it under `key`, or an empty one. */
  static read(root: string, key: string, stamper: Stamper, name = FACTS_FILE): FactsCache {
    const empty = new FactsCache(name, key, new Map(), null, stamper);
    let bytes: Buffer;
    try {
      if (!usableCacheDir(root)) return empty;
      bytes = fs.readFileSync(cacheFile(root, name));
    } catch {
      return empty;
    }
    try {
      if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== MAGIC) return empty;
      const headerLength = bytes.readUInt32LE(bytes.length - 4);
      const dataEnd = bytes.length - 4 - headerLength;
      if (headerLength > bytes.length || dataEnd < 4 || dataEnd % 4 !== 0) return empty;
      const header = JSON.parse(bytes.toString('utf8', dataEnd, bytes.length - 4)) as Header;
      if (header?.format !== FORMAT || header.key !== key || !Array.isArray(header.strings) || !Array.isArray(header.files)) return empty;
      if (!Number.isInteger(header.extended) || !header.strings.every((s) => typeof s === 'string')) return empty;
      // A copy when the buffer's offset does not allow an aligned view (it does for a file read whole).
      const dataBytes = bytes.subarray(4, dataEnd);
      const data =
        dataBytes.byteOffset % 4 === 0
          ? new Int32Array(dataBytes.buffer, dataBytes.byteOffset, dataBytes.length >> 2)
          : new Int32Array(Uint8Array.from(dataBytes).buffer, 0, dataBytes.length >> 2);
      if (data[0] !== BYTE_ORDER_MARK) return empty;
      const entries = new Map<string, Entry>();
      for (const entry of header.files) if (Array.isArray(entry) && typeof entry[0] === 'string') entries.set(entry[0], entry);
      const offsets = [...new Set([...entries.values()].map((e) => e[6]))].filter((o) => Number.isInteger(o)).sort((a, b) => a - b);
      const ends = new Map(offsets.map((o, i) => [o, offsets[i + 1] ?? data.length]));
      const reader = new FactsReader(data, header.strings);
      return new FactsCache(name, key, entries, { header, data, reader, ends }, stamper);
    } catch {
      return empty;
    }
  }

  /** The file's facts as the last run left them, when its contents and module name are the same; else null. */
  lookup(source: SourceFile): ProjectFile | null {
    const entry = this.entries.get(source.relPath);
    if (!entry || !this.loaded) return null;
    const [rel, size, mtime, sha1, module, isPackage, offset] = entry;
    if (module !== source.module || isPackage !== (source.isPackageInit ? 1 : 0)) return null;
    const same = this.stamper.compare([rel, size, mtime, sha1], source);
    if (!same) return null;
    let file: ProjectFile;
    try {
      file = cachedProjectFile(source, this.loaded.reader.file(offset, source.relPath));
    } catch (err) {
      if (!(err instanceof CorruptCacheError)) throw err;
      this.entries.clear();
      return null;
    }
    if (same === 'rehashed') this.restamped = true;
    this.served.set(source.relPath, { file, offset });
    return file;
  }

  /**
   * Stores the facts of `files` (in discovery order) as `fileOf` holds them after the run, unless every one is what
   * this cache served with an unchanged stamp. Files served and unchanged since are copied as they were stored.
   * Unreadable files are left out: their problem may be gone next time. Returns false when nothing could be written
   * (the run is not affected).
   */
  write(root: string, files: readonly SourceFile[], fileOf: (relPath: string) => ProjectFile | undefined): boolean {
    const kept = files.filter((f) => fileOf(f.relPath)?.opaque === false);
    const unchanged = (f: SourceFile): number | null => {
      const served = this.served.get(f.relPath);
      return served && served.file === fileOf(f.relPath) ? served.offset : null;
    };
    if (!this.restamped && kept.length === this.entries.size && kept.every((f) => unchanged(f) !== null)) return true;
    const stamps = this.stamper.stamps(kept);
    if (!stamps) return false;
    const loaded = this.loaded;
    const extend = loaded !== null && loaded.header.extended < MAX_EXTENDED;
    return writeCacheFile(root, this.name, (write) => {
      write(Buffer.from(MAGIC, 'latin1'));
      const writer = new FactsWriter((ints) => write(new Uint8Array(ints.buffer, ints.byteOffset, ints.byteLength)), extend ? loaded.header.strings : []);
      writer.mark(BYTE_ORDER_MARK);
      const entries = kept.map((source, i): Entry => {
        const old = extend ? unchanged(source) : null;
        let offset: number;
        if (old !== null) offset = writer.copy(loaded!.data.subarray(old, loaded!.ends.get(old)));
        else {
          const file = fileOf(source.relPath)!;
          offset = writer.file({ facts: file.facts, problems: file.problems, outline: file.outline === true, ...(file.focus ? { focus: file.focus } : {}) });
        }
        return [...stamps[i]!, source.module, source.isPackageInit ? 1 : 0, offset];
      });
      writer.finish();
      const header: Header = { format: FORMAT, key: this.key, extended: extend ? loaded.header.extended + 1 : 0, strings: writer.strings, files: entries };
      const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
      write(headerBytes);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(headerBytes.length);
      write(length);
    });
  }
}
