/** The typed arrays the outline scanner and the tree mirror (syntax.ts) keep their columns in. */
type NumberArray = Uint8Array | Uint16Array | Uint32Array | Int32Array;

/** A copy of `a` with room for `size` elements, zero past `a`'s: typed arrays cannot grow in place. */
export function enlarged<T extends NumberArray>(a: T, size: number): T {
  const b = new (a.constructor as new (length: number) => T)(size);
  b.set(a);
  return b;
}
