import type {
  CheckSnapshot,
  ColumnSnapshot,
  ForeignKeySnapshot,
  IndexSnapshot,
  RoutineSnapshot,
  SchemaSnapshot,
  TableSnapshot,
  TriggerSnapshot,
  ViewSnapshot,
} from './verify-snapshot';

/**
 * One way in which the schema now differs from the schema it should equal, in words a reviewer can act on:
 * "column users.email still exists", "index idx_orders_user missing from orders",
 * "foreign key fk_x differs: ON DELETE CASCADE vs RESTRICT" (always "now vs expected").
 */
export interface SchemaDifference {
  /** What the object is, as it reads in a sentence: `column users.email`, `foreign key fk_x`. */
  readonly object: string;
  readonly change: 'missing' | 'extra' | 'differs';
  /** For `differs`: each attribute that changed, `ON DELETE CASCADE vs RESTRICT`. */
  readonly details: readonly string[];
  readonly words: string;
}

/**
 * How to say that an object exists now but did not in the expected schema. After a down, "still exists" tells the
 * author which drop is missing; after the second up, the object is new.
 */
export type ExtraWords = 'still exists' | 'appears';

/** Every difference between `expected` and `actual`, tables first, in name order within each kind. */
export function compareSnapshots(
  expected: SchemaSnapshot,
  actual: SchemaSnapshot,
  extraWords: ExtraWords = 'still exists',
): SchemaDifference[] {
  const differences: SchemaDifference[] = [];
  const say = new Phrasing(extraWords, differences);
  for (const [name, table, wanted] of pairs(actual.tables, expected.tables)) {
    if (!table) say.missing(`table ${name}`);
    else if (!wanted) say.extra(`table ${name}`);
    else if (table !== wanted) compareTables(wanted, table, say);
  }
  for (const [name, view, wanted] of pairs(actual.views, expected.views)) {
    say.compare(`view ${name}`, view, wanted, viewDetails);
  }
  for (const [name, trigger, wanted] of pairs(actual.triggers, expected.triggers)) {
    say.compare(`trigger ${name}`, trigger, wanted, triggerDetails);
  }
  for (const [, routine, wanted] of pairs(actual.routines, expected.routines)) {
    const either = (routine ?? wanted)!;
    say.compare(`${either.kind.toLowerCase()} ${either.name}`, routine, wanted, routineDetails);
  }
  return differences;
}

function compareTables(expected: TableSnapshot, actual: TableSnapshot, say: Phrasing): void {
  const table = actual.name;
  say.differs(`table ${table}`, tableDetails(actual, expected));
  for (const [name, column, wanted] of pairs(actual.columns, expected.columns)) {
    say.compare(`column ${table}.${name}`, column, wanted, columnDetails);
  }
  for (const [name, index, wanted] of pairs(actual.indexes, expected.indexes)) {
    if (!index) say.missing(`index ${name}`, ` from ${table}`);
    else if (!wanted) say.extra(`index ${name}`, ` on ${table}`);
    else say.differs(`index ${name} on ${table}`, indexDetails(index, wanted));
  }
  for (const [name, key, wanted] of pairs(actual.foreignKeys, expected.foreignKeys)) {
    say.compare(`foreign key ${name}`, key, wanted, foreignKeyDetails);
  }
  for (const [name, check, wanted] of pairs(actual.checks, expected.checks)) {
    if (!check) say.missing(`check constraint ${name}`, ` from ${table}`);
    else if (!wanted) say.extra(`check constraint ${name}`, ` on ${table}`);
    else say.differs(`check constraint ${name} on ${table}`, checkDetails(check, wanted));
  }
}

class Phrasing {
  constructor(
    private readonly extraWords: ExtraWords,
    private readonly differences: SchemaDifference[],
  ) {}

  missing(object: string, where = ''): void {
    this.differences.push({ object, change: 'missing', details: [], words: `${object} missing${where}` });
  }

  extra(object: string, where = ''): void {
    this.differences.push({ object, change: 'extra', details: [], words: `${object} ${this.extraWords}${where}` });
  }

  differs(object: string, details: readonly string[]): void {
    if (details.length === 0) return;
    this.differences.push({ object, change: 'differs', details, words: `${object} differs: ${details.join('; ')}` });
  }

  compare<T>(object: string, actual: T | undefined, expected: T | undefined, details: (a: T, e: T) => string[]): void {
    if (actual === undefined) this.missing(object);
    else if (expected === undefined) this.extra(object);
    else this.differs(object, details(actual, expected));
  }
}

