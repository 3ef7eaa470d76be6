import assert from 'node:assert/strict';
import { test } from 'node:test';
import { folderFromSource } from '../../src/cli/context';
import { parseCount, parseFlags, parseVersion, UsageError } from '../../src/cli/flags';

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
