// AssemblyScript entry of dist/outline-lexer.wasm: the outline's lexer and its statement scanner.
export { addKeyword, begin, lexLine, position, state } from './outlineLexer';
export { results, scanFile } from './outlineScanner';
