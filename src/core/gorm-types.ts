/**
 * GORM's tag settings (gorm schema/utils.go ParseTagSetting) and the MySQL column type GORM gives a field
 * (gorm.io/driver/mysql DataTypeOf, gorm migrator FullDataTypeOf), with the driver's defaults: no DefaultStringSize,
 * DefaultDatetimePrecision 3.
 */

/** GORM's data type of a field: its own kinds, or the verbatim text of a `type:` tag or a `GormDataType()`. */
export type GormDataType =
  'bool' | 'int' | 'uint' | 'float' | 'string' | 'time' | 'bytes' | { readonly custom: string };

/**
 * ParseTagSetting: `key:value` pairs split at `;` (a `\;` keeps the `;`), keys upper-cased and trimmed, a key
 * without a value maps to itself (`primaryKey` -> PRIMARYKEY: "PRIMARYKEY"). A later key wins.
 */
export function parseTagSettings(text: string, separator = ';'): ReadonlyMap<string, string> {
  const settings = new Map<string, string>();
  const names = text.split(separator);
  const parsed: string[] = [];
  for (let index = 0; index < names.length; index++) {
    let name = names[index];
    while (name.endsWith('\\') && index + 1 < names.length) name = name.slice(0, -1) + separator + names[++index];
    parsed.push(name);
  }
  for (const tag of parsed) {
    const values = tag.split(':');
    const key = values[0].trim().toUpperCase();
    if (values.length >= 2) settings.set(key, values.slice(1).join(':').replaceAll('\\"', '"'));
    else if (key !== '') settings.set(key, key);
  }
  return settings;
}

/** utils.CheckTruth: any value but an empty one or `false` (any case). */
export function tagIsTrue(...values: (string | undefined)[]): boolean {
  return values.some((value) => value !== undefined && value !== '' && value.toLowerCase() !== 'false');
}

/** What DataTypeOf reads from a field. */
export interface GormTypeInput {
  readonly dataType: GormDataType;
  /** `size:` or the Go kind's bit size (int 64, int32 32, float32 32 ...); 0 when neither. */
  readonly size: number;
  readonly precision: number;
  readonly scale: number;
  readonly primaryKey: boolean;
  readonly autoIncrement: boolean;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
  /** The `default:` value as GORM keeps it (quotes of a string default removed). */
  readonly defaultValue: string | undefined;
  /** Whether the tag has `index` or `unique` (not `uniqueIndex`): an unsized string then needs a length. */
  readonly indexedForSize: boolean;
  /** Whether the tag has a `precision:` key at all (`precision:0` turns datetime(3) into datetime). */
  readonly hasPrecisionTag: boolean;
}

const MEDIUM_LIMIT = 2 ** 24;
const DEFAULT_DATETIME_PRECISION = 3;

/** The column type GORM's MySQL driver creates for a field, without NOT NULL and DEFAULT. */
export function gormMysqlType(field: GormTypeInput): string {
  const type = field.dataType;
  if (typeof type === 'object') {
    return field.autoIncrement && !/ auto_increment/i.test(type.custom) ? `${type.custom} AUTO_INCREMENT` : type.custom;
  }
  switch (type) {
    case 'bool':
      return 'boolean';
    case 'int':
    case 'uint': {
      const base =
        field.size <= 8
          ? 'tinyint'
          : field.size <= 16
            ? 'smallint'
            : field.size <= 24
              ? 'mediumint'
              : field.size <= 32
                ? 'int'
                : 'bigint';
      return `${base}${type === 'uint' ? ' unsigned' : ''}${field.autoIncrement ? ' AUTO_INCREMENT' : ''}`;
    }
    case 'float':
      if (field.precision > 0) return `decimal(${field.precision}, ${field.scale})`;
      return field.size <= 32 ? 'float' : 'double';
    case 'string': {
      const size =
        field.size === 0 && (field.primaryKey || field.hasDefault || field.indexedForSize) ? 191 : field.size;
      if (size >= 65536 && size <= MEDIUM_LIMIT) return 'mediumtext';
      if (size > MEDIUM_LIMIT || size <= 0) return 'longtext';
      return `varchar(${size})`;
    }
    case 'time': {
      const precision = field.precision === 0 && !field.hasPrecisionTag ? DEFAULT_DATETIME_PRECISION : field.precision;
      const datetime = precision > 0 ? `datetime(${precision})` : 'datetime';
      return field.notNull || field.primaryKey ? datetime : `${datetime} NULL`;
    }
    case 'bytes':
      if (field.size > 0 && field.size < 65536) return `varbinary(${field.size})`;
      return field.size >= 65536 && field.size <= MEDIUM_LIMIT ? 'mediumblob' : 'longblob';
  }
}

