/**
 * Reads Go source with tree-sitter's Go grammar (WebAssembly: no Go toolchain). Only ever imported dynamically: the
 * build makes it a vendor file of its own, next to the two .wasm files it loads, so activating the extension loads
 * none of it. A file with syntax errors still gives what its tree holds; nothing here throws on bad Go.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { getAsset, isSea } from 'node:sea';
import { Language, Parser, type Node } from 'web-tree-sitter';
import {
  unquoteGoString,
  type GoField,
  type GoFile,
  type GoImport,
  type GoMethod,
  type GoModelUse,
  type GoType,
  type GoTypeDeclaration,
} from '../core/go-declarations';

/** The GORM calls whose first argument names a model: `db.AutoMigrate(&User{})`, `db.Find(&users)`, ... */
const MODEL_CALLS = ['AutoMigrate', 'Create', 'First', 'Find', 'Take', 'Last', 'Save', 'Model', 'CreateTable'];

/** Where a text calls one of them: `.Find(`. */
const CALLS = new RegExp(`\\.(${MODEL_CALLS.join('|')})\\s*\\(`, 'g');

/** A Go parser ready to read files. */
export interface GoReader {
  read(filePath: string, text: string): GoFile;
}

/**
 * The grammar's file: beside this module once bundled (dist/vendor), else in its npm package (tests run the compiled
 * sources). web-tree-sitter finds its own .wasm beside its code the same way.
 */
function grammarFile(): string {
  const beside = path.join(__dirname, 'tree-sitter-go.wasm');
  return existsSync(beside) ? beside : require.resolve('tree-sitter-go/tree-sitter-go.wasm');
}

let loaded: Promise<GoReader> | undefined;

/**
 * The names under which the single executable (scripts/build-exe.mjs) embeds the two WebAssembly files: it is one file
 * and has nothing beside it to read.
 */
export const EMBEDDED_WASM = { runtime: 'web-tree-sitter.wasm', grammar: 'tree-sitter-go.wasm' } as const;

function embedded(name: string): Uint8Array {
  return new Uint8Array(getAsset(name));
}

