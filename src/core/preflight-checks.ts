/**
 * Will a pending migration fail on the rows this database holds? Each change a statement makes (preflight-
 * statements.ts) and the live table's columns give read-only counts to make: duplicates under a new UNIQUE index,
 * NULLs under NOT NULL, values too long, out of range or not numbers for a narrower type, orphans for a new foreign
 * key, and rows lost with a dropped column or table. This module decides which counts to make and words what they
 * found; the SQL of each count lives in the adapters. Only counts are ever read, never a value.
 */
import { type PreflightCode, type RawFinding, rowWords, type StatementPlace } from './preflight-findings';
import type { ColumnType, DataChange, IndexColumn, PreflightStatement } from './preflight-statements';

/** A column as information_schema.COLUMNS describes it on the target. */
export interface TargetColumn {
  readonly name: string;
  /** DATA_TYPE, lower case: `varchar`, `int`, ... */
  readonly dataType: string;
  /** COLUMN_TYPE, lower case: `int(10) unsigned`, ... */
  readonly columnType: string;
  /** CHARACTER_MAXIMUM_LENGTH and CHARACTER_OCTET_LENGTH of a string column. */
  readonly maxCharacters?: number;
  readonly maxBytes?: number;
  readonly nullable: boolean;
}

/** A table of the target with its statistics (estimates) and columns by lower-case name. */
export interface TargetTable {
  readonly name: string;
  readonly engine?: string;
  readonly rows: number;
  readonly bytes: number;
  readonly columns: ReadonlyMap<string, TargetColumn>;
}

export interface TargetForeignKey {
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly parent: string;
  readonly parentColumns: readonly string[];
}

/** What preflight reads of the target database before it counts anything. */
export interface TargetFacts {
  readonly tables: ReadonlyMap<string, TargetTable>;
  readonly foreignKeys: readonly TargetForeignKey[];
  /** Whether the runner's SQL mode is strict: bad values then fail the statement instead of being changed. */
  readonly strict: boolean;
}

/** One read-only count against the target; tables are named without their database. */
export type DataCheck =
  | { readonly kind: 'duplicates'; readonly table: string; readonly columns: readonly IndexColumn[] }
  | { readonly kind: 'nulls'; readonly table: string; readonly columns: readonly string[] }
  | {
      readonly kind: 'too-long';
      readonly table: string;
      readonly column: string;
      readonly limit: number;
      readonly measure: 'characters' | 'bytes';
    }
  /** Values below `min` or above `max`; `text`: the column holds text, and only whole numbers in it are compared. */
  | {
      readonly kind: 'out-of-range';
      readonly table: string;
      readonly column: string;
      readonly min: string;
      readonly max: string;
      readonly text: boolean;
    }
  | { readonly kind: 'not-integer'; readonly table: string; readonly column: string }
  | {
      readonly kind: 'orphans';
      readonly table: string;
      readonly columns: readonly string[];
      readonly parent: string;
      readonly parentColumns: readonly string[];
    }
  | { readonly kind: 'non-null'; readonly table: string; readonly column: string }
  | { readonly kind: 'rows'; readonly table: string };

/** What a count found: `rows` matching, and for duplicates the number of values they share. */
export interface CheckCount {
  readonly rows: number;
  readonly groups?: number;
}

export interface PlannedCheck {
  readonly check: DataCheck;
  readonly place: StatementPlace;
  /** The code a finding of this count is reported under. */
  readonly code: PreflightCode;
  /** What the statement does, for the message: "UNIQUE (email) on users", "users.age becomes TINYINT". */
  readonly subject: string;
  /** The new type as written, for the too-long, range and conversion messages. */
  readonly typeText?: string;
}

export interface CheckLimits {
  /** Tables whose estimated row count is above this are not counted. */
  readonly maxTableRows: number;
  readonly statementTimeoutSeconds: number;
}

export const DEFAULT_CHECK_LIMITS: CheckLimits = { maxTableRows: 10_000_000, statementTimeoutSeconds: 5 };

/** A statement of a planned step, where findings about it point. */
export interface PlacedStatement {
  readonly place: StatementPlace;
  readonly statement: PreflightStatement;
}

