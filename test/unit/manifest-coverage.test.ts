// The project's rule: every command, view and setting the extension contributes is exercised by a test in the real
// VS Code host. smoke.test.ts only checks that they are registered, so it does not count.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

/** The repository; this file runs from out/test/unit. */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const HOST_TESTS = path.join(ROOT, 'test', 'host');
const NOT_COUNTED = new Set(['smoke.test.ts']);
const PREFIX = 'migrationLens.';

interface Contributions {
  commands?: { command: string }[];
  views?: Record<string, { id: string }[]>;
  configuration?: { properties?: Record<string, unknown> } | { properties?: Record<string, unknown> }[];
}

/** Every contributed command id, view id and setting key, each with what it is. */
function contributedIds(): { kind: 'command' | 'view' | 'setting'; id: string }[] {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: Contributions;
  };
  const { commands = [], views = {}, configuration = [] } = manifest.contributes;
  const configurations = Array.isArray(configuration) ? configuration : [configuration];
  return [
    ...commands.map(({ command }) => ({ kind: 'command' as const, id: command })),
    ...Object.values(views)
      .flat()
      .map(({ id }) => ({ kind: 'view' as const, id })),
    ...configurations
      .flatMap(({ properties = {} }) => Object.keys(properties))
      .map((id) => ({ kind: 'setting' as const, id })),
  ];
}

/** The sources of the host tests and their helpers, smoke.test.ts left out. */
function hostTestSources(): string {
  return readdirSync(HOST_TESTS, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !NOT_COUNTED.has(path.basename(name)))
    .map((name) => readFileSync(path.join(HOST_TESTS, name), 'utf8'))
    .join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether `source` names `id`: in full (`migrationLens.backup`, also as the start of `migrationLens.migrations.focus`,
 * but not inside `migrationLens.backupPath`), or as a string literal of the part after the prefix (`run('up')`,
 * `settings.update('ledger.table', ...)`), the way the host tests call commands and change settings.
 */
function mentions(source: string, id: string): boolean {
  if (new RegExp(`(?<![\\w.])${escapeRegExp(id)}(?!\\w)`).test(source)) return true;
  if (!id.startsWith(PREFIX)) return false;
  const short = escapeRegExp(id.slice(PREFIX.length));
  return new RegExp(`(['"\`])${short}\\1`).test(source);
}

void test('a mention is the full id or the quoted part after the prefix, never a longer id', () => {
  assert.ok(mentions("executeCommand('migrationLens.backup', {})", 'migrationLens.backup'));
  assert.ok(mentions("executeCommand('migrationLens.migrations.focus')", 'migrationLens.migrations'));
  assert.ok(mentions("run('up')", 'migrationLens.up'));
  assert.ok(mentions("update(`ledger.table`, 'x')", 'migrationLens.ledger.table'));
  assert.ok(!mentions("update('migrationLens.backupPath', 'x')", 'migrationLens.backup'));
  assert.ok(!mentions("run('upN')", 'migrationLens.up'));
  assert.ok(!mentions('const up = 1;', 'migrationLens.up'));
  assert.ok(!mentions("'ledger.table'", 'migrationLens.ledger'));
});

void test('every contributed command, view and setting is mentioned by a host test other than the smoke test', () => {
  const ids = contributedIds();
  for (const kind of ['command', 'view', 'setting'] as const) {
    assert.ok(
      ids.some((entry) => entry.kind === kind),
      `package.json contributes no ${kind}: the manifest was not read`,
    );
  }
  const sources = hostTestSources();
  const missing = ids.filter(({ id }) => !mentions(sources, id)).map(({ kind, id }) => `${kind} ${id}`);
  assert.deepEqual(
    missing,
    [],
    `not exercised by any host test (test/host, smoke.test.ts aside): ${missing.join(', ')}`,
  );
});