/** Loads the WebAssembly runtime and the Go grammar once per process. */
export function goReader(): Promise<GoReader> {
  loaded ??= (async () => {
    const single = isSea();
    await Parser.init(single ? { wasmBinary: embedded(EMBEDDED_WASM.runtime) } : {});
    const language = await Language.load(single ? embedded(EMBEDDED_WASM.grammar) : await readFile(grammarFile()));
    const parser = new Parser();
    parser.setLanguage(language);
    return { read: (filePath, text) => readGoFile(parser, filePath, text) };
  })();
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

function readGoFile(parser: Parser, filePath: string, text: string): GoFile {
  const tree = parser.parse(text);
  const empty: GoFile = {
    path: filePath,
    folder: path.dirname(filePath),
    packageName: '',
    imports: [],
    types: [],
    methods: [],
    modelUses: [],
    hasSyntaxErrors: true,
  };
  if (!tree) return empty;
  try {
    const root = tree.rootNode;
    let packageName = '';
    const imports: GoImport[] = [];
    const types: GoTypeDeclaration[] = [];
    const methods: GoMethod[] = [];
    // A cursor over the top-level declarations: a node object is made only for the kinds read (most are functions).
    const cursor = root.walk();
    try {
      for (let more = cursor.gotoFirstChild(); more; more = cursor.gotoNextSibling()) {
        switch (cursor.nodeType) {
          case 'package_clause':
            packageName = cursor.currentNode.namedChild(0)?.text ?? '';
            break;
          case 'import_declaration':
            for (const spec of cursor.currentNode.descendantsOfType('import_spec'))
              if (spec) imports.push(...importOf(spec));
            break;
          case 'type_declaration':
            for (const spec of cursor.currentNode.namedChildren) {
              if (spec?.type === 'type_spec') types.push(...typeDeclarationOf(spec, text));
            }
            break;
          case 'method_declaration': {
            const method = methodOf(cursor.currentNode);
            if (method) methods.push(method);
            break;
          }
        }
      }
    } finally {
      cursor.delete();
    }
    return {
      ...empty,
      packageName,
      imports,
      types,
      methods,
      modelUses: modelUsesOf(root, text),
      hasSyntaxErrors: root.hasError,
    };
  } finally {
    tree.delete();
  }
}

function importOf(spec: Node): GoImport[] {
  const pathNode = spec.childForFieldName('path');
  const importPath = pathNode && unquoteGoString(pathNode.text);
  if (importPath === undefined || importPath === null) return [];
  const alias = spec.childForFieldName('name')?.text;
  if (alias === '_' || alias === '.') return [];
  return [{ name: alias ?? importPath.slice(importPath.lastIndexOf('/') + 1), path: importPath }];
}

function typeDeclarationOf(spec: Node, source: string): GoTypeDeclaration[] {
  const name = spec.childForFieldName('name')?.text;
  const typeNode = spec.childForFieldName('type');
  if (!name || !typeNode || spec.childForFieldName('type_parameters')) return [];
  const declaration: GoTypeDeclaration = { name, type: typeOf(typeNode, source), line: spec.startPosition.row + 1 };
  const list =
    typeNode.type === 'struct_type'
      ? typeNode.namedChildren.find((child) => child?.type === 'field_declaration_list')
      : undefined;
  if (!list) return [declaration];
  return [{ ...declaration, braces: { open: list.startPosition.row + 1, close: list.endPosition.row + 1 } }];
}

function typeOf(node: Node, source: string): GoType {
  const text = node.text;
  const plain = typeFromText(text);
  if (plain) return plain;
  switch (node.type) {
    case 'type_identifier':
      return { kind: 'named', text, package: undefined, name: text, typeArguments: [] };
    case 'qualified_type':
      return {
        kind: 'named',
        text,
        package: node.childForFieldName('package')?.text,
        name: node.childForFieldName('name')?.text ?? text,
        typeArguments: [],
      };
    case 'generic_type': {
      const base = node.childForFieldName('type');
      const named = base ? typeOf(base, source) : undefined;
      const argumentsNode = node.childForFieldName('type_arguments');
      const typeArguments = (argumentsNode?.namedChildren ?? []).flatMap((argument) => {
        const inner = argument?.type === 'type_elem' ? argument.namedChild(0) : argument;
        return inner ? [typeOf(inner, source)] : [];
      });
      return named?.kind === 'named' ? { ...named, text, typeArguments } : { kind: 'other', text };
    }
    case 'pointer_type':
    case 'slice_type':
    case 'array_type': {
      const element = node.childForFieldName('element') ?? node.namedChildren.at(-1);
      const kind = node.type === 'pointer_type' ? 'pointer' : node.type === 'slice_type' ? 'slice' : 'array';
      return element ? { kind, text, element: typeOf(element, source) } : { kind: 'other', text };
    }
    case 'parenthesized_type': {
      const inner = node.namedChild(0);
      return inner ? typeOf(inner, source) : { kind: 'other', text };
    }
    case 'map_type':
      return { kind: 'map', text };
    case 'struct_type': {
      const list = node.namedChildren.find((child) => child?.type === 'field_declaration_list');
      return { kind: 'struct', text, fields: list ? fieldsOf(list, source) : [] };
    }
    default:
      return { kind: 'other', text };
  }
}

/**
 * A one-line field as gofmt writes most of them: names, a plain type, a tag. Read from its text, it costs no walk of
 * its nodes; anything else (an inline struct, a function type, generics) is read from the tree.
 */
const PLAIN_FIELD = /^(?:([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+)?([[\]*\w.]+)(?:\s+(`[^`]*`|"(?:[^"\\\n]|\\.)*"))?$/;

/** A struct's fields, each with the `//` comment that follows it on its last line. */
function fieldsOf(list: Node, source: string): GoField[] {
  const fields: GoField[] = [];
  for (const node of list.namedChildren) {
    if (node?.type !== 'field_declaration') continue;
    const line = node.startPosition.row + 1;
    const endLine = node.endPosition.row + 1;
    const end = node.endIndex;
    const lineEnd = source.indexOf('\n', end);
    const comment = /^[ \t]*(\/\/.*?)\r?$/.exec(source.slice(end, lineEnd === -1 ? undefined : lineEnd))?.[1];
    const plain = line === endLine ? PLAIN_FIELD.exec(node.text) : null;
    const plainType = plain && typeFromText(plain[2]);
    if (plain && plainType) {
      const tagLiteral = plain[3];
      fields.push({
        names: plain[1] === undefined ? [] : plain[1].split(',').map((name) => name.trim()),
        type: plainType,
        tagLiteral,
        tag: tagLiteral === undefined ? undefined : unquoteGoString(tagLiteral),
        comment,
        line,
        endLine,
      });
      continue;
    }
    const typeNode = node.childForFieldName('type');
    if (!typeNode) continue;
    const tagNode = node.childForFieldName('tag');
    fields.push({
      names: node.childrenForFieldName('name').flatMap((name) => (name ? [name.text] : [])),
      type: typeOf(typeNode, source),
      tagLiteral: tagNode?.text,
      tag: tagNode ? unquoteGoString(tagNode.text) : undefined,
      comment,
      line,
      endLine,
    });
  }
  return fields;
}

/** The methods GORM calls on a model or a field's type. */
const GORM_METHODS = new Set(['TableName', 'Value', 'Scan', 'GormDataType']);

function methodOf(node: Node): GoMethod | undefined {
  const name = node.childForFieldName('name')?.text;
  if (!name || !GORM_METHODS.has(name)) return undefined;
  const receiver = node.childForFieldName('receiver')?.descendantsOfType('type_identifier')[0]?.text;
  if (!name || !receiver) return undefined;
  const statements = node.childForFieldName('body')?.namedChildren.find((child) => child?.type === 'statement_list');
  const only = statements?.namedChildCount === 1 ? statements.namedChild(0) : undefined;
  const returned = only?.type === 'return_statement' ? only.namedChild(0)?.namedChild(0) : undefined;
  const literal = returned && /string_literal$/.test(returned.type) && only?.namedChild(0)?.namedChildCount === 1;
  return {
    receiver,
    name,
    returnedString: literal ? unquoteGoString(returned.text) : undefined,
    line: node.startPosition.row + 1,
  };
}

/**
 * The types named by GORM calls: `&User{}`, `User{}`, `new(User)`, and a variable declared before the call with a
 * type (`var users []User`, `user := User{...}`). Calls are found in the text and looked up in the tree, far cheaper
 * than a query over every file's tree.
 */
function modelUsesOf(root: Node, text: string): GoModelUse[] {
  const uses: GoModelUse[] = [];
  for (const match of text.matchAll(CALLS)) {
    const method = root.descendantForIndex(match.index + 1);
    const call = method?.parent?.parent;
    if (method?.type !== 'field_identifier' || call?.type !== 'call_expression') continue;
    const argumentList = call.childForFieldName('arguments');
    const candidates = (argumentList?.namedChildren ?? []).slice(0, match[1] === 'AutoMigrate' ? undefined : 1);
    for (const argument of candidates) {
      const type = argument && argumentType(argument, text, (name) => declaredType(text, name, match.index));
      const named = type && modelTypeName(type);
      if (named) uses.push(named);
    }
  }
  return uses;
}

const TYPE_TEXT = String.raw`[\[\]*\w.]+`;

/** The type of the last declaration of variable `name` before `before` in the text. */
function declaredType(text: string, name: string, before: number): GoType | undefined {
  const declaration = new RegExp(
    String.raw`\bvar\s+${name}\s+(${TYPE_TEXT})|\b${name}\s*:?=\s*&?(${TYPE_TEXT})\s*\{|\b${name}\s*:?=\s*new\((${TYPE_TEXT})\)`,
    'g',
  );
  let found: string | undefined;
  for (const match of text.slice(0, before).matchAll(declaration)) found = match[1] ?? match[2] ?? match[3];
  return found === undefined ? undefined : typeFromText(found);
}

function argumentType(
  argument: Node,
  source: string,
  variableType: (name: string) => GoType | undefined,
): GoType | undefined {
  const operand = argument.type === 'unary_expression' ? argument.childForFieldName('operand') : argument;
  if (!operand) return undefined;
  if (operand.type === 'composite_literal') {
    const type = operand.childForFieldName('type');
    return type ? typeOf(type, source) : undefined;
  }
  if (operand.type === 'identifier') return variableType(operand.text);
  if (operand.type === 'call_expression' && operand.childForFieldName('function')?.text === 'new') {
    const type = operand.childForFieldName('arguments')?.namedChild(0);
    return type ? typeOf(type, source) : undefined;
  }
  return undefined;
}

/**
 * A plain type from its text (`T`, `pkg.T`, `*T`, `[]T`, `[4]T`, `map[...]...`) without walking its nodes; undefined
 * for the rest (generics, inline structs, functions), which are read from the tree.
 */
function typeFromText(text: string): GoType | undefined {
  if (text.startsWith('*')) {
    const element = typeFromText(text.slice(1));
    return element && { kind: 'pointer', text, element };
  }
  const list = /^\[(\d*)\]/.exec(text);
  if (list) {
    const element = typeFromText(text.slice(list[0].length));
    return element && { kind: list[1] === '' ? 'slice' : 'array', text, element };
  }
  if (text.startsWith('map[')) return { kind: 'map', text };
  const named = /^(?:([A-Za-z_]\w*)\.)?([A-Za-z_]\w*)$/.exec(text);
  return named ? { kind: 'named', text, package: named[1], name: named[2], typeArguments: [] } : undefined;
}

/** `User`, `*User`, `[]User`, `[]*models.User` -> the named type. */
function modelTypeName(type: GoType): GoModelUse | undefined {
  if (type.kind === 'named') return { package: type.package, name: type.name };
  if (type.kind === 'pointer' || type.kind === 'slice' || type.kind === 'array') return modelTypeName(type.element);
  return undefined;
}