/**
 * The counts to make for the statements of a run, in run order, and the findings of counts not made. A count of rows
 * or columns that an earlier statement of the run writes, renames or redefines is not made: today's values are not
 * the ones the statement will meet. Tables and columns this database does not hold yet are created by the run
 * itself, empty, so there is nothing to count.
 */
export function planDataChecks(
  statements: readonly PlacedStatement[],
  facts: TargetFacts,
  limits: CheckLimits,
): { checks: PlannedCheck[]; findings: RawFinding[] } {
  const checks: PlannedCheck[] = [];
  const findings: RawFinding[] = [];
  /** The first statement that writes a table's rows (`table`) or redefines a column (`table.column`, lower case). */
  const changedBy = new Map<string, StatementPlace>();
  for (const { place, statement } of statements) {
    for (const change of statement.changes) {
      const table = change.kind === 'rows-written' ? undefined : facts.tables.get(change.table);
      if (change.kind === 'rows-written' || table === undefined) continue;
      for (const check of checksOfChange(change, table, facts).map((unplaced) => ({ ...unplaced, place }))) {
        const earlier = earlierChangeOf(check.check, changedBy);
        if (earlier !== undefined) {
          findings.push(skip(check, `${stepWords(earlier.place)} changes ${earlier.what} before this runs`));
        } else if (table.rows <= limits.maxTableRows) checks.push(check);
        else if (check.check.kind === 'rows') {
          findings.push({
            ...check.place,
            code: check.code,
            message: `${check.subject}: it holds ${rowWords(table.rows)} by its statistics, lost with it.`,
          });
        } else {
          findings.push(
            skip(
              check,
              `${change.table} holds ${rowWords(table.rows)} by its statistics, above preflight.maxTableRows ` +
                `(${limits.maxTableRows.toLocaleString('en-US')})`,
            ),
          );
        }
      }
    }
    for (const change of statement.changes) {
      const key =
        change.kind === 'rows-written'
          ? change.table
          : change.kind === 'column' || change.kind === 'drop-column'
            ? columnKey(change.table, change.column)
            : undefined;
      if (key !== undefined && !changedBy.has(key)) changedBy.set(key, place);
    }
  }
  return { checks, findings };
}

function columnKey(table: string, column: string): string {
  return `${table}.${column.toLowerCase()}`;
}

/** The earlier statement that changes what a count reads, if any; a loss of data is reported whatever came before. */
function earlierChangeOf(
  check: DataCheck,
  changedBy: ReadonlyMap<string, StatementPlace>,
): { place: StatementPlace; what: string } | undefined {
  if (check.kind === 'rows' || check.kind === 'non-null') return undefined;
  const reads: [string, readonly string[]][] =
    check.kind === 'orphans'
      ? [
          [check.table, check.columns],
          [check.parent, check.parentColumns],
        ]
      : check.kind === 'duplicates'
        ? [[check.table, check.columns.map((column) => column.name)]]
        : check.kind === 'nulls'
          ? [[check.table, check.columns]]
          : [[check.table, [check.column]]];
  for (const [table, columns] of reads) {
    const rows = changedBy.get(table);
    if (rows) return { place: rows, what: `the rows of ${table}` };
    for (const column of columns) {
      const place = changedBy.get(columnKey(table, column));
      if (place) return { place, what: `${table}.${column}` };
    }
  }
  return undefined;
}

function stepWords(place: StatementPlace): string {
  return `${place.fileName} line ${place.line}`;
}

/** A finding saying a count was not made, and why. */
export function skip(check: PlannedCheck, why: string): RawFinding {
  return {
    ...check.place,
    code: 'preflight-check-skipped',
    message: `Not checked (${checkWords(check)}): ${why}.`,
  };
}

function checkWords(check: PlannedCheck): string {
  switch (check.check.kind) {
    case 'duplicates':
      return `duplicates under ${check.subject}`;
    case 'nulls':
      return `NULLs under ${check.subject}`;
    case 'too-long':
      return `values too long for ${check.subject}`;
    case 'out-of-range':
      return `values out of range for ${check.subject}`;
    case 'not-integer':
      return `values that are not whole numbers for ${check.subject}`;
    case 'orphans':
      return `orphan rows for ${check.subject}`;
    case 'non-null':
    case 'rows':
      return `data lost by ${check.subject}`;
  }
}

type UnplacedCheck = Omit<PlannedCheck, 'place'>;

