/**
 * The outline lexer's numbers: token kinds, token flags, the codes of its reasons to decline and the fields of the
 * wasm side's state block, and the wasm statement scanner's result tables. Written in the subset of TypeScript that
 * AssemblyScript compiles too: the wasm side (server/assembly/) and the scanner (tokens.ts re-exports these) and
 * fastScan.ts read one definition.
 */

// Operands. A string literal is one STRING token; an f-string with interpolations is FSTART (up to its first
// `{`), the interpolations' tokens, FMID (from one interpolation's end to the next one's `{`) and FEND.
export const T_NAME = 1;
export const T_NUMBER = 2;
export const T_STRING = 3;
export const T_FSTART = 4;
export const T_FMID = 5;
export const T_FEND = 6;
// Punctuation and operators.
export const T_LPAR = 10;
export const T_RPAR = 11;
export const T_LSQB = 12;
export const T_RSQB = 13;
export const T_LBRACE = 14;
export const T_RBRACE = 15;
export const T_COMMA = 16;
export const T_COLON = 17;
export const T_SEMI = 18;
export const T_DOT = 19;
export const T_ELLIPSIS = 20;
export const T_ASSIGN = 21;
export const T_WALRUS = 22;
export const T_ARROW = 23;
export const T_AT = 24;
export const T_STAR = 25;
export const T_DSTAR = 26;
export const T_SLASH = 27;
export const T_MINUS = 28;
export const T_PLUS = 29;
export const T_TILDE = 30;
export const T_AUGASSIGN = 31;
/** `//`, `%`, `<<`, `>>`, `&`, `|`, `^`. */
export const T_BINOP = 32;
/** `<`, `>`, `<=`, `>=`, `==`, `!=`. */
export const T_COMPARE = 33;
// Hard keywords, in KEYWORDS order (tokens.ts; a test checks the two agree).
export const KW_FIRST = 40;
export const KW_FALSE = 40;
export const KW_NONE = 41;
export const KW_TRUE = 42;
export const KW_AND = 43;
export const KW_AS = 44;
export const KW_ASSERT = 45;
export const KW_ASYNC = 46;
export const KW_AWAIT = 47;
export const KW_BREAK = 48;
export const KW_CLASS = 49;
export const KW_CONTINUE = 50;
export const KW_DEF = 51;
export const KW_DEL = 52;
export const KW_ELIF = 53;
export const KW_ELSE = 54;
export const KW_EXCEPT = 55;
export const KW_FINALLY = 56;
export const KW_FOR = 57;
export const KW_FROM = 58;
export const KW_GLOBAL = 59;
export const KW_IF = 60;
export const KW_IMPORT = 61;
export const KW_IN = 62;
export const KW_IS = 63;
export const KW_LAMBDA = 64;
export const KW_NONLOCAL = 65;
export const KW_NOT = 66;
export const KW_OR = 67;
export const KW_PASS = 68;
export const KW_RAISE = 69;
export const KW_RETURN = 70;
export const KW_TRY = 71;
export const KW_WHILE = 72;
export const KW_WITH = 73;
export const KW_YIELD = 74;

/** Soft keywords are NAME tokens; `aux` says which. */
export const SOFT_MATCH = 1;
export const SOFT_CASE = 2;

// Token flags.
/** A NAME right after `.`: an attribute, never a use of its own. */
export const F_AFTER_DOT = 1;
/** A NAME followed by `=` right inside `(`: a keyword argument or parameter name. */
export const F_KWARG = 2;
/** A `,`, `=` or `:` of a lambda's parameter list (the `:` ending it included). */
export const F_LAMBDA = 4;
/**
 * A NAME in `X[...].a.b`: in an annotation tree-sitter may read this as a member_type whose names are plain
 * identifiers, which extract.ts reads as names of their own.
 */
export const F_CHAINLESS = 8;

// Why the lexer declines (wasm traps with one of these; lexer.ts turns it into its Decline reason).
export const R_SYNTAX = 1;
export const R_BRACKET_MISMATCH = 2;
export const R_COMMENT_IN_INTERPOLATION = 3;
export const R_CONTINUATION_AT_LINE_START = 4;
export const R_CONTINUATION_IN_INTERPOLATION = 5;
export const R_CONTINUATION_TO_BLANK = 6;
export const R_DEDENT_IN_BRACKETS = 7;
export const R_FSTRING_BRACE = 8;
export const R_FSTRING_CONVERSION = 9;
export const R_FSTRING_EXPRESSION = 10;
export const R_FSTRING_LAMBDA = 11;
export const R_FSTRING_SPEC = 12;
export const R_FSTRING_WALRUS = 13;
export const R_INVALID_CHARACTER = 14;
export const R_NESTING = 15;
export const R_NEWLINE_IN_INTERPOLATION = 16;
export const R_NUMBER = 17;
export const R_STRAY_BACKSLASH = 18;
export const R_STRING_PREFIX = 19;
export const R_UNCLOSED_BRACKET = 20;
export const R_UNTERMINATED_STRING = 21;