/**
 * FullDataTypeOf: the type, ` NOT NULL`, and ` DEFAULT` with the value as GORM binds it (a string quoted, a number or
 * boolean bare, a function call or `null` verbatim, `(-)` none).
 */
export function gormMysqlColumnDefinition(field: GormTypeInput): string {
  let definition = gormMysqlType(field);
  if (field.notNull) definition += ' NOT NULL';
  const value = field.defaultValue;
  if (field.hasDefault && value !== undefined && value !== '' && value !== '(-)') {
    definition += ` DEFAULT ${defaultLiteral(field.dataType, value)}`;
  }
  return definition;
}

function defaultLiteral(type: GormDataType, value: string): string {
  if ((value.includes('(') && value.includes(')')) || value.toLowerCase() === 'null') return value;
  if (type === 'string' || type === 'time') return `'${value.replaceAll("'", "''")}'`;
  if (type === 'bool') return /^(1|t|true)$/i.test(value) ? 'true' : 'false';
  return value;
}

/** A column type as the server prints it, taken apart: `int(10) unsigned` -> int, unsigned. */
export interface ParsedColumnType {
  readonly base: string;
  /** The numbers in parentheses: a length, a precision and scale, or an integer's display width. */
  readonly arguments: readonly number[];
  readonly unsigned: boolean;
}

export function parseColumnType(type: string): ParsedColumnType {
  const match = /^\s*([a-z]+)\s*(?:\(([^)]*)\))?(.*)$/i.exec(type);
  const base = (match?.[1] ?? type).toLowerCase();
  const numbers = (match?.[2] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => /^\d+$/.test(part))
    .map(Number);
  return { base, arguments: numbers, unsigned: /\bunsigned\b/i.test(match?.[3] ?? '') };
}

/** Bits of the integer types; an integer column's values fit a Go integer of at least as many bits. */
export const INTEGER_BITS: Readonly<Record<string, number>> = {
  tinyint: 8,
  smallint: 16,
  mediumint: 24,
  int: 32,
  integer: 32,
  bigint: 64,
};

export const STRING_TYPES = new Set([
  'char',
  'varchar',
  'tinytext',
  'text',
  'mediumtext',
  'longtext',
  'enum',
  'set',
  'json',
]);
export const TIME_TYPES = new Set(['datetime', 'timestamp', 'date']);
export const FLOAT_TYPES = new Set(['float', 'double', 'decimal', 'numeric', 'real', 'double precision']);
export const BYTES_TYPES = new Set([
  'binary',
  'varbinary',
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
  ...STRING_TYPES,
]);

/**
 * A type as GORM writes it compared with the server's text: case, blanks after commas and integer display widths
 * (MariaDB prints `bigint(20) unsigned`) left out, `boolean` read as `tinyint(1)`, MariaDB's `json` as `longtext`.
 */
export function normaliseColumnType(type: string): string {
  const text = type
    .toLowerCase()
    .replace(/\s+auto_increment\b/, '')
    .replace(/\s+null$/, '')
    .trim();
  if (text === 'boolean' || text === 'bool') return 'tinyint(1)';
  if (text === 'json') return 'longtext';
  const parsed = parseColumnType(text);
  if (parsed.base in INTEGER_BITS) {
    if (parsed.base === 'tinyint' && parsed.arguments[0] === 1 && !parsed.unsigned) return 'tinyint(1)';
    return `${parsed.base === 'integer' ? 'int' : parsed.base}${parsed.unsigned ? ' unsigned' : ''}`;
  }
  return text.replace(/\s*,\s*/g, ',');
}
