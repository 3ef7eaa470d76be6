import {
  DuplicateMigrationVersionError,
  EmptyTimeFormatError,
  IncompatibleSeqAndFormatError,
  InvalidSequenceWidthError,
  MalformedMigrationFileNameError,
  MissingExtensionError,
  SequenceTooLargeError,
  UnknownTimeZoneError,
} from './errors';
import { MAX_VERSION, compareFileNames } from './names';

/** golang-migrate's default `-format`: a Go layout meaning YYYYMMDDhhmmss. */
const DEFAULT_TIME_FORMAT = '20060102150405';

/** golang-migrate's default `-digits`. */
const DEFAULT_SEQUENCE_DIGITS = 6;

/** The flags of `create`, with golang-migrate's meaning and defaults. */
export interface CreateOptions {
  /** `-seq`: number sequentially instead of by time. */
  readonly seq?: boolean;
  /** `-digits`, default 6. */
  readonly digits?: number;
  /** `-format`: a Go time layout, `unix` or `unixNano`; default 20060102150405. */
  readonly format?: string;
  /** `-tz`: an IANA zone name, `UTC` (default, also for "") or `Local`. */
  readonly timeZone?: string;
}

/** Everything `create` decides from; the time is given, never read here. */
export interface CreateRequest {
  /** Names of the files already in the migrations folder. */
  readonly existingFileNames: readonly string[];
  readonly name: string;
  /** `-ext`: `sql` and `.sql` mean the same. */
  readonly ext: string;
  readonly options?: CreateOptions;
  readonly nowEpochNanoseconds: bigint;
}

/** The version `create` chose and the two file names to create, up first. */
export interface NewMigrationNames {
  readonly version: string;
  readonly up: string;
  readonly down: string;
}

/** Chooses the names golang-migrate's `create` would make, with its checks in its order; throws its errors. */
export function nextMigrationNames(request: CreateRequest): NewMigrationNames {
  const { existingFileNames, name, options = {} } = request;
  if (request.ext === '') throw new MissingExtensionError();
  const timeZone = options.timeZone ?? 'UTC';
  checkTimeZone(timeZone);
  const format = options.format ?? DEFAULT_TIME_FORMAT;
  if (options.seq && format !== DEFAULT_TIME_FORMAT) throw new IncompatibleSeqAndFormatError();
  const ext = `.${request.ext.startsWith('.') ? request.ext.slice(1) : request.ext}`;
  const version = options.seq
    ? nextSequenceVersion(
        existingFileNames.filter((file) => file.endsWith(ext)),
        options.digits ?? DEFAULT_SEQUENCE_DIGITS,
      )
    : timeVersion(request.nowEpochNanoseconds, format, timeZone);
  const prefix = `${version}_`;
  if (
    existingFileNames.some(
      (file) => file.length >= prefix.length + ext.length && file.startsWith(prefix) && file.endsWith(ext),
    )
  ) {
    throw new DuplicateMigrationVersionError(version);
  }
  return { version, up: `${version}_${name}.up${ext}`, down: `${version}_${name}.down${ext}` };
}

/** golang-migrate's `nextSeqVersion`: one more than the number of the name that sorts last. */
function nextSequenceVersion(names: readonly string[], digits: number): string {
  if (!Number.isInteger(digits) || digits <= 0) throw new InvalidSequenceWidthError(digits);
  let next = 1n;
  const last = names.slice().sort(compareFileNames).pop();
  if (last !== undefined) {
    const underscore = last.indexOf('_');
    if (underscore < 1) throw new MalformedMigrationFileNameError(last, 'no number before "_"');
    const number = last.slice(0, underscore);
    if (!/^[0-9]+$/.test(number))
      throw new MalformedMigrationFileNameError(last, `parsing "${number}": invalid syntax`);
    if (BigInt(number) > MAX_VERSION) {
      throw new MalformedMigrationFileNameError(last, `parsing "${number}": value out of range`);
    }
    // uint64 arithmetic, as in Go.
    next = BigInt.asUintN(64, BigInt(number) + 1n);
  }
  const version = String(next).padStart(digits, '0');
  if (version.length > digits) throw new SequenceTooLargeError(version, digits);
  return version;
}

function timeVersion(epochNanoseconds: bigint, format: string, timeZone: string): string {
  switch (format) {
    case '':
      throw new EmptyTimeFormatError();
    case 'unix':
      return String(floorDivide(epochNanoseconds, 1_000_000_000n));
    case 'unixNano':
      return String(epochNanoseconds);
    default:
      return formatGoTime(epochNanoseconds, format, timeZone);
  }
}