// The wasm lexer's state block, Int32 fields that lexer.ts reads after each call: the line just read, why it declined,
// and where the token arrays and the text are (they move when they grow).
export const S_TOKENS = 0;
export const S_INDENT = 1;
export const S_WALRUS = 2;
export const S_SOFT = 3;
export const S_ASSIGNMENTS = 4;
export const S_REASON = 5;
export const S_CAPACITY = 6;
/** Bumped whenever the arrays are placed anew. */
export const S_LAYOUT = 7;
export const S_TEXT = 8;
/** S_KIND to S_HASH: the token arrays kind, aux, flags, depth, start, end, hash, in this order. */
export const S_KIND = 9;
export const S_AUX = 10;
export const S_FLAGS = 11;
export const S_DEPTH = 12;
export const S_START = 13;
export const S_END = 14;
export const S_HASH = 15;
export const STATE_FIELDS = 16;

// The wasm statement scanner's results (server/assembly/outlineScanner.ts; read by outline/fastScan.ts).
/** Binding kinds (facts.ts BindingKind). */
export const B_CLASS = 0;
export const B_FUNCTION = 1;
export const B_ASSIGN = 2;
export const B_ALIAS = 3;
export const B_IMPORT = 4;
export const B_OTHER = 5;
/** Import guard bits. */
export const G_TRY_IMPORT_ERROR = 1;
export const G_TYPE_CHECKING = 2;
export const G_NESTED = 4;
/** Fields of the results block: where each table is, then counts and flags. */
export const RS_IMP = 0;
export const RS_ITEM = 1;
export const RS_BIND = 2;
export const RS_DEF = 3;
export const RS_PREFIX = 4;
export const RS_DECO = 5;
export const RS_PARTS = 6;
export const RS_ALL = 7;
export const RS_OUT = 8;
export const RS_MNL = 9;
export const RS_N_IMP = 10;
export const RS_N_BIND = 11;
export const RS_N_DEF = 12;
export const RS_N_OUT = 13;
export const RS_N_MNL = 14;
/** 1 when `__all__` is a list (RS_N_ALL entries), 0 when the file has none. */
export const RS_ALL_MODE = 15;
export const RS_N_ALL = 16;
export const RS_ALL_DYNAMIC = 17;
export const RS_HAS_GETATTR = 18;
export const RS_DYNAMIC_GLOBALS = 19;
export const RS_DEPRECATION_NAME = 20;
export const RS_FUTURE_NAME = 21;
/** Module-level `warn(` sites, and whether a recorded function's leading statement is a warn() call (0 or 1). */
export const RS_MODULE_WARN_SITES = 22;
export const RS_LEADING_WARN = 23;
/**
 * What outline/warnings.ts needs, read only when RS_MODULE_WARN_SITES / RS_LEADING_WARN say a warn() call may make a
 * deprecation: recorded functions (definition, start, end: its WatchedDef), candidate calls (where their logical
 * line's reading starts, token range [s, e), recorded function or -1 at module level) and module-level string
 * constants (name start, end, hash, pieces start and count in the parts table, plain).
 */
export const RS_WATCH = 24;
export const RS_CAND = 25;
export const RS_N_CAND = 26;
export const RS_CONST = 27;
export const RS_N_CONST = 28;
export const RESULT_FIELDS = 29;
/**
 * Record sizes, in Int32s. An import statement: kind (0 import, 1 from), level, module start and end (-1 none,
 * -2 ''), range (4), module range (4; line -1: none), star, parenthesized, guard bits, indent start and end (-1: ''),
 * first item, item count.
 */
export const IMP_SIZE = 19;
/**
 * An import item: name start, end, hash, dotted, plain (nothing but dots between a dotted name's parts), alias
 * start, end, hash (-1: none), range (4), name range (4), local start, end, hash.
 */
export const ITEM_SIZE = 19;
/**
 * A module binding: name start, end, hash, kind (B_*), range (4), fallback, conditional, statement and item (-1:
 * not an import), alias target parts start (-1: none) and count, the range's start offset.
 */
export const BIND_SIZE = 15;
/**
 * A definition: prefix, name start, end, hash, function (0: class), name range (4), decorators start and count,
 * conditional, the binding of its name (-1: none).
 */
export const DEF_SIZE = 13;
