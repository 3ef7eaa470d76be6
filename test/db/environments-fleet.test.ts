/**
 * Environments and fleets on the command line against the real MariaDB: a fleet in mixed states (one dirty, some
 * behind, one locked by another run, one unreachable) as `status` reports it and as `up` treats each database, the
 * protected environment's refusal, discovery, shards, and a password written in migration-lens.json refused.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import mysql from 'mysql2/promise';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { quoteIdentifier } from '../../src/adapters/mysql/sql';
import { advisoryLockName } from '../../src/core/lock';
import { parseProjectFile } from '../../src/core/project-file';
import { readmeBlock } from './readme';
import { CLI, type CliRun, runCli, TEST_SERVER } from './support';

/** Three migrations: users, its email column, orders. */
const MIGRATIONS = path.resolve(__dirname, '../../../test/fixtures/environments');

/** Unique per run, so discovery finds this test's databases only. */
const PREFIX = `ml_fleet_${process.pid}_${randomBytes(3).toString('hex')}_`;
const FLEET = ['a_new', 'b_behind', 'c_dirty', 'd_locked'].map((name) => `${PREFIX}${name}`);
const GONE = `${PREFIX}e_gone`;
const PROD = `${PREFIX}prod`;
const LEAKED_PASSWORD = 'hunter2-leaked';

let root: mysql.Connection;
/** Another run's session, holding d_locked's lock. */
let holder: mysql.Connection;
let project: string;

const SERVER = `tcp(${TEST_SERVER.host}:${TEST_SERVER.port})`;

before(async () => {
  root = await mysql.createConnection({ ...TEST_SERVER, multipleStatements: true });
  for (const name of [...FLEET, PROD]) await root.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  const versionTable = (name: string, version: number, dirty: number) =>
    root.query(
      `CREATE TABLE ${quoteIdentifier(name)}.schema_migrations (version bigint not null primary key, dirty boolean not null); ` +
        `INSERT INTO ${quoteIdentifier(name)}.schema_migrations VALUES (${version}, ${dirty})`,
    );
  await root.query(`CREATE TABLE ${quoteIdentifier(FLEET[1])}.users (id INT PRIMARY KEY)`);
  await versionTable(FLEET[1], 1, 0);
  await root.query(`CREATE TABLE ${quoteIdentifier(FLEET[2])}.users (id INT PRIMARY KEY)`);
  await versionTable(FLEET[2], 2, 1);
  await root.query(`CREATE TABLE ${quoteIdentifier(FLEET[3])}.users (id INT PRIMARY KEY)`);
  await versionTable(FLEET[3], 1, 0);
  holder = await mysql.createConnection(TEST_SERVER);
  await holder.query('SELECT GET_LOCK(?, 0)', [advisoryLockName(FLEET[3], 'schema_migrations')]);

  project = await mkdtemp(path.join(tmpdir(), 'ml-environments-'));
  await mkdir(path.join(project, '.git'));
  await cp(MIGRATIONS, path.join(project, 'db', 'migrations'), { recursive: true });
  await writeFile(
    path.join(project, '.env'),
    `ML_FLEET_USER=${TEST_SERVER.user}\nML_FLEET_PASSWORD=${TEST_SERVER.password}\n`,
  );
  const url = (database: string) => `mysql://\${ML_FLEET_USER}:\${ML_FLEET_PASSWORD}@${SERVER}/${database}`;
  await writeFile(
    path.join(project, 'migration-lens.json'),
    JSON.stringify(
      {
        environments: {
          prod: { url: url(PROD), path: 'db/migrations', protected: true },
          tenants: { url: url(''), path: 'db/migrations', databases: [...FLEET, GONE] },
          found: { url: url(''), path: 'db/migrations', discover: `${PREFIX.replaceAll('_', '\\_')}%` },
          leaky: { url: `mysql://root:${LEAKED_PASSWORD}@${SERVER}/${PROD}`, path: 'db/migrations' },
        },
      },
      undefined,
      2,
    ),
  );
});

after(async () => {
  await holder.end();
  for (const name of [...FLEET, PROD]) await root.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
  await root.end();
  await rm(project, { recursive: true, force: true });
});

/** The built command line from a folder below the project, so migration-lens.json is found by walking up. */
function cli(...args: string[]): Promise<CliRun> {
  return runCli(['-lock-timeout', '1', ...args], path.join(project, 'db'));
}