function floorDivide(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? quotient - 1n : quotient;
}

/** The Intl zone for a `-tz` value: Go reads "" and "UTC" as UTC and "Local" as the machine's zone. */
function intlTimeZone(timeZone: string): string | undefined {
  if (timeZone === '' || timeZone === 'UTC') return 'UTC';
  return timeZone === 'Local' ? undefined : timeZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: intlTimeZone(timeZone),
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function checkTimeZone(timeZone: string): void {
  try {
    wallClockFormatter(timeZone);
  } catch {
    throw new UnknownTimeZoneError(timeZone);
  }
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly nanosecond: number;
  /** Seconds east of UTC. */
  readonly offset: number;
  readonly weekday: number;
  readonly yearDay: number;
  readonly zoneName: string;
}

function wallClock(epochNanoseconds: bigint, timeZone: string): WallClock {
  const epochSeconds = floorDivide(epochNanoseconds, 1_000_000_000n);
  const nanosecond = Number(epochNanoseconds - epochSeconds * 1_000_000_000n);
  const epochMs = Number(epochSeconds) * 1000;
  const parts = Object.fromEntries(
    wallClockFormatter(timeZone)
      .formatToParts(new Date(epochMs))
      .map((part) => [part.type, part.value]),
  );
  const yearOfEra = Number(parts.year);
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - yearOfEra : yearOfEra;
  const [month, day, hour, minute, second] = [parts.month, parts.day, parts.hour, parts.minute, parts.second].map(
    Number,
  ) as [number, number, number, number, number];
  const utcDay = (monthIndex: number, dayOfMonth: number) => new Date(0).setUTCFullYear(year, monthIndex, dayOfMonth);
  const dayStart = utcDay(month - 1, day);
  const offset = (dayStart + ((hour * 60 + minute) * 60 + second) * 1000 - epochMs) / 1000;
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    nanosecond,
    offset,
    weekday: new Date(dayStart).getUTCDay(),
    yearDay: Math.round((dayStart - utcDay(0, 1)) / 86_400_000) + 1,
    zoneName: zoneAbbreviation(epochMs, timeZone, offset),
  };
}

/**
 * Go prints the tz database abbreviation; Intl only knows some (UTC, and US zones in English), so other zones get
 * Go's own fallback for a zone without a name, e.g. +0100.
 */
function zoneAbbreviation(epochMs: number, timeZone: string, offset: number): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: intlTimeZone(timeZone), timeZoneName: 'short' })
    .formatToParts(new Date(epochMs))
    .find((part) => part.type === 'timeZoneName')?.value;
  if (name && /^[A-Z]{3,5}$/.test(name)) return name;
  return numericZone(offset, '', false, false, false);
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function pad(value: number, width: number, filler = '0'): string {
  return String(value).padStart(width, filler);
}

function numericZone(offset: number, utcAsZ: string, colon: boolean, short: boolean, seconds: boolean): string {
  if (offset === 0 && utcAsZ) return utcAsZ;
  const sign = offset < 0 ? '-' : '+';
  const absolute = Math.abs(offset);
  const minutes = Math.floor(absolute / 60);
  const separator = colon ? ':' : '';
  let text = `${sign}${pad(Math.floor(minutes / 60), 2)}`;
  if (short) return text;
  text += `${separator}${pad(minutes % 60, 2)}`;
  if (seconds) text += `${separator}${pad(absolute % 60, 2)}`;
  return text;
}

type Formatter = (clock: WallClock) => string;

/** Go's layout elements, longest first where one is a prefix of another, as `time.nextStdChunk` reads them. */
const ZONE_ELEMENTS: readonly [string, Formatter][] = [
  ['-070000', (c) => numericZone(c.offset, '', false, false, true)],
  ['-07:00:00', (c) => numericZone(c.offset, '', true, false, true)],
  ['-0700', (c) => numericZone(c.offset, '', false, false, false)],
  ['-07:00', (c) => numericZone(c.offset, '', true, false, false)],
  ['-07', (c) => numericZone(c.offset, '', false, true, false)],
  ['Z070000', (c) => numericZone(c.offset, 'Z', false, false, true)],
  ['Z07:00:00', (c) => numericZone(c.offset, 'Z', true, false, true)],
  ['Z0700', (c) => numericZone(c.offset, 'Z', false, false, false)],
  ['Z07:00', (c) => numericZone(c.offset, 'Z', true, false, false)],
  ['Z07', (c) => numericZone(c.offset, 'Z', false, true, false)],
];