function checksOfChange(
  change: Exclude<DataChange, { kind: 'rows-written' }>,
  table: TargetTable,
  facts: TargetFacts,
): UnplacedCheck[] {
  const column = (name: string) => table.columns.get(name.toLowerCase());
  switch (change.kind) {
    case 'unique': {
      if (!change.columns.every((part) => column(part.name))) return [];
      const names = change.columns.map((part) => part.name);
      const subject = `${change.primary ? 'PRIMARY KEY' : 'UNIQUE'} (${names.join(', ')}) on ${change.table}`;
      const nullable = names.filter((name) => column(name)!.nullable);
      return [
        {
          check: { kind: 'duplicates', table: change.table, columns: change.columns },
          code: 'preflight-duplicates-under-unique',
          subject,
        },
        ...(change.primary && nullable.length > 0
          ? [
              {
                check: { kind: 'nulls', table: change.table, columns: nullable },
                code: 'preflight-nulls-under-not-null',
                subject,
              } as const,
            ]
          : []),
      ];
    }
    case 'column': {
      const current = column(change.column);
      if (!current) return [];
      const typeText = typeWords(change.type);
      const subject = `${change.table}.${change.column} as ${typeText}${change.notNull ? ' NOT NULL' : ''}`;
      const checks: UnplacedCheck[] = [];
      if (change.notNull && current.nullable) {
        checks.push({
          check: { kind: 'nulls', table: change.table, columns: [change.column] },
          code: 'preflight-nulls-under-not-null',
          subject,
        });
      }
      for (const check of narrowingChecks(change.table, change.column, current, change.type)) {
        checks.push({
          check,
          code:
            check.kind === 'too-long'
              ? 'preflight-values-too-long'
              : check.kind === 'not-integer'
                ? 'preflight-values-not-convertible'
                : 'preflight-values-out-of-range',
          subject,
          typeText,
        });
      }
      return checks;
    }
    case 'foreign-key': {
      if (!change.columns.every((name) => column(name)) || !facts.tables.has(change.parent)) return [];
      const subject =
        `the foreign key ${change.table} (${change.columns.join(', ')}) → ` +
        `${change.parent} (${change.parentColumns.join(', ')})`;
      return [{ check: { ...change, kind: 'orphans' }, code: 'preflight-orphan-rows', subject }];
    }
    case 'drop-column':
      return column(change.column)
        ? [
            {
              check: { kind: 'non-null', table: change.table, column: change.column },
              code: 'preflight-drops-data',
              subject: `DROP COLUMN ${change.table}.${change.column}`,
            },
          ]
        : [];
    case 'drop-table':
      return [
        {
          check: { kind: 'rows', table: change.table },
          code: 'preflight-drops-data',
          subject: `DROP TABLE ${change.table}`,
        },
      ];
  }
}

const CHARACTER_TYPES = new Set(['char', 'varchar']);
const BYTE_TYPES: Readonly<Record<string, number | undefined>> = {
  binary: undefined,
  varbinary: undefined,
  tinytext: 255,
  tinyblob: 255,
  text: 65_535,
  blob: 65_535,
  mediumtext: 16_777_215,
  mediumblob: 16_777_215,
};
const STRING_TYPES = new Set([...CHARACTER_TYPES, ...Object.keys(BYTE_TYPES), 'longtext', 'longblob', 'enum', 'set']);
const INTEGER_BITS: Readonly<Record<string, number>> = { tinyint: 8, smallint: 16, mediumint: 24, int: 32, bigint: 64 };
const NUMERIC_TYPES = new Set([...Object.keys(INTEGER_BITS), 'decimal', 'float', 'double', 'real', 'bit']);

