import { createHash } from 'node:crypto';

/**
 * GORM's default naming strategy (gorm schema/naming.go) and the pluraliser it uses (jinzhu/inflection v1.0.0):
 * table, column and index names as GORM derives them from Go names. Written from those sources so that the names
 * match GORM's own, quirks included (`Human` -> `humen`, `HTTPSConfig` -> `http_s_config`).
 */

/** golint's initialisms, in GORM's order: an earlier one wins where two overlap (`HTTPS` reads as `HTTP` + `S`). */
const INITIALISMS = [
  'API',
  'ASCII',
  'CPU',
  'CSS',
  'DNS',
  'EOF',
  'GUID',
  'HTML',
  'HTTP',
  'HTTPS',
  'ID',
  'IP',
  'JSON',
  'LHS',
  'QPS',
  'RAM',
  'RHS',
  'RPC',
  'SLA',
  'SMTP',
  'SSH',
  'TLS',
  'TTL',
  'UID',
  'UI',
  'UUID',
  'URI',
  'URL',
  'UTF8',
  'VM',
  'XML',
  'XSRF',
  'XSS',
];

const isUpper = (char: string | undefined) => char !== undefined && char >= 'A' && char <= 'Z';
const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';

/**
 * Go's strings.Replacer with GORM's initialism pairs: at each position the first pair in list order that matches is
 * replaced (`ID` -> `Id`), and scanning goes on after it; a regular expression's alternation tries them the same way.
 */
const INITIALISM_PATTERN = new RegExp(INITIALISMS.join('|'), 'g');

function titleInitialisms(name: string): string {
  return name.replace(INITIALISM_PATTERN, (initialism) => initialism[0] + initialism.slice(1).toLowerCase());
}

/** Go names repeat across a code base: each is converted once. */
const dbNames = new Map<string, string>();

/**
 * GORM's `toDBName`: initialisms in title case, then `_` before a capital that starts a word, lower case throughout.
 * `UserID` -> `user_id`, `APIKey` -> `api_key`, `OAuthToken` -> `o_auth_token`.
 */
export function toDBName(name: string): string {
  let converted = dbNames.get(name);
  if (converted === undefined) {
    converted = convertToDBName(name);
    dbNames.set(name, converted);
  }
  return converted;
}

function convertToDBName(name: string): string {
  if (name === '') return '';
  const value = titleInitialisms(name);
  let out = '';
  let lastCase = false;
  let currentCase = isUpper(value[0]);
  for (let index = 0; index < value.length - 1; index++) {
    const char = value[index];
    const nextCase = isUpper(value[index + 1]);
    const nextNumber = isDigit(value[index + 1]);
    if (currentCase) {
      if (lastCase && (nextCase || nextNumber)) {
        out += char.toLowerCase();
      } else {
        if (index > 0 && value[index - 1] !== '_' && value[index + 1] !== '_') out += '_';
        out += char.toLowerCase();
      }
    } else {
      out += char;
    }
    lastCase = currentCase;
    currentCase = nextCase;
  }
  const last = value[value.length - 1];
  if (currentCase) {
    if (!lastCase && value.length > 1) out += '_';
    out += last.toLowerCase();
  } else {
    out += last;
  }
  return out;
}

interface Inflection {
  readonly pattern: RegExp;
  readonly replacement: string;
}

