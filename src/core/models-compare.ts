/**
 * GORM models against a schema: the one rule set that says where Go structs and the tables a migrations folder
 * produces disagree. The command line's `models`, the editor's diagnostics and the Models node all call
 * `compareModels`. Every finding has a stable code.
 */
import type { GormModel, ModelColumn } from './gorm-models';
import {
  BYTES_TYPES,
  FLOAT_TYPES,
  gormMysqlType,
  INTEGER_BITS,
  normaliseColumnType,
  parseColumnType,
  STRING_TYPES,
  TIME_TYPES,
} from './gorm-types';
import { NIL_VERSION, type Severity } from './model';
import { versionWords } from './safety-recovery';
import type { ColumnSnapshot, TableSnapshot } from './verify-snapshot';

export type ModelFindingCode =
  | 'model-table-missing'
  | 'model-field-missing-column'
  | 'model-column-required'
  | 'model-column-without-field'
  | 'model-type-mismatch'
  | 'model-null-mismatch'
  | 'model-unique-index-missing'
  | 'model-uncertain';

export const MODEL_FINDING_SEVERITY: Readonly<Record<ModelFindingCode, Severity>> = {
  'model-table-missing': 'error',
  'model-field-missing-column': 'error',
  'model-column-required': 'error',
  'model-column-without-field': 'info',
  'model-type-mismatch': 'warning',
  'model-null-mismatch': 'warning',
  'model-unique-index-missing': 'warning',
  'model-uncertain': 'info',
};

/** The migration that makes a missing table or column exist, when a pending one does. */
export interface PendingChange {
  readonly version: bigint;
  /** The up file's name without `.up.sql`: `000002_add_email_to_users`. */
  readonly name: string;
}

export interface ModelFinding {
  readonly code: ModelFindingCode;
  readonly severity: Severity;
  readonly message: string;
  readonly model: string;
  readonly table: string;
  /** The Go field (dotted through embedded structs), for findings about one. */
  readonly field?: string;
  readonly column?: string;
  /** Where the finding shows: the field's line (in an embedded struct's file, maybe), else the struct's. */
  readonly file: string;
  /** The model's own file: with `model`, which model the finding is about. */
  readonly modelFile: string;
  readonly line: number;
  /** The pending migration that adds the missing table or column. */
  readonly addedBy?: PendingChange;
}

/** Whether `finding` is about `model`: the same struct name in the same file (another package may reuse the name). */
export function findingIsAbout(finding: ModelFinding, model: Pick<GormModel, 'name' | 'file'>): boolean {
  return finding.model === model.name && finding.modelFile === model.file;
}

/** The schema models are compared with: its tables, at a version, either the database's or the one after pending. */
export interface SchemaTarget {
  readonly kind: 'current' | 'after-pending';
  readonly version: bigint;
  readonly tables: ReadonlyMap<string, TableSnapshot>;
}

/** The tables after one pending migration, in version order: where a missing table or column would come from. */
export interface PendingSchema extends PendingChange {
  readonly tables: ReadonlyMap<string, TableSnapshot>;
}

/** Whether the findings hold a disagreement (an error or a warning): the command line's exit status 1. */
export function findingsDisagree(findings: readonly ModelFinding[]): boolean {
  return findings.some((finding) => finding.severity !== 'info');
}

/**
 * Every disagreement between `models` and `target`. `pending` (the tables after each pending migration, for the
 * current version) names the migration that will add what is missing.
 */
export function compareModels(
  models: readonly GormModel[],
  target: SchemaTarget,
  pending: readonly PendingSchema[] = [],
): ModelFinding[] {
  return models.flatMap((model) => compareModel(model, target, pending));
}

