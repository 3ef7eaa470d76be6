import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CHECK_LIMITS } from '../../src/core/preflight-checks';
import { describeProjectFileProblem, parseProjectFile } from '../../src/core/project-file';
import { RULES } from '../../src/core/rules';

const ROOT = path.resolve(__dirname, '..', '..', '..');

void test('a project file sets rules and preflight limits; what it leaves out keeps its default', () => {
  const { config, problems } = parseProjectFile(
    JSON.stringify({
      $schema: './schemas/migration-lens.schema.json',
      rules: { 'destructive-down': 'off', 'preflight-copies-table': 'error' },
      preflight: { maxTableRows: 5_000_000 },
    }),
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(
    [...config.rules],
    [
      ['destructive-down', 'off'],
      ['preflight-copies-table', 'error'],
    ],
  );
  assert.deepEqual(config.preflight, { ...DEFAULT_CHECK_LIMITS, maxTableRows: 5_000_000 });
  assert.deepEqual(parseProjectFile('').problems, []);
});

void test('whatever is wrong becomes a problem with its place, and the rest still counts', () => {
  const { config, problems } = parseProjectFile(
    JSON.stringify({
      rules: { 'destructive-down': 'loud', 'no-such-rule': 'off', 'missing-down': 'info' },
      preflight: { statementTimeoutSeconds: 0, maxRows: 5 },
      enviroments: {},
    }),
  );
  assert.deepEqual(problems.map(describeProjectFileProblem), [
    'migration-lens.json: rules.destructive-down: must be "error", "warning", "info" or "off"',
    'migration-lens.json: rules.no-such-rule: unknown rule (docs/rules.md lists every code)',
    'migration-lens.json: preflight.statementTimeoutSeconds: must be a whole number from 1 to 3600',
    'migration-lens.json: preflight.maxRows: unknown setting (known: maxTableRows, statementTimeoutSeconds)',
    'migration-lens.json: enviroments: unknown section (known: rules, preflight, environments)',
  ]);
  assert.deepEqual([...config.rules], [['missing-down', 'info']]);
  assert.deepEqual(config.preflight, DEFAULT_CHECK_LIMITS);
  assert.match(
    describeProjectFileProblem(parseProjectFile('{ rules: }').problems[0]),
    /^migration-lens\.json: not valid JSON/,
  );
  assert.deepEqual(parseProjectFile('[1]').problems, [{ path: '', message: 'must be a JSON object' }]);
});

/** The codes `docs/rules.md` documents, with the default severity each entry states. */
function documentedRules(): Map<string, string> {
  const page = readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');
  const documented = new Map<string, string>();
  for (const match of page.matchAll(/^### `([a-z-]+)`\n\nDefault: \*\*(\w+)\*\*\./gm))
    documented.set(match[1], match[2]);
  return documented;
}

void test('the rules page has an entry for every code, with its default severity, and no entry without a code', () => {
  const documented = documentedRules();
  const headings = [...readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8').matchAll(/^### /gm)].length;
  assert.equal(documented.size, headings, 'every entry states its default as "Default: **severity**."');
  assert.deepEqual([...documented.keys()].sort(), RULES.map((rule) => rule.code).sort());
  for (const rule of RULES) assert.equal(documented.get(rule.code), rule.severity, rule.code);
});

void test('the JSON schema the editor validates migration-lens.json with knows every section and code, and no other', () => {
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'migration-lens.schema.json'), 'utf8')) as {
    properties: {
      rules: { properties: Record<string, unknown> };
      preflight: { properties: Record<string, unknown> };
    } & Record<string, unknown>;
  };
  const sections = Object.keys(schema.properties).filter((key) => key !== '$schema');
  for (const section of sections) {
    assert.deepEqual(parseProjectFile(JSON.stringify({ [section]: {} })).problems, [], section);
  }
  assert.equal(parseProjectFile('{"x": {}}').problems[0].message, `unknown section (known: ${sections.join(', ')})`);
  assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), RULES.map((rule) => rule.code).sort());
  assert.deepEqual(
    Object.keys(schema.properties.preflight.properties).sort(),
    Object.keys(DEFAULT_CHECK_LIMITS).sort(),
  );
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { jsonValidation: { fileMatch: string; url: string }[] };
  };
  assert.deepEqual(manifest.contributes.jsonValidation, [
    { fileMatch: 'migration-lens.json', url: './schemas/migration-lens.schema.json' },
  ]);
});
