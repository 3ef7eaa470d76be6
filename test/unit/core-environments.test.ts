import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  discoveryPattern,
  ENVIRONMENT_COLORS,
  ENVIRONMENT_KEYS,
  environmentColor,
  expandEnvironmentUrl,
  findEnvironment,
  passwordVariable,
} from '../../src/core/environments';
import { describeProjectFileProblem, parseProjectFile } from '../../src/core/project-file';

function read(environments: unknown) {
  return parseProjectFile(JSON.stringify({ environments }));
}

void describe('migration-lens.json: environments', () => {
  void test('environments in the order written, with their folder, protection, colour and fleet', () => {
    const { config, problems } = read({
      dev: { url: 'mysql://root@tcp(127.0.0.1:3306)/app' },
      prod: { url: 'mysql://deploy:${PROD_PASSWORD}@tcp(db:3306)/app', protected: true, path: 'db/migrations' },
      tenants: { url: 'mysql://deploy@tcp(tenants:3306)/', discover: 'tenant\\_%', color: 'purple' },
      eu: { url: 'mysql://deploy@tcp(eu:3306)/', databases: ['shop_b', 'shop_a'] },
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      config.environments.map((environment) => environment.name),
      ['dev', 'prod', 'tenants', 'eu'],
    );
    const [dev, prod, tenants, eu] = config.environments;
    assert.equal(dev.protected, false);
    assert.equal(dev.fleet, undefined);
    assert.equal(prod.protected, true);
    assert.equal(prod.path, 'db/migrations');
    assert.deepEqual(tenants.fleet, { kind: 'discover', pattern: 'tenant\\_%' });
    assert.equal(tenants.color, 'purple');
    assert.deepEqual(eu.fleet, { kind: 'list', databases: ['shop_b', 'shop_a'] });
  });

  void test('a password written in a URL is a problem, and the environment is refused, never used', () => {
    const { config, problems } = read({
      prod: { url: 'mysql://deploy:hunter2@tcp(db:3306)/app', protected: true },
      half: { url: 'mysql://deploy:pre${SUFFIX}@tcp(db:3306)/app' },
      at: { url: 'mysql://deploy:p@ss@tcp(db:3306)/app' },
    });
    assert.equal(problems.length, 3);
    for (const problem of problems) {
      assert.match(problem.message, /holds a password/);
      assert.doesNotMatch(describeProjectFileProblem(problem), /hunter2|pre|p@ss/);
    }
    assert.ok(config.environments.every((environment) => environment.refusal !== undefined));
    assert.equal(describeProjectFileProblem(problems[0]).split(':')[1].trim(), 'environments.prod.url');
  });

  void test('the password place may hold one whole ${VAR}, or nothing', () => {
    const { problems } = read({
      a: { url: 'mysql://deploy:${A_PASSWORD}@tcp(db:3306)/app?x-migrations-table=v' },
      b: { url: 'mysql://deploy@tcp(db:3306)/app' },
      c: { url: 'mysql://${USER}@tcp(db:3306)/app' },
      d: { url: 'mysql://tcp(db:3306)/app' },
    });
    assert.deepEqual(problems, []);
    assert.equal(passwordVariable('mysql://deploy:${A_PASSWORD}@tcp(db:3306)/app'), 'A_PASSWORD');
    assert.equal(passwordVariable('mysql://${USER}@tcp(db:3306)/app'), undefined);
  });

  void test('unknown keys, bad names and wrong kinds are problems with their place; the rest still counts', () => {
    const { config, problems } = read({
      'bad name': { url: 'mysql://a@tcp(h:1)/x' },
      dev: { url: 'mysql://a@tcp(h:1)/x', protect: true, color: 'pink', path: 3 },
      nourl: {},
      notmysql: { url: 'postgres://a@h/x' },
      both: { url: 'mysql://a@tcp(h:1)/', databases: ['a'], discover: 'a%' },
      badlist: { url: 'mysql://a@tcp(h:1)/', databases: ['a', 'a', 'b/c', 7] },
    });
    const places = problems.map((problem) => problem.path);
    assert.deepEqual(places, [
      'environments.bad name',
      'environments.dev.protect',
      'environments.dev.path',
      'environments.dev.color',
      'environments.nourl.url',
      'environments.notmysql.url',
      'environments.both',
      'environments.badlist.databases',
      'environments.badlist.databases',
    ]);
    assert.deepEqual(
      config.environments.map((environment) => environment.name),
      ['dev', 'notmysql', 'both', 'badlist'],
    );
    assert.deepEqual(config.environments[3].fleet, { kind: 'list', databases: ['a'] });
  });

  void test('protected is anything but false: a typo never unprotects', () => {
    const { config, problems } = read({ prod: { url: 'mysql://a@tcp(h:1)/x', protected: 'yes' } });
    assert.equal(config.environments[0].protected, true);
    assert.deepEqual(
      problems.map((problem) => problem.path),
      ['environments.prod.protected'],
    );
  });

  void test('discovery takes a LIKE pattern or SHOW DATABASES LIKE, and refuses anything else', () => {
    assert.equal(discoveryPattern('tenant\\_%'), 'tenant\\_%');
    assert.equal(discoveryPattern("SHOW DATABASES LIKE 'tenant\\_%'"), 'tenant\\_%');
    assert.equal(discoveryPattern("show databases like 'shop_%';"), 'shop_%');
    for (const refused of [
      "SHOW DATABASES WHERE `Database` LIKE 'x'",
      "x' OR 1=1 --",
      'tenant_%; DROP DATABASE app',
      'SELECT schema_name FROM information_schema.schemata',
      '',
      'a'.repeat(201),
    ]) {
      assert.equal(discoveryPattern(refused), undefined, refused);
    }
    const { problems } = read({ t: { url: 'mysql://a@tcp(h:1)/', discover: "x' OR '1'='1" } });
    assert.deepEqual(
      problems.map((problem) => problem.path),
      ['environments.t.discover'],
    );
  });

  void test('${VAR} expands from the variables; a missing one names itself and nothing is half expanded', () => {
    assert.deepEqual(expandEnvironmentUrl('mysql://${U}:${P}@tcp(h:1)/x', { U: 'deploy', P: 's3cret' }), {
      url: 'mysql://deploy:s3cret@tcp(h:1)/x',
    });
    assert.deepEqual(expandEnvironmentUrl('mysql://${U}:${P}@tcp(${H}:1)/x', { U: 'deploy', P: undefined }), {
      missing: ['P', 'H'],
    });
    // Make's $$ is a literal $: what follows it names no variable.
    assert.deepEqual(expandEnvironmentUrl('mysql://u:$${Y}@tcp(${H}:1)/x', {}), { missing: ['H'] });
    assert.deepEqual(expandEnvironmentUrl('mysql://u:$${Y}@tcp(${H}:1)/x', { H: 'db' }), {
      url: 'mysql://u:${Y}@tcp(db:1)/x',
    });
  });

  void test('finding an environment, and the colour it is shown in', () => {
    const { config } = read({
      dev: { url: 'mysql://a@tcp(h:1)/x' },
      qa: { url: 'mysql://a@tcp(h:1)/x', color: 'blue' },
    });
    assert.deepEqual(findEnvironment(config.environments, 'prod'), {
      problem: 'no environment "prod" (known: dev, qa)',
    });
    assert.deepEqual(findEnvironment([], 'prod'), { problem: 'no environment "prod": migration-lens.json names none' });
    assert.equal(environmentColor(config.environments[1]), 'blue');
    const dev = environmentColor(config.environments[0]);
    assert.notEqual(dev, 'red');
    assert.equal(environmentColor(config.environments[0]), dev);
  });

  void test('the section is an object of environments; a file without it has none', () => {
    assert.deepEqual(parseProjectFile('').config.environments, []);
    assert.deepEqual(parseProjectFile('{"rules": {}}').config.environments, []);
    assert.equal(read('prod').problems[0].path, 'environments');
  });
});

void test('the published schema describes an environment as the reader reads it', () => {
  const root = path.resolve(__dirname, '..', '..', '..');
  const schema = JSON.parse(readFileSync(path.join(root, 'schemas', 'migration-lens.schema.json'), 'utf8')) as {
    definitions: { environment: { properties: Record<string, { enum?: string[] }> } };
  };
  const environment = schema.definitions.environment;
  assert.deepEqual(Object.keys(environment.properties), ENVIRONMENT_KEYS);
  assert.deepEqual(environment.properties.color.enum, [...ENVIRONMENT_COLORS]);
});
