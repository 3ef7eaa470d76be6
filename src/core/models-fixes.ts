/**
 * The quick fixes for model findings, both ways: a migration pair that adds a field's column with GORM's MySQL type,
 * and edits of the struct (a field added for a column, a field removed) laid out the way gofmt lays out a struct.
 */
import type { GoField } from './go-declarations';
import type { GormModel, ModelColumn } from './gorm-models';
import { toDBName } from './gorm-naming';
import { gormMysqlColumnDefinition, INTEGER_BITS, parseColumnType, TIME_TYPES } from './gorm-types';
import type { ColumnSnapshot, TableSnapshot } from './verify-snapshot';

/** A new migration's name and the text of its two files. */
export interface MigrationPair {
  readonly name: string;
  readonly up: string;
  readonly down: string;
}

function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replaceAll('`', '``')}\``;
}

/**
 * `add_<column>_to_<table>`: `ALTER TABLE ... ADD COLUMN` with GORM's definition of the field (the type GORM's MySQL
 * driver gives it, NOT NULL and DEFAULT from its tag), plus the indexes of that column alone; the down drops the
 * column, which drops those indexes with it.
 */
export function addColumnMigration(model: GormModel, column: ModelColumn): MigrationPair {
  const table = quoteName(model.table);
  const name = quoteName(column.column);
  const definition = gormMysqlColumnDefinition({ ...column, autoIncrement: false });
  const indexes = model.indexes
    .filter((index) => index.columns.length === 1 && index.columns[0] === column.column)
    .map((index) => `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteName(index.name)} ON ${table} (${name});\n`);
  return {
    name: `add_${column.column}_to_${model.table}`.replace(/[^A-Za-z0-9_]/g, '_'),
    up: `ALTER TABLE ${table} ADD COLUMN ${name} ${definition};\n${indexes.join('')}`,
    down: `ALTER TABLE ${table} DROP COLUMN ${name};\n`,
  };
}

/** A replacement of whole lines of a file: lines `start` to `end` (1-based, inclusive) become `text`. */
export interface LineEdit {
  readonly start: number;
  readonly end: number;
  /** The new lines, each ending with a line break. */
  readonly text: string;
}

/** The Go field a column gets: its name (GORM's name for it, or a `column:` tag), a type that can hold it, a tag. */
export interface FieldForColumn {
  readonly name: string;
  readonly type: string;
  readonly tag: string | undefined;
  /** An import the type needs (`time`). */
  readonly needsImport: string | undefined;
}

/** The Go name GORM maps to `column`: `user_id` -> `UserID`, `api_key` -> `APIKey`, `email` -> `Email`. */
export function goFieldName(column: string): string {
  const initialisms = new Set(['api', 'id', 'url', 'uri', 'uuid', 'ip', 'json', 'html', 'http', 'https', 'sql', 'ui']);
  const name = column
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => (initialisms.has(part.toLowerCase()) ? part.toUpperCase() : part[0].toUpperCase() + part.slice(1)))
    .join('');
  return /^[A-Za-z]/.test(name) ? name : `Column${name}`;
}

/**
 * A field for a column found in the table: a Go type that holds every value (a pointer when the column allows NULL),
 * `size:` for a sized string, `not null`, the unique index the column has alone, and `column:` when GORM's name for
 * the field would be another.
 */
export function fieldForColumn(table: TableSnapshot, column: ColumnSnapshot): FieldForColumn {
  const name = goFieldName(column.name);
  const type = parseColumnType(column.type);
  let goType: string;
  let needsImport: string | undefined;
  const tags: string[] = [];
  if (toDBName(name) !== column.name) tags.push(`column:${column.name}`);
  const bits = INTEGER_BITS[type.base];
  if (type.base === 'tinyint' && type.arguments[0] === 1 && !type.unsigned) goType = 'bool';
  else if (bits !== undefined) goType = `${type.unsigned ? 'uint' : 'int'}${bits === 24 ? 32 : bits}`;
  else if (type.base === 'float') goType = 'float32';
  else if (type.base === 'double' || type.base === 'real') goType = 'float64';
  else if (type.base === 'decimal' || type.base === 'numeric') {
    goType = 'float64';
    tags.push(`precision:${type.arguments[0] ?? 10}`, `scale:${type.arguments[1] ?? 0}`);
  } else if (TIME_TYPES.has(type.base)) {
    goType = 'time.Time';
    needsImport = 'time';
  } else if (/blob$|binary$/.test(type.base)) goType = '[]byte';
  else {
    goType = 'string';
    if ((type.base === 'varchar' || type.base === 'char') && type.arguments[0] !== undefined) {
      tags.push(`size:${type.arguments[0]}`);
    }
  }
  if (!column.nullable) tags.push('not null');
  else if (goType !== '[]byte') goType = `*${goType}`;
  const ownIndex = [...table.indexes.values()].find(
    (index) => index.name !== 'PRIMARY' && index.parts.length === 1 && index.parts[0].column === column.name,
  );
  if (ownIndex) tags.push(`${ownIndex.unique ? 'uniqueIndex' : 'index'}:${ownIndex.name}`);
  return { name, type: goType, tag: tags.length > 0 ? `\`gorm:"${tags.join(';')}"\`` : undefined, needsImport };
}