const UNCOUNTABLE = [
  'equipment',
  'information',
  'rice',
  'money',
  'species',
  'series',
  'fish',
  'sheep',
  'jeans',
  'police',
];
const IRREGULAR: readonly (readonly [string, string])[] = [
  ['person', 'people'],
  ['man', 'men'],
  ['child', 'children'],
  ['sex', 'sexes'],
  ['move', 'moves'],
  ['mombie', 'mombies'],
];
/** inflection's plural rules, in its order; they are tried from the last one back. */
const PLURAL_RULES: readonly (readonly [string, string])[] = [
  ['([a-z])$', '$1s'],
  ['s$', 's'],
  ['^(ax|test)is$', '$1es'],
  ['(octop|vir)us$', '$1i'],
  ['(octop|vir)i$', '$1i'],
  ['(alias|status)$', '$1es'],
  ['(bu)s$', '$1ses'],
  ['(buffal|tomat)o$', '$1oes'],
  ['([ti])um$', '$1a'],
  ['([ti])a$', '$1a'],
  ['sis$', 'ses'],
  ['(?:([^f])fe|([lr])f)$', '$1$2ves'],
  ['(hive)$', '$1s'],
  ['([^aeiouy]|qu)y$', '$1ies'],
  ['(x|ch|ss|sh)$', '$1es'],
  ['(matr|vert|ind)(?:ix|ex)$', '$1ices'],
  ['^(m|l)ouse$', '$1ice'],
  ['^(m|l)ice$', '$1ice'],
  ['^(ox)$', '$1en'],
  ['^(oxen)$', '$1'],
  ['(quiz)$', '$1zes'],
];

const titleCase = (word: string) => word[0].toUpperCase() + word.slice(1);

/** inflection's compiled plural table: uncountables, irregulars in three casings, then the rules last-first. */
const PLURALS: readonly Inflection[] = [
  ...UNCOUNTABLE.map((word) => ({ pattern: new RegExp(`^(${word})$`, 'i'), replacement: '$1' })),
  ...IRREGULAR.flatMap(([singular, plural]) => [
    { pattern: new RegExp(`${singular.toUpperCase()}$`), replacement: plural.toUpperCase() },
    { pattern: new RegExp(`${titleCase(singular)}$`), replacement: titleCase(plural) },
    { pattern: new RegExp(`${singular}$`), replacement: plural },
  ]),
  ...[...PLURAL_RULES].reverse().flatMap(([rule, replacement]) => [
    // Go's strings.ToUpper of the pattern: `[a-z]` becomes `[A-Z]`.
    { pattern: new RegExp(rule.toUpperCase()), replacement: replacement.toUpperCase() },
    { pattern: new RegExp(rule), replacement },
    { pattern: new RegExp(rule, 'i'), replacement },
  ]),
];

/** inflection.Plural: the first entry of the table that matches rewrites the word; none leaves it as it is. */
export function pluralize(word: string): string {
  for (const { pattern, replacement } of PLURALS) {
    if (pattern.test(word)) return word.replace(pattern, replacement);
  }
  return word;
}

/** The parts of GORM's NamingStrategy that change names. */
export interface GormNamingOptions {
  readonly tablePrefix?: string;
  readonly singularTable?: boolean;
}

/** The table of a Go type without a `TableName()` method: `User` -> `users`, `APIKey` -> `api_keys`. */
export function gormTableName(typeName: string, options: GormNamingOptions = {}): string {
  const name = toDBName(typeName);
  return (options.tablePrefix ?? '') + (options.singularTable ? name : pluralize(name));
}

/** GORM's maximum identifier length before it shortens an index or constraint name with a hash. */
const MAX_IDENTIFIER_LENGTH = 64;

/**
 * GORM's formatName: `<prefix>_<table>_<name>` with dots as `_`; longer than 64 characters, its first 56 and 8 hex
 * digits of its SHA-1.
 */
export function formatName(prefix: string, table: string, name: string): string {
  const formatted = [prefix, table, name].join('_').replaceAll('.', '_');
  const characters = [...formatted];
  if (characters.length <= MAX_IDENTIFIER_LENGTH) return formatted;
  const hash = createHash('sha1').update(formatted).digest('hex').slice(0, 8);
  return (
    Buffer.from(formatted)
      .subarray(0, MAX_IDENTIFIER_LENGTH - 8)
      .toString() + hash
  );
}

/**
 * `idx_<table>_<snake name>` for an unnamed `index` / `uniqueIndex` tag (the name is the Go field's, or the tag's
 * `composite:` value).
 */
export function gormIndexName(table: string, name: string): string {
  return formatName('idx', table, toDBName(name));
}

/** `uni_<table>_<column>`: the constraint a `unique` tag makes (GORM 1.25.7 and later). */
export function gormUniqueName(table: string, column: string): string {
  return formatName('uni', table, toDBName(column));
}