async function versionOf(database: string): Promise<[string, number][] | 'no table'> {
  try {
    const [rows] = await root.query(
      `SELECT CAST(version AS CHAR) AS version, dirty FROM ${quoteIdentifier(database)}.schema_migrations`,
    );
    return (rows as { version: string; dirty: number }[]).map((row) => [row.version, Number(row.dirty)]);
  } catch {
    return 'no table';
  }
}

interface StatusJson {
  environments: {
    name: string;
    protected: boolean;
    fleet: boolean;
    problem: string | null;
    counts: { databases: number; byStanding: Record<string, number>; byVersion: Record<string, number> };
    databases: { database: string; standing: string; version: string | null; dirty: boolean | null; pending: number }[];
  }[];
}

void test('status -all-envs: each database of the fleet as it stands, the leaky environment refused', async () => {
  const run = await cli('status', '-all-envs', '--json');
  assert.equal(run.status, 1, run.stderr);
  const status = JSON.parse(run.stdout) as StatusJson;
  assert.deepEqual(
    status.environments.map((environment) => environment.name),
    ['prod', 'tenants', 'found', 'leaky'],
  );
  const [prod, tenants, found, leaky] = status.environments;
  assert.equal(prod.protected, true);
  assert.deepEqual(
    prod.databases.map((entry) => [entry.standing, entry.version, entry.pending]),
    [['behind', null, 3]],
  );
  assert.deepEqual(
    tenants.databases.map((entry) => [entry.database.slice(PREFIX.length), entry.standing, entry.version, entry.dirty]),
    [
      ['a_new', 'behind', null, false],
      ['b_behind', 'behind', '1', false],
      ['c_dirty', 'dirty', '2', true],
      ['d_locked', 'locked', '1', false],
      ['e_gone', 'unreachable', null, null],
    ],
  );
  assert.deepEqual(tenants.counts.byStanding, { behind: 2, dirty: 1, locked: 1, unreachable: 1 });
  // Discovery finds the databases that exist, in name order.
  assert.deepEqual(
    found.databases.map((entry) => entry.database),
    [...FLEET, PROD].sort(),
  );
  assert.match(leaky.problem ?? '', /environments\.leaky\.url: holds a password/);
  assert.ok(!run.stdout.includes(LEAKED_PASSWORD) && !run.stderr.includes(LEAKED_PASSWORD));
  assert.match(run.stderr, /^warning: migration-lens\.json: environments\.leaky\.url: holds a password/m);

  const text = await cli('status', '-all-envs');
  assert.match(
    text.stdout,
    /^tenants \(fleet\): 5 databases: 2 behind, 1 dirty, 1 locked, 1 unreachable; by version: v2 1, v1 2, no version 1$/m,
  );
  assert.match(text.stdout, /^ {2}1 dirty: ml_fleet_\w+_c_dirty \(v2 dirty\)$/m);
  assert.match(text.stdout, /^ {2}1 unreachable: ml_fleet_\w+_e_gone \(Unknown database/m);
  assert.match(text.stdout, /^prod \[protected\]: ml_fleet_\w+_prod no version · 3 pending \(behind\)$/m);
});

void test('up across the fleet: the clean ones reach the target, dirty, locked and unreachable ones are left as they are', async () => {
  const run = await cli('-env', 'tenants', 'up', '-parallel', '2');
  assert.equal(run.status, 1, run.stderr);
  const lines = run.stderr.split('\n').filter((line) => /^\[\d\/5\] /.test(line));
  assert.equal(lines.length, 5, run.stderr);
  assert.match(run.stderr, /_a_new: nil -> 3 migrated/);
  assert.match(run.stderr, /_b_behind: 1 -> 3 migrated/);
  assert.match(run.stderr, /_c_dirty: 2 dirty -> 2 dirty dirty \(.*\): Dirty database version 2/);
  assert.match(run.stderr, /_d_locked: 1 -> 1 locked \(.*\): can't acquire lock .* held by connection/);
  assert.match(run.stderr, /_e_gone: unreachable \(.*\): Unknown database/);
  assert.match(run.stdout, /^DATABASE +FROM +TO +RESULT +TIME$/m);
  assert.match(run.stdout, /^5 databases: 2 migrated, 1 dirty, 1 locked, 1 unreachable$/m);
  assert.deepEqual(await versionOf(FLEET[0]), [['3', 0]]);
  assert.deepEqual(await versionOf(FLEET[1]), [['3', 0]]);
  assert.deepEqual(await versionOf(FLEET[2]), [['2', 1]]);
  assert.deepEqual(await versionOf(FLEET[3]), [['1', 0]]);

  // Again: the migrated ones have no change; still exit 1 while some are not at the target.
  const again = await cli('-env', 'tenants', 'up');
  assert.equal(again.status, 1);
  assert.match(again.stdout, /^5 databases: 2 no change, 1 dirty, 1 locked, 1 unreachable$/m);
});

void test('a protected environment refuses commands that write without -confirm-env; dry run and status are allowed', async () => {
  for (const args of [['up'], ['goto', '1'], ['down', '1'], ['force', '1'], ['drop', '-f'], ['version']]) {
    const refused = await cli('-env', 'prod', ...args);
    assert.equal(refused.status, 1, args.join(' '));
    assert.match(
      refused.stderr,
      /^error: refusing to run \w+ on the protected environment prod: pass -confirm-env prod/m,
    );
  }
  assert.equal(await versionOf(PROD), 'no table');
  const dryRun = await cli('-env', 'prod', 'up', '--dry-run');
  assert.equal(dryRun.status, 0, dryRun.stderr);
  assert.match(dryRun.stdout, /000003_orders\.up\.sql/);
  // The environment and preflight's settings come from one reading of the file: its problem is logged once.
  assert.equal(dryRun.stderr.match(/environments\.leaky\.url/g)?.length, 1, dryRun.stderr);
  assert.equal((await cli('-env', 'prod', 'status')).status, 0);
  assert.equal(await versionOf(PROD), 'no table');

  const wrong = await cli('-env', 'prod', '-confirm-env', 'staging', 'up');
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /-confirm-env staging does not name the environment prod/);
  const confirmed = await cli('-env', 'prod', '-confirm-env', 'prod', 'up', '2');
  assert.equal(confirmed.status, 0, confirmed.stderr);
  assert.deepEqual(await versionOf(PROD), [['2', 0]]);
});

void test("preflight and models take -env's database, and log the file's problems once", async () => {
  const preflight = await cli('-env', 'prod', 'preflight', '--json');
  assert.equal(preflight.status, 0, preflight.stderr);
  assert.equal((JSON.parse(preflight.stdout) as { pending: number }).pending, 1);
  assert.equal(preflight.stderr.match(/environments\.leaky\.url/g)?.length, 1, preflight.stderr);
  const models = await cli('-env', 'prod', 'models', '--json');
  assert.equal(models.status, 0, models.stderr);
  assert.deepEqual((JSON.parse(models.stdout) as { pending: string[] }).pending, ['3']);
  const fleet = await cli('-env', 'tenants', 'preflight');
  assert.equal(fleet.status, 2);
  assert.match(fleet.stderr, /environment tenants is a fleet: this command works on one database/);
  assert.deepEqual(await versionOf(PROD), [['2', 0]]);
});

void test('-env and -database together, an unknown environment, fleet flags without a fleet: one clear line', async () => {
  const both = await cli('-env', 'prod', '-database', 'mysql://root@tcp(127.0.0.1:3306)/x', 'status');
  assert.deepEqual(
    [both.status, both.stderr.split('\n')[0]],
    [2, 'error: -env and -database name the database twice: pass one of them'],
  );
  const unknown = await cli('-env', 'stagin', 'status');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /^error: no environment "stagin" \(known: prod, tenants, found, leaky\)$/m);
  const flags = await cli('-env', 'prod', '-confirm-env', 'prod', 'up', '-parallel', '2');
  assert.equal(flags.status, 2);
  assert.match(flags.stderr, /-parallel, -canary, -continue and -shard work across a fleet/);
  const leaky = await cli('-env', 'leaky', 'status');
  assert.equal(leaky.status, 1);
  assert.match(leaky.stderr, /^error: migration-lens\.json: environments\.leaky\.url: holds a password/m);
  assert.ok(!leaky.stderr.includes(LEAKED_PASSWORD));
  const fleetDown = await cli('-env', 'tenants', 'down', '1');
  assert.equal(fleetDown.status, 2);
  assert.match(fleetDown.stderr, /environment tenants is a fleet: this command works on one database/);
});

