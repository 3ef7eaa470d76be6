/**
 * Go's `flag` package rules, which golang-migrate's command line follows: `-name value`, `-name=value`, `--name`, a
 * boolean flag takes no separate value (`-f`, `-f=false`), parsing stops at the first argument that is not a flag
 * (so `force -1` reads `-1` as the version) or after `--`.
 */

/** A usage error: exit status 2, as Go's flag package gives. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * An argument golang-migrate parses itself after its flags, such as a non-numeric N or V: it reports that as an error
 * with exit status 1, not as a usage error.
 */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
}

export type FlagKind = 'string' | 'boolean' | 'integer';

export interface FlagSpec {
  readonly kind: FlagKind;
  /** For the usage text. */
  readonly description: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface ParsedFlags {
  /** Given flags only, by name: strings as written, booleans as booleans, integers as numbers. */
  readonly values: ReadonlyMap<string, string | boolean | number>;
  /** The arguments after the flags. */
  readonly rest: readonly string[];
}

/**
 * `interspersed`: a command's own flags may also follow its arguments (`goto 3 --dry-run`), which Go's parser does not
 * allow but golang-migrate has no such flags to clash with; `--` still ends the flags.
 */
export function parseFlags(
  args: readonly string[],
  specs: FlagSpecs,
  context: string,
  { interspersed = false } = {},
): ParsedFlags {
  const values = new Map<string, string | boolean | number>();
  const operands: string[] = [];
  let index = 0;
  while (index < args.length) {
    const arg = args[index];
    if (arg === '--') {
      index++;
      break;
    }
    if (arg.length < 2 || !arg.startsWith('-')) {
      if (!interspersed) break;
      operands.push(arg);
      index++;
      continue;
    }
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) {
      throw new UsageError(`bad flag syntax: ${arg}`);
    }
    const equals = body.indexOf('=');
    const name = equals < 0 ? body : body.slice(0, equals);
    const spec = specs[name];
    if (!spec) throw new UsageError(`flag provided but not defined: -${name} (${context})`);
    index++;
    if (spec.kind === 'boolean') {
      values.set(name, equals < 0 ? true : parseBooleanFlag(name, body.slice(equals + 1)));
      continue;
    }
    let value: string;
    if (equals >= 0) {
      value = body.slice(equals + 1);
    } else {
      if (index >= args.length) throw new UsageError(`flag needs an argument: -${name}`);
      value = args[index++]!;
    }
    values.set(name, spec.kind === 'integer' ? parseIntegerFlag(name, value) : value);
  }
  return { values, rest: [...operands, ...args.slice(index)] };
}

/** One line per flag, for usage texts. */
export function describeFlags(specs: FlagSpecs): string {
  return Object.entries(specs)
    .map(([name, spec]) => {
      const left = `-${name}${spec.kind === 'boolean' ? '' : spec.kind === 'integer' ? ' N' : ' VALUE'}`;
      return `  ${left.padEnd(18)} ${spec.description}`;
    })
    .join('\n');
}

export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const value = flags.values.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function booleanFlag(flags: ParsedFlags, name: string): boolean {
  return flags.values.get(name) === true;
}

export function integerFlag(flags: ParsedFlags, name: string): number | undefined {
  const value = flags.values.get(name);
  return typeof value === 'number' ? value : undefined;
}

/** Go's strconv.ParseBool. */
function parseBooleanFlag(name: string, text: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  throw new UsageError(`invalid boolean value "${text}" for -${name}`);
}

function parseIntegerFlag(name: string, text: string): number {
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`invalid value "${text}" for flag -${name}: not a whole number`);
  }
  return Number(text);
}

/** An unsigned argument such as `up N` (Go's ParseUint); `what` is golang-migrate's phrase, e.g. "limit argument N". */
export function parseCount(text: string, what: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new ArgumentError(`can't read ${what}: "${text}" is not a whole number >= 0`);
  }
  return Number(text);
}

/** A version argument: unsigned for goto (Go's ParseUint), signed 64-bit for force (ParseInt). */
export function parseVersion(text: string | undefined, signed: boolean): bigint {
  if (text === undefined || text === '') throw new ArgumentError('please specify version argument V');
  const pattern = signed ? /^[+-]?\d+$/ : /^\+?\d+$/;
  if (!pattern.test(text)) throw new ArgumentError(`can't read version argument V: "${text}"`);
  const version = BigInt(text);
  const [min, max] = signed ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
  if (version < min || version > max) {
    throw new ArgumentError(`can't read version argument V: ${text} is out of range`);
  }
  return version;
}
