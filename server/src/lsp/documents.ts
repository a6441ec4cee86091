/**
 * Open documents: the editor's text (the truth while a file is open) and, for Python, the tree-sitter tree kept
 * between edits so each re-parse is incremental. Trees are wasm memory: a document owns exactly one tree at a
 * time and frees it on re-parse and on close (vscode-anycode does the same).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { Edit, type Point, type Tree } from 'web-tree-sitter';
import type { PythonParser } from '../core/python/parser.js';

export class OpenDocument {
  private tree: Tree | null = null;
  /** The tree has edits applied but was not re-parsed yet. */
  private treeStale = true;

  constructor(
    public doc: TextDocument,
    /** Absolute path; every open document the server tracks is a `file:` URI. */
    readonly absPath: string,
  ) {}

  get uri(): string {
    return this.doc.uri;
  }

  get version(): number {
    return this.doc.version;
  }

  get text(): string {
    return this.doc.getText();
  }

  get isPython(): boolean {
    return this.doc.languageId === 'python' || this.absPath.endsWith('.py');
  }

  /** Applies LSP changes in order, keeping the tree in step (each change's range refers to the text after the previous one). */
  applyChanges(changes: TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change && this.tree) {
        const startIndex = this.doc.offsetAt(change.range.start);
        const oldEndIndex = this.doc.offsetAt(change.range.end);
        const startPosition: Point = { row: change.range.start.line, column: change.range.start.character };
        this.tree.edit(
          new Edit({
            startIndex,
            oldEndIndex,
            newEndIndex: startIndex + change.text.length,
            startPosition,
            oldEndPosition: { row: change.range.end.line, column: change.range.end.character },
            newEndPosition: endPoint(startPosition, change.text),
          }),
        );
      } else {
        this.dropTree(); // a full replacement: nothing to reuse
      }
      this.doc = TextDocument.update(this.doc, [change], version);
    }
    this.treeStale = true;
  }

  /** The current tree, re-parsed incrementally when edits are pending. Owned by the document: never delete it. */
  parse(parser: PythonParser): Tree {
    if (this.tree && !this.treeStale) return this.tree;
    const next = parser.parse(this.text, this.tree);
    this.tree?.delete();
    this.tree = next;
    this.treeStale = false;
    return next;
  }

  /** The last parsed tree if it matches the text, else null (for cheap syntax questions). */
  currentTree(): Tree | null {
    return this.treeStale ? null : this.tree;
  }

  dropTree(): void {
    this.tree?.delete();
    this.tree = null;
    this.treeStale = true;
  }
}

/** Where `text` ends when inserted at `start` (tree-sitter columns are UTF-16 units in web-tree-sitter, like LSP). */
function endPoint(start: Point, text: string): Point {
  let row = start.row;
  let lineStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */ || (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10)) {
      row++;
      lineStart = i;
    }
  }
  return lineStart < 0 ? { row, column: start.column + text.length } : { row, column: text.length - lineStart - 1 };
}

export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();
  private readonly byPath = new Map<string, OpenDocument>();

  open(uri: string, languageId: string, version: number, text: string, absPath: string): OpenDocument {
    this.close(uri);
    const doc = new OpenDocument(TextDocument.create(uri, languageId, version, text), absPath);
    this.docs.set(uri, doc);
    this.byPath.set(absPath, doc);
    return doc;
  }

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  byAbsPath(absPath: string): OpenDocument | undefined {
    return this.byPath.get(absPath);
  }

  close(uri: string): OpenDocument | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    doc.dropTree();
    this.docs.delete(uri);
    if (this.byPath.get(doc.absPath) === doc) this.byPath.delete(doc.absPath);
    return doc;
  }

  all(): IterableIterator<OpenDocument> {
    return this.docs.values();
  }

  dispose(): void {
    for (const doc of this.docs.values()) doc.dropTree();
    this.docs.clear();
    this.byPath.clear();
  }
}