/** The element at `layout[i]` and its length, or undefined for a literal character. */
function elementAt(layout: string, i: number): [Formatter, number] | undefined {
  const rest = layout.slice(i);
  const startsLower = (text: string) => /^[a-z]/.test(text);
  switch (layout[i]) {
    case 'J':
      if (rest.startsWith('January')) return [(c) => MONTHS[c.month - 1], 7];
      if (rest.startsWith('Jan') && !startsLower(rest.slice(3))) return [(c) => MONTHS[c.month - 1].slice(0, 3), 3];
      return undefined;
    case 'M':
      if (rest.startsWith('Monday')) return [(c) => WEEKDAYS[c.weekday], 6];
      if (rest.startsWith('Mon') && !startsLower(rest.slice(3))) return [(c) => WEEKDAYS[c.weekday].slice(0, 3), 3];
      if (rest.startsWith('MST')) return [(c) => c.zoneName, 3];
      return undefined;
    case '0': {
      const digit = layout[i + 1];
      if (digit !== undefined && digit >= '1' && digit <= '6') {
        const two: Formatter[] = [
          (c) => pad(c.month, 2),
          (c) => pad(c.day, 2),
          (c) => pad(c.hour % 12 || 12, 2),
          (c) => pad(c.minute, 2),
          (c) => pad(c.second, 2),
          (c) => pad(((c.year % 100) + 100) % 100, 2),
        ];
        return [two[Number(digit) - 1], 2];
      }
      if (rest.startsWith('002')) return [(c) => pad(c.yearDay, 3), 3];
      return undefined;
    }
    case '1':
      if (rest.startsWith('15')) return [(c) => pad(c.hour, 2), 2];
      return [(c) => String(c.month), 1];
    case '2':
      if (rest.startsWith('2006')) return [(c) => (c.year < 0 ? `-${pad(-c.year, 4)}` : pad(c.year, 4)), 4];
      return [(c) => String(c.day), 1];
    case '_':
      if (rest.startsWith('_2') && !rest.startsWith('_2006')) return [(c) => pad(c.day, 2, ' '), 2];
      if (rest.startsWith('__2')) return [(c) => pad(c.yearDay, 3, ' '), 3];
      return undefined;
    case '3':
      return [(c) => String(c.hour % 12 || 12), 1];
    case '4':
      return [(c) => String(c.minute), 1];
    case '5':
      return [(c) => String(c.second), 1];
    case 'P':
      return layout[i + 1] === 'M' ? [(c) => (c.hour >= 12 ? 'PM' : 'AM'), 2] : undefined;
    case 'p':
      return layout[i + 1] === 'm' ? [(c) => (c.hour >= 12 ? 'pm' : 'am'), 2] : undefined;
    case '-':
    case 'Z': {
      const zone = ZONE_ELEMENTS.find(([element]) => rest.startsWith(element));
      return zone && [zone[1], zone[0].length];
    }
    case '.':
    case ',':
      return fractionAt(layout, i);
    default:
      return undefined;
  }
}

/** `.000` (fixed digits) or `.999` (trailing zeros trimmed) when followed by a non-digit, as Go's fractional seconds. */
function fractionAt(layout: string, i: number): [Formatter, number] | undefined {
  const separator = layout[i];
  const digit = layout[i + 1];
  if (digit !== '0' && digit !== '9') return undefined;
  let end = i + 1;
  while (layout[end] === digit) end++;
  if (/[0-9]/.test(layout[end] ?? '')) return undefined;
  const count = end - i - 1;
  return [
    (c) => {
      const digits = pad(c.nanosecond, 9).slice(0, Math.min(count, 9));
      if (digit === '0') return `${separator}${digits}`;
      const trimmed = digits.replace(/0+$/, '');
      return trimmed ? `${separator}${trimmed}` : '';
    },
    end - i,
  ];
}

/** Formats an instant with a Go time layout (`time.Time.Format`) in an IANA zone. */
export function formatGoTime(epochNanoseconds: bigint, layout: string, timeZone = 'UTC'): string {
  const clock = wallClock(epochNanoseconds, timeZone);
  let text = '';
  let i = 0;
  while (i < layout.length) {
    const element = elementAt(layout, i);
    if (element) {
      text += element[0](clock);
      i += element[1];
    } else {
      text += layout[i];
      i++;
    }
  }
  return text;
}