void test('-shard i/N: the shards of a discovered fleet are disjoint and cover it; a dry run writes nothing', async () => {
  const seen: string[] = [];
  for (const shard of ['0/3', '1/3', '2/3']) {
    const run = await cli('-env', 'found', 'goto', '3', '--dry-run', '-shard', shard);
    assert.match(run.stderr, new RegExp(`^Dry run on fleet found: 5 databases \\(shard ${shard}: \\d of 5\\)$`, 'm'));
    seen.push(
      ...run.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(0, line.indexOf(':'))),
    );
  }
  assert.deepEqual(seen.sort(), [...FLEET, PROD].sort());
  assert.deepEqual(await versionOf(FLEET[3]), [['1', 0]]);
  const bad = await cli('-env', 'found', 'up', '-shard', '3/3');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /-shard takes i\/N with 0 <= i < N/);
});

void test("the README's migration-lens.json reads without a problem, and its commands run as written", async () => {
  const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  const json = /## Environments and fleets[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const { config, problems } = parseProjectFile(json);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    config.environments.map((environment) => environment.name),
    ['dev', 'staging', 'prod', 'tenants'],
  );
  // The README's file on this test's server: hosts, users, databases and the discovery prefix replaced, nothing else.
  const readmePrefix = `${PREFIX}readme_`;
  const single = { dev: `${readmePrefix}dev`, staging: `${readmePrefix}staging`, prod: `${readmePrefix}prod` };
  const tenants = ['acme', 'globex', 'initech', 'umbrella', 'hooli'].map((name) => `${readmePrefix}tenant_${name}`);
  const created = [...Object.values(single), ...tenants];
  const server = `${TEST_SERVER.host}:${TEST_SERVER.port}`;
  const user = encodeURIComponent(TEST_SERVER.user);
  const file = json
    .replace(
      'mysql://root@tcp(127.0.0.1:3306)/app',
      `mysql://${user}${TEST_SERVER.password === '' ? '' : ':${STAGING_DB_PASSWORD}'}@tcp(${server})/${single.dev}`,
    )
    .replace('@tcp(staging-db:3306)/app', `@tcp(${server})/${single.staging}`)
    .replace('@tcp(prod-db:3306)/app', `@tcp(${server})/${single.prod}`)
    .replace('@tcp(tenants-db:3306)/', `@tcp(${server})/`)
    .replaceAll('mysql://deploy:', `mysql://${user}:`)
    .replace('"tenant\\\\_%"', JSON.stringify(`${readmePrefix.replaceAll('_', '\\_')}tenant\\_%`));
  const folder = await mkdtemp(path.join(tmpdir(), 'ml-environments-readme-'));
  try {
    for (const name of created) await root.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    await mkdir(path.join(folder, '.git'));
    await cp(MIGRATIONS, path.join(folder, 'db', 'migrations'), { recursive: true });
    await writeFile(path.join(folder, 'migration-lens.json'), file);
    await mkdir(path.join(folder, 'bin'));
    await symlink(CLI, path.join(folder, 'bin', 'migration-lens'));
    const password = TEST_SERVER.password;
    const env = {
      ...process.env,
      PATH: `${path.join(folder, 'bin')}${path.delimiter}${process.env['PATH']}`,
      STAGING_DB_PASSWORD: password,
      PROD_DB_PASSWORD: password,
      TENANTS_DB_PASSWORD: password,
    };
    const commands = readmeBlock('Environments and fleets', 0);
    assert.ok(commands.length >= 5);
    for (const command of commands) {
      assert.match(command, /^migration-lens /);
      const run = spawnSync('/bin/sh', ['-c', command], { cwd: folder, env, encoding: 'utf8' });
      assert.equal(run.status, 0, `${command}: ${run.stderr}`);
    }
    assert.deepEqual(await versionOf(single.staging), [['3', 0]]);
    assert.deepEqual(await versionOf(single.prod), [['3', 0]]);
    assert.equal(await versionOf(single.dev), 'no table');
    // Up across the fleet, then goto 2 on its shard 0 of 4 only.
    const versions = await Promise.all(tenants.map(versionOf));
    assert.ok(versions.every((rows) => Array.isArray(rows) && rows[0][1] === 0 && ['2', '3'].includes(rows[0][0])));
  } finally {
    for (const name of created) await root.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
    await rm(folder, { recursive: true, force: true });
  }
});
