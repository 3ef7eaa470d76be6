import assert from 'node:assert/strict';
import { test } from 'node:test';
import { folderFromSource } from '../../src/cli/context';
import { ArgumentError, parseCount, parseFlags, parseVersion, UsageError } from '../../src/cli/flags';
import { programName, usage } from '../../src/cli/main';
import { cliCommandLine, environmentCommandLine, shellWord } from '../../src/core/cli-command-line';

const specs = {
  path: { kind: 'string', description: '' },
  verbose: { kind: 'boolean', description: '' },
  'lock-timeout': { kind: 'integer', description: '' },
} as const;

void test("Go's flag forms: -name value, -name=value, --name, booleans without a value", () => {
  const flags = parseFlags(['--path=db', '-verbose', '-lock-timeout', '3', 'up', '2'], specs, 'options');
  assert.deepEqual(
    [...flags.values],
    [
      ['path', 'db'],
      ['verbose', true],
      ['lock-timeout', 3],
    ],
  );
  assert.deepEqual(flags.rest, ['up', '2']);
  assert.equal(parseFlags(['-verbose=false'], specs, 'x').values.get('verbose'), false);
});

void test('parsing stops at the first non-flag, so "force -1" keeps -1 as the argument', () => {
  assert.deepEqual(parseFlags(['-path', 'db', 'force', '-1'], specs, 'options').rest, ['force', '-1']);
  assert.deepEqual(parseFlags(['--', '-verbose'], specs, 'options').rest, ['-verbose']);
  assert.deepEqual(parseFlags(['-', 'x'], specs, 'options').rest, ['-', 'x']);
});

void test('usage errors: unknown flag, missing value, bad boolean or number, bad syntax', () => {
  assert.throws(() => parseFlags(['-nope'], specs, 'options'), /flag provided but not defined: -nope/);
  assert.throws(() => parseFlags(['-path'], specs, 'options'), /flag needs an argument: -path/);
  assert.throws(() => parseFlags(['-verbose=maybe'], specs, 'options'), /invalid boolean value/);
  assert.throws(() => parseFlags(['-lock-timeout', 'soon'], specs, 'options'), /not a whole number/);
  assert.throws(() => parseFlags(['---path'], specs, 'options'), /bad flag syntax/);
  assert.throws(() => parseFlags(['-=x'], specs, 'options'), UsageError);
});

void test('counts and versions as golang-migrate reads them', () => {
  assert.equal(parseCount('3', 'limit argument N'), 3);
  assert.throws(() => parseCount('-1', 'limit argument N'), /can't read limit argument N/);
  assert.equal(parseVersion('20240101120000', false), 20240101120000n);
  assert.equal(parseVersion('18446744073709551615', false), 18446744073709551615n);
  assert.throws(() => parseVersion('18446744073709551616', false), /out of range/);
  assert.throws(() => parseVersion('-1', false), /can't read version argument V/);
  assert.equal(parseVersion('-1', true), -1n);
  assert.throws(() => parseVersion(undefined, true), /please specify version argument V/);
});

void test('-source file:// paths are relative to the working directory', () => {
  assert.equal(folderFromSource('file://db/migrations', '/srv/app'), '/srv/app/db/migrations');
  assert.equal(folderFromSource('file:///abs/migrations', '/srv/app'), '/abs/migrations');
  assert.throws(() => folderFromSource('github://owner/repo', '/srv/app'), /unsupported source/);
});

void test('interspersed: a command flag may follow its arguments; -- still ends the flags', () => {
  const dryRun = { 'dry-run': { kind: 'boolean', description: '' } } as const;
  const flags = parseFlags(['3', '--dry-run'], dryRun, 'goto', { interspersed: true });
  assert.deepEqual([flags.values.get('dry-run'), flags.rest], [true, ['3']]);
  assert.deepEqual(parseFlags(['1', '--', '--dry-run'], dryRun, 'down', { interspersed: true }).rest, [
    '1',
    '--dry-run',
  ]);
  assert.throws(() => parseFlags(['-1'], dryRun, 'goto', { interspersed: true }), /flag provided but not defined: -1/);
  assert.deepEqual(parseFlags(['3', '--dry-run'], dryRun, 'goto').rest, ['3', '--dry-run'], "Go's rule without it");
});

void test('a bad N or V is an argument error (exit 1), not a usage error (exit 2)', () => {
  assert.throws(() => parseCount('abc', 'limit argument N'), ArgumentError);
  assert.throws(() => parseVersion('x', true), ArgumentError);
  assert.throws(() => parseVersion(undefined, false), ArgumentError);
});

void test('the program calls itself migrate when started under that name', () => {
  assert.equal(programName('/usr/local/bin/migrate'), 'migrate');
  assert.equal(programName('migrate'), 'migrate');
  assert.equal(programName('/opt/app/dist/cli.js'), 'migration-lens');
  assert.equal(programName('/usr/local/bin/migration-lens'), 'migration-lens');
  assert.equal(programName(undefined), 'migration-lens');
  assert.match(usage('migrate'), /^Usage: migrate OPTIONS COMMAND/);
});

void test('a command line to paste for an environment: -env NAME, and the folder only when the environment names none', () => {
  assert.equal(
    environmentCommandLine({ program: 'migration-lens', environment: 'prod', command: 'up' }),
    'migration-lens -env prod up',
  );
  assert.equal(
    environmentCommandLine({
      program: 'migrate',
      environment: 'tenants',
      migrationsPath: 'db migrations',
      command: 'status',
    }),
    "migrate -env tenants -path 'db migrations' status",
  );
});

void test('a command line to paste: the path quoted where the shell needs it, the password masked', () => {
  const line = (migrationsPath: string, database: string, password = '') =>
    cliCommandLine({ program: 'migration-lens', migrationsPath, database, command: 'up', password });
  assert.equal(
    line('db/migrations', '"$DATABASE_URL"'),
    'migration-lens -path db/migrations -database "$DATABASE_URL" up',
  );
  assert.equal(line("my migrations/it's", "'u'"), `migration-lens -path 'my migrations/it'\\''s' -database 'u' up`);
  assert.equal(
    line('m', shellWord('mysql://u:p%40ss@tcp(h:1)/d'), 'p@ss'),
    `migration-lens -path m -database 'mysql://u:****@tcp(h:1)/d' up`,
  );
});