/** One model's findings against `target`; see `compareModels`. */
export function compareModel(
  model: GormModel,
  target: SchemaTarget,
  pending: readonly PendingSchema[] = [],
): ModelFinding[] {
  const findings: ModelFinding[] = [];
  const where = targetWords(target);
  const finding = (code: ModelFindingCode, message: string, extra: Partial<ModelFinding> = {}): void => {
    findings.push({
      code,
      severity: MODEL_FINDING_SEVERITY[code],
      message,
      model: model.name,
      table: model.table,
      file: model.file,
      modelFile: model.file,
      line: model.line,
      ...extra,
    });
  };
  if (model.tableUncertain !== undefined) finding('model-uncertain', model.tableUncertain);
  for (const note of model.notes)
    finding('model-uncertain', `${model.name}.${note.message}`, {
      field: note.field,
      file: note.file,
      line: note.line,
    });
  const table = tableNamed(target.tables, model.table);
  if (!table) {
    const creator = pending.find((schema) => tableNamed(schema.tables, model.table));
    const addedBy = creator && { version: creator.version, name: creator.name };
    finding(
      'model-table-missing',
      `${model.name}: table ${model.table} does not exist ${where}${addedBy ? `; ${addedBy.name} creates it, pending` : ''}`,
      addedBy && { addedBy },
    );
    return findings;
  }
  const columns = new Map([...table.columns].map(([name, column]) => [name.toLowerCase(), column]));
  const seen = new Set<string>();
  for (const column of model.columns) {
    const at = { field: column.field, column: column.column, file: column.file, line: column.line };
    const name = `${model.name}.${column.field}`;
    const actual = columns.get(column.column.toLowerCase());
    if (!actual) {
      const adder = pending.find((schema) =>
        [...(tableNamed(schema.tables, model.table)?.columns.keys() ?? [])].some(
          (candidate) => candidate.toLowerCase() === column.column.toLowerCase(),
        ),
      );
      const addedBy = adder && { version: adder.version, name: adder.name };
      finding(
        'model-field-missing-column',
        `${name}: ${model.table}.${column.column} does not exist ${where}; ${
          addedBy ? `${addedBy.name} adds it, pending` : 'GORM names it in every insert and select (Error 1054)'
        }`,
        { ...at, ...(addedBy && { addedBy }) },
      );
      continue;
    }
    seen.add(actual.name.toLowerCase());
    if (column.typeUnknown !== undefined) {
      finding(
        'model-uncertain',
        `${name}: ${column.typeUnknown}; only that ${model.table}.${actual.name} exists is checked`,
        at,
      );
      continue;
    }
    if (column.ignoredByMigration) continue;
    const mismatch = typeMismatch(column, actual);
    if (mismatch !== undefined) finding('model-type-mismatch', `${name}: ${mismatch}`, at);
    const nullMismatch = nullabilityMismatch(column, actual, model.table);
    if (nullMismatch)
      finding('model-null-mismatch', `${name}: ${nullMismatch.message}`, { ...at, severity: nullMismatch.severity });
  }
  for (const actual of table.columns.values()) {
    if (seen.has(actual.name.toLowerCase())) continue;
    const required =
      actual.nullable === false && actual.defaultValue === undefined && !/auto_increment|generated/i.test(actual.extra);
    if (required) {
      finding(
        'model-column-required',
        `${model.name}: ${model.table}.${actual.name} is NOT NULL without a default and ${model.name} has no field for it: GORM's inserts leave it out and fail (Error 1364) ${where}`,
        { column: actual.name },
      );
    } else {
      finding(
        'model-column-without-field',
        `${model.name}: ${model.table}.${actual.name} (${actual.type}) has no field in ${model.name}; GORM ignores it`,
        { column: actual.name },
      );
    }
  }
  for (const index of model.indexes) {
    if (!index.unique || index.columns.some((name) => !columns.has(name.toLowerCase()))) continue;
    const wanted = index.columns
      .map((name) => name.toLowerCase())
      .sort()
      .join(',');
    const present = [...table.indexes.values()].some(
      (candidate) =>
        candidate.unique &&
        candidate.parts
          .map((part) => part.column.toLowerCase())
          .sort()
          .join(',') === wanted,
    );
    if (present) continue;
    const first = model.columns.find((column) => column.column === index.columns[0]);
    finding(
      'model-unique-index-missing',
      `${model.name}: the unique index ${index.name} on ${model.table} (${index.columns.join(', ')}) does not exist ${where}: duplicates are not refused`,
      { ...(first && { field: first.field, column: first.column, file: first.file, line: first.line }) },
    );
  }
  return findings;
}

/** "at version 1", or "after the pending migrations (version 2)". */
export function targetWords(target: Pick<SchemaTarget, 'kind' | 'version'>): string {
  if (target.kind === 'after-pending') return `after the pending migrations (${versionWords(target.version)})`;
  return target.version === NIL_VERSION ? 'with no migration applied' : `at ${versionWords(target.version)}`;
}