/** Every name of either map, sorted, with the value on each side (undefined where absent). */
function pairs<T>(actual: ReadonlyMap<string, T>, expected: ReadonlyMap<string, T>): [string, T?, T?][] {
  const names = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  return names.map((name) => [name, actual.get(name), expected.get(name)]);
}

/** "label now vs expected" for each attribute that differs; `show` renders a value, `changed` words a long text. */
class Details<T> {
  readonly found: string[] = [];
  constructor(
    private readonly actual: T,
    private readonly expected: T,
  ) {}

  value<V>(label: string, pick: (object: T) => V, show: (value: V) => string = String): this {
    const now = show(pick(this.actual));
    const then = show(pick(this.expected));
    if (now !== then) this.found.push(`${label}${label ? ' ' : ''}${now} vs ${then}`.trim());
    return this;
  }

  /** For bodies and definitions too long to quote: say only that they changed. */
  text(label: string, pick: (object: T) => string): this {
    if (pick(this.actual) !== pick(this.expected)) this.found.push(`${label} changed`);
    return this;
  }
}

function tableDetails(actual: TableSnapshot, expected: TableSnapshot): string[] {
  return new Details(actual, expected)
    .value('engine', (t) => t.engine)
    .value('collation', (t) => t.collation)
    .value('comment', (t) => t.comment, quoted).found;
}

function columnDetails(actual: ColumnSnapshot, expected: ColumnSnapshot): string[] {
  return new Details(actual, expected)
    .value('type', (c) => c.type)
    .value('', (c) => (c.nullable ? 'NULL' : 'NOT NULL'))
    .value(
      'default',
      (c) => c.defaultValue,
      (value) => value ?? 'none',
    )
    .value('character set', (c) => c.characterSet, orNone)
    .value('collation', (c) => c.collation, orNone)
    .value(
      'extra',
      (c) => c.extra,
      (value) => value || 'none',
    )
    .value('generated as', (c) => c.generationExpression, orNone)
    .value('comment', (c) => c.comment, quoted)
    .value('position', (c) => c.position).found;
}

function indexDetails(actual: IndexSnapshot, expected: IndexSnapshot): string[] {
  return new Details(actual, expected)
    .value('', (i) => (i.unique ? 'UNIQUE' : 'not unique'))
    .value('type', (i) => i.kind)
    .value('columns', (i) => indexColumns(i)).found;
}

function foreignKeyDetails(actual: ForeignKeySnapshot, expected: ForeignKeySnapshot): string[] {
  return new Details(actual, expected)
    .value('table', (k) => k.table)
    .value('columns', (k) => `(${k.columns.join(', ')})`)
    .value('references', (k) => `${k.referencedTable}(${k.referencedColumns.join(', ')})`)
    .value('ON DELETE', (k) => k.onDelete)
    .value('ON UPDATE', (k) => k.onUpdate).found;
}

function checkDetails(actual: CheckSnapshot, expected: CheckSnapshot): string[] {
  return new Details(actual, expected).value('clause', (c) => c.clause).found;
}

function viewDetails(actual: ViewSnapshot, expected: ViewSnapshot): string[] {
  return new Details(actual, expected)
    .text('definition', (v) => v.definition)
    .value('check option', (v) => v.checkOption)
    .value('security', (v) => v.securityType).found;
}

function triggerDetails(actual: TriggerSnapshot, expected: TriggerSnapshot): string[] {
  return new Details(actual, expected)
    .value('table', (t) => t.table)
    .value('timing', (t) => t.timing)
    .value('event', (t) => t.event)
    .text('body', (t) => t.statement).found;
}

function routineDetails(actual: RoutineSnapshot, expected: RoutineSnapshot): string[] {
  return new Details(actual, expected)
    .value('parameters', (r) => `(${r.parameters})`)
    .value('returns', (r) => r.returns || 'nothing')
    .text('body', (r) => r.body)
    .value('', (r) => (r.deterministic ? 'DETERMINISTIC' : 'NOT DETERMINISTIC'))
    .value('data access', (r) => r.dataAccess)
    .value('security', (r) => r.securityType).found;
}

function indexColumns(index: IndexSnapshot): string {
  const parts = index.parts.map(
    (part) =>
      `${part.column}${part.prefixLength === undefined ? '' : `(${part.prefixLength})`}${part.descending ? ' DESC' : ''}`,
  );
  return `(${parts.join(', ')})`;
}

function quoted(text: string): string {
  return `'${text}'`;
}

function orNone(value: string | undefined): string {
  return value ?? 'none';
}
