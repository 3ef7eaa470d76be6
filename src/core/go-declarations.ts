/**
 * What Migration Lens reads from Go source files: plain data the Go reader (src/adapters/go-source.ts) fills from the
 * syntax tree, so that everything GORM-specific is decided here in the core, without a parser.
 */

/** A Go type expression, as far as GORM's rules need it; `text` is its source text. */
export type GoType =
  | {
      readonly kind: 'named';
      readonly text: string;
      /** The package qualifier (`time` in `time.Time`), undefined for a type of the same package or a builtin. */
      readonly package: string | undefined;
      readonly name: string;
      /** `sql.Null[string]`'s `string`. */
      readonly typeArguments: readonly GoType[];
    }
  | { readonly kind: 'pointer' | 'slice' | 'array'; readonly text: string; readonly element: GoType }
  | { readonly kind: 'map' | 'other'; readonly text: string }
  | { readonly kind: 'struct'; readonly text: string; readonly fields: readonly GoField[] };

/** One field declaration of a struct: `Name string \`gorm:"size:255"\`` or an embedded `gorm.Model`. */
export interface GoField {
  /** The declared names; empty for an embedded field. */
  readonly names: readonly string[];
  readonly type: GoType;
  /** The tag's text as written, quotes included; undefined without a tag. */
  readonly tagLiteral: string | undefined;
  /** The tag's value (the literal unquoted). */
  readonly tag: string | undefined;
  /** A trailing `// comment` on the same line, as written. */
  readonly comment: string | undefined;
  /** 1-based lines of the declaration's start and end (a field of an inline struct type spans several). */
  readonly line: number;
  readonly endLine: number;
}

/** A top-level `type Name <type>` declaration. */
export interface GoTypeDeclaration {
  readonly name: string;
  readonly type: GoType;
  readonly line: number;
  /** For a struct: the 1-based lines of its `{` and `}`. */
  readonly braces?: { readonly open: number; readonly close: number };
}

/** A method, as far as GORM looks at methods: `TableName`, `Value`, `Scan`, `GormDataType`. */
export interface GoMethod {
  /** The receiver's type name, without `*`. */
  readonly receiver: string;
  readonly name: string;
  /** The string a body of just `return "..."` returns. */
  readonly returnedString: string | undefined;
  readonly line: number;
}

/** An import: the name it is used by in the file (its alias, or the last element of its path) and its path. */
export interface GoImport {
  readonly name: string;
  readonly path: string;
}

/** A type handed to GORM as a model: `db.AutoMigrate(&User{})`, `db.Create(&user)`, `db.Find(&users)`. */
export interface GoModelUse {
  readonly package: string | undefined;
  readonly name: string;
}

/** What one `.go` file declares. A file with syntax errors still gives what could be read. */
export interface GoFile {
  /** The file's path as the reader was given it. */
  readonly path: string;
  /** The folder of the file: files of one folder form one package. */
  readonly folder: string;
  readonly packageName: string;
  readonly imports: readonly GoImport[];
  readonly types: readonly GoTypeDeclaration[];
  readonly methods: readonly GoMethod[];
  readonly modelUses: readonly GoModelUse[];
  readonly hasSyntaxErrors: boolean;
}

/**
 * The value of `key` in a Go struct tag, as reflect.StructTag.Lookup finds it: `key:"value"` pairs separated by
 * spaces, the value a Go string literal. Undefined when absent or when the tag is malformed before it.
 */
export function structTagValue(tag: string, key: string): string | undefined {
  let rest = tag;
  while (rest !== '') {
    rest = rest.replace(/^ +/, '');
    if (rest === '') break;
    const name = /^[^\s:"\x00-\x1f\x7f]+/.exec(rest)?.[0];
    if (name === undefined || rest[name.length] !== ':' || rest[name.length + 1] !== '"') break;
    rest = rest.slice(name.length + 1);
    let end = 1;
    while (end < rest.length && rest[end] !== '"') end += rest[end] === '\\' ? 2 : 1;
    if (end >= rest.length) break;
    const quoted = rest.slice(0, end + 1);
    rest = rest.slice(end + 1);
    if (name === key) return unquoteGoString(quoted);
  }
  return undefined;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** A Go string literal's value: a raw `` `...` `` literal as written, an interpreted `"..."` one unescaped. */
export function unquoteGoString(literal: string): string | undefined {
  if (literal.length >= 2 && literal.startsWith('`') && literal.endsWith('`')) {
    return literal.slice(1, -1).replaceAll('\r', '');
  }
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) return undefined;
  const body = literal.slice(1, -1);
  let value = '';
  for (let index = 0; index < body.length; index++) {
    const char = body[index];
    if (char !== '\\') {
      value += char;
      continue;
    }
    const next = body[++index] ?? '';
    if (next in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[next];
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(index + 1, index + 1 + length);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) return undefined;
      value += String.fromCodePoint(parseInt(hex, 16));
      index += length;
    } else if (/[0-7]/.test(next)) {
      const octal = body.slice(index, index + 3);
      if (!/^[0-7]{3}$/.test(octal)) return undefined;
      value += String.fromCharCode(parseInt(octal, 8));
      index += 2;
    } else {
      return undefined;
    }
  }
  return value;
}