/**
 * The struct's field lines with `field` added as the last field, laid out as gofmt does; undefined when the struct is
 * not written with its braces on lines of their own (`struct{ A int }`).
 */
export function addFieldEdit(fileText: string, model: GormModel, field: FieldForColumn): LineEdit | undefined {
  const braces = model.braces;
  if (!braces || braces.close <= braces.open) return undefined;
  const body = fileText.split('\n').slice(braces.open, braces.close - 1);
  const added: BodyLine = { kind: 'field', cells: [field.name, field.type, ...(field.tag ? ['', field.tag] : [])] };
  const lines = [...bodyLines(body, braces.open, model.fields), added];
  return {
    start: braces.open + 1,
    end: braces.close - 1,
    text: layOut(lines, bodyIndent(body), model.fields.length + 1),
  };
}

/** The struct's field lines with `fieldName` (a direct field) removed, laid out again; undefined if it is not one. */
export function removeFieldEdit(fileText: string, model: GormModel, fieldName: string): LineEdit | undefined {
  const braces = model.braces;
  const field = model.fields.find((candidate) => candidate.names.includes(fieldName));
  if (!braces || !field || braces.close <= braces.open) return undefined;
  const body = fileText.split('\n').slice(braces.open, braces.close - 1);
  const names = field.names.filter((name) => name !== fieldName);
  const fields = model.fields.flatMap((candidate) =>
    candidate !== field ? [candidate] : names.length > 0 ? [{ ...candidate, names }] : [],
  );
  const lines = bodyLines(body, braces.open, fields).filter(
    (line) => names.length > 0 || line.kind === 'field' || line.line < field.line || line.line > field.endLine,
  );
  return { start: braces.open + 1, end: braces.close - 1, text: layOut(lines, bodyIndent(body), fields.length) };
}

/** One line of a struct body: a one-line field as the cells gofmt's tabwriter aligns, or a line kept as it is. */
type BodyLine =
  | { readonly kind: 'field'; readonly cells: readonly string[] }
  | { readonly kind: 'kept'; readonly text: string; readonly line: number };

function bodyIndent(body: readonly string[]): string {
  return /^[ \t]*/.exec(body.find((line) => line.trim() !== '') ?? '')?.[0] || '\t';
}

/**
 * The body's lines: one-line fields as go/printer's cells (names | type | empty | tag | comment; an embedded field:
 * type | tag | comment), everything else (comments, blank lines, multi-line fields) kept.
 */
function bodyLines(body: readonly string[], openLine: number, fields: readonly GoField[]): BodyLine[] {
  const oneLine = new Map(fields.filter((field) => field.line === field.endLine).map((field) => [field.line, field]));
  return body.map((text, index): BodyLine => {
    const line = openLine + index + 1;
    const field = oneLine.get(line);
    if (!field) return { kind: 'kept', text, line };
    const named = field.names.length > 0;
    const cells = named ? [field.names.join(', '), field.type.text] : [field.type.text];
    if (field.tagLiteral !== undefined) cells.push(...(named ? [''] : []), field.tagLiteral);
    if (field.comment !== undefined)
      cells.push(...(field.tagLiteral === undefined && !named ? [''] : []), field.comment);
    return { kind: 'field', cells };
  });
}

/**
 * text/tabwriter as gofmt sets it up (padding 1, blanks, DiscardEmptyColumns): a column's cells are padded to the
 * widest of a block of consecutive lines that all have a cell after it; a line's last cell is never padded. A struct
 * of one field is written with single blanks.
 */
function layOut(lines: readonly BodyLine[], indent: string, fieldCount: number): string {
  const cellsOf = (line: BodyLine) => (line.kind === 'field' ? line.cells : [line.text]);
  if (fieldCount <= 1) {
    return lines
      .map((line) =>
        line.kind === 'kept' ? `${line.text}\n` : `${indent}${line.cells.filter((cell) => cell !== '').join(' ')}\n`,
      )
      .join('');
  }
  const widths = lines.map(() => [] as number[]);
  const format = (from: number, to: number, column: number): void => {
    for (let index = from; index < to;) {
      if (cellsOf(lines[index]).length - 1 <= column) {
        index++;
        continue;
      }
      let end = index;
      let widest = 0;
      while (end < to && cellsOf(lines[end]).length - 1 > column) {
        widest = Math.max(widest, [...cellsOf(lines[end])[column]].length);
        end++;
      }
      for (let row = index; row < end; row++) widths[row][column] = widest === 0 ? 0 : widest + 1;
      format(index, end, column + 1);
      index = end;
    }
  };
  format(0, lines.length, 0);
  return lines
    .map((line, row) => {
      if (line.kind === 'kept') return `${line.text}\n`;
      const cells = line.cells.map((cell, column) =>
        column === line.cells.length - 1 ? cell : cell.padEnd(widths[row][column] ?? 0),
      );
      return `${indent}${cells.join('')}\n`;
    })
    .join('');
}