/** MySQL table names compare without case on the usual servers (lower_case_table_names, and always on macOS/Windows). */
function tableNamed(tables: ReadonlyMap<string, TableSnapshot>, name: string): TableSnapshot | undefined {
  return tables.get(name) ?? [...tables.values()].find((table) => table.name.toLowerCase() === name.toLowerCase());
}

/**
 * Where the column's type disagrees with the field in a way that loses data or fails: a stated `type:` or `size:` the
 * column does not have, a column of another kind (text for a number), an integer column wider than the field. A plain
 * `string` on a `varchar(255)` is fine: GORM reads and writes it, only AutoMigrate would make it longtext.
 */
function typeMismatch(column: ModelColumn, actual: ColumnSnapshot): string | undefined {
  const actualType = parseColumnType(actual.type);
  const shown = `${column.goType}${column.explicitSize ? ` with size:${column.size}` : ''}${column.typeTag !== undefined ? ` with type:${column.typeTag}` : ''}`;
  const differs = (expected: string) => `${shown} wants ${expected}, ${actual.name} is ${actual.type}`;
  if (column.typeTag !== undefined) {
    const expected = gormMysqlType({ ...column, autoIncrement: false });
    if (normaliseColumnType(expected) !== normaliseColumnType(actual.type)) return differs(expected);
    return undefined;
  }
  const type = column.dataType;
  if (typeof type === 'object') {
    return normaliseColumnType(type.custom) === normaliseColumnType(actual.type) ? undefined : differs(type.custom);
  }
  const base = actualType.base;
  const gormType = gormMysqlType({ ...column, autoIncrement: false }).replace(/ NULL$/, '');
  switch (type) {
    case 'string':
      if (!STRING_TYPES.has(base)) return differs(gormType);
      if (column.explicitSize && column.size > 0 && column.size < 65536) {
        const length = base === 'varchar' || base === 'char' ? actualType.arguments[0] : undefined;
        if (length !== column.size) return differs(gormType);
      }
      return undefined;
    case 'int':
    case 'uint': {
      const bits = INTEGER_BITS[base];
      if (bits === undefined) return base === 'bit' || base === 'year' ? undefined : differs(gormType);
      if (column.size < bits) return `${differs(gormType)}: values above the field's range fail to read`;
      return undefined;
    }
    case 'bool':
      return INTEGER_BITS[base] !== undefined || base === 'bit' || base === 'boolean' ? undefined : differs(gormType);
    case 'float':
      if (!FLOAT_TYPES.has(base) && INTEGER_BITS[base] === undefined) return differs(gormType);
      if (
        column.precision > 0 &&
        (base !== 'decimal' ||
          actualType.arguments[0] !== column.precision ||
          (actualType.arguments[1] ?? 0) !== column.scale)
      ) {
        return differs(gormType);
      }
      return undefined;
    case 'time':
      return TIME_TYPES.has(base) ? undefined : differs(gormType);
    case 'bytes':
      return BYTES_TYPES.has(base) ? undefined : differs(gormType);
  }
}

/**
 * A field that can hold nil on a NOT NULL column (a nil inserts NULL and fails, unless GORM leaves it out for its
 * `default:`), and, for information, a plain field on a NULL column: GORM's Find reads NULL as the zero value, and a
 * single-value scan fails on it. AutoMigrate itself makes plain fields NULL columns, so the latter is no error, and
 * none at all for the times GORM sets on every save.
 */
function nullabilityMismatch(
  column: ModelColumn,
  actual: ColumnSnapshot,
  table: string,
): { message: string; severity: Severity } | undefined {
  if (column.primaryKey || /auto_increment/i.test(actual.extra)) return undefined;
  if (column.nullableField && !actual.nullable && !column.hasDefault) {
    return {
      severity: 'warning',
      message: `${column.goType} can be nil, but ${table}.${actual.name} is NOT NULL: saving a nil fails (Error 1048)`,
    };
  }
  if (!column.nullableField && actual.nullable && !column.notNull && !column.autoTime) {
    return {
      severity: 'info',
      message: `${table}.${actual.name} allows NULL, ${column.goType} does not: a NULL reads as the zero value (a pointer or sql.Null* keeps it apart)`,
    };
  }
  if (!column.nullableField && actual.nullable && column.notNull) {
    return { severity: 'warning', message: `the tag says not null, but ${table}.${actual.name} allows NULL` };
  }
  return undefined;
}