/** The counts that show values a narrower or different type cannot hold. */
function narrowingChecks(table: string, column: string, current: TargetColumn, type: ColumnType): DataCheck[] {
  const from = current.dataType;
  if (CHARACTER_TYPES.has(type.name) && type.length !== undefined) {
    const wider = !STRING_TYPES.has(from) || (current.maxCharacters ?? Infinity) > type.length;
    return wider ? [{ kind: 'too-long', table, column, limit: type.length, measure: 'characters' }] : [];
  }
  if (type.name in BYTE_TYPES) {
    const limit = BYTE_TYPES[type.name] ?? type.length;
    const wider = !STRING_TYPES.has(from) || (current.maxBytes ?? Infinity) > (limit ?? Infinity);
    return limit !== undefined && wider ? [{ kind: 'too-long', table, column, limit, measure: 'bytes' }] : [];
  }
  const bits = INTEGER_BITS[type.name];
  if (bits !== undefined) {
    const [min, max] = integerRange(bits, type.unsigned);
    if (STRING_TYPES.has(from)) {
      return [
        { kind: 'not-integer', table, column },
        { kind: 'out-of-range', table, column, min, max, text: true },
      ];
    }
    if (!NUMERIC_TYPES.has(from)) return [];
    const currentBits = INTEGER_BITS[from];
    const fits =
      currentBits !== undefined &&
      (current.columnType.includes('unsigned')
        ? type.unsigned
          ? currentBits <= bits
          : currentBits < bits
        : !type.unsigned && currentBits <= bits);
    return fits ? [] : [{ kind: 'out-of-range', table, column, min, max, text: false }];
  }
  if (type.name === 'decimal' && NUMERIC_TYPES.has(from)) {
    const precision = type.length ?? 10;
    const scale = type.scale ?? 0;
    const whole = '9'.repeat(Math.max(precision - scale, 0)) || '0';
    const max = scale > 0 ? `${whole}.${'9'.repeat(scale)}` : whole;
    return [{ kind: 'out-of-range', table, column, min: type.unsigned ? '0' : `-${max}`, max, text: false }];
  }
  return [];
}

function integerRange(bits: number, unsigned: boolean): [string, string] {
  const span = 2n ** BigInt(bits);
  return unsigned ? ['0', String(span - 1n)] : [String(-(span / 2n)), String(span / 2n - 1n)];
}

function typeWords(type: ColumnType): string {
  const size = type.length === undefined ? '' : `(${type.length}${type.scale === undefined ? '' : `,${type.scale}`})`;
  return `${type.name.toUpperCase()}${size}${type.unsigned ? ' UNSIGNED' : ''}`;
}

/** The finding of a count that found something; undefined when it found nothing. */
export function findingOfCount(planned: PlannedCheck, count: CheckCount, strict: boolean): RawFinding | undefined {
  if (count.rows === 0) return undefined;
  const one = count.rows === 1;
  const rows = `${count.rows.toLocaleString('en-US')} row${one ? '' : 's'}`;
  const hold = `${rows} ${one ? 'holds' : 'hold'}`;
  const { check } = planned;
  const fails = (code: string, otherwise: string) =>
    strict ? `The statement fails (error ${code}).` : `Without strict mode the statement does not fail: ${otherwise}.`;
  let message: string;
  switch (check.kind) {
    case 'duplicates': {
      const groups = count.groups ?? 0;
      message =
        `${groups.toLocaleString('en-US')} value${groups === 1 ? ' occurs' : 's occur'} more than once under ` +
        `${planned.subject} (${rows} share ${groups === 1 ? 'it' : 'them'}). The statement fails (error 1062 ` +
        'Duplicate entry): remove or merge the duplicates first.';
      break;
    }
    case 'nulls':
      message = `${hold} NULL under ${planned.subject}. ${fails('1265', 'NULL becomes 0 or an empty string')}`;
      break;
    case 'too-long':
      message =
        `${hold} values longer than ${check.limit} ${check.measure} for ${planned.subject}. ` +
        fails('1265', 'the values are cut');
      break;
    case 'out-of-range':
      message =
        `${hold} values outside ${check.min} to ${check.max} for ${planned.subject}. ` +
        fails('1264', 'the values are clipped');
      break;
    case 'not-integer':
      message =
        `${hold} text that is not a whole number for ${planned.subject}. ` +
        fails('1292 or 1366', 'such text becomes 0 or its leading digits');
      break;
    case 'orphans':
      message =
        `${rows} of ${check.table} ${one ? 'references' : 'reference'} no row of ${check.parent} for ` +
        `${planned.subject}. The statement fails (error 1452): delete them or add their parents first.`;
      break;
    case 'non-null':
      message = `${planned.subject}: ${hold} a value in it, lost with the column.`;
      break;
    case 'rows':
      message = `${planned.subject}: it holds ${rows}, lost with it.`;
      break;
  }
  return { ...planned.place, code: planned.code, message };
}
