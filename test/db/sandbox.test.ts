/**
 * `npm run sandbox`, the README's command, in its screenshot mode: it names the database it uses, creates it with
 * its mark, and never drops a database of that name that is not its own. Like `npm run sandbox`, it replaces .sandbox/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import mysql from 'mysql2/promise';
import { readmeBlock } from './readme';
import { TEST_SERVER } from './support';

const ROOT = path.resolve(__dirname, '../../..');
const SANDBOX_DATABASE = /^DB_NAME=(.+)$/m.exec(readFileSync(path.join(ROOT, 'sandbox', '.env'), 'utf8'))![1];

/** The README's command, in its screenshot mode: it stops once the picture is taken. */
const SANDBOX_COMMAND = readmeBlock('Set-up and tests', 0).find((command) => command.startsWith('npm run sandbox'))!;

function runSandbox(screenshot: string) {
  const run = spawnSync('/bin/sh', ['-c', `${SANDBOX_COMMAND} -- --screenshot '${screenshot}'`], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

void test("the sandbox prints its database's name and leaves a database of that name that is not its own", async () => {
  const sql = await mysql.createConnection(TEST_SERVER);
  const screenshot = path.join(tmpdir(), `ml-sandbox-${process.pid}.png`);
  const name = sql.escapeId(SANDBOX_DATABASE);
  try {
    // A user's database that happens to have the sandbox's name: no mark.
    await sql.query(`DROP DATABASE IF EXISTS ${name}`);
    await sql.query(`CREATE DATABASE ${name}`);
    await sql.query(`CREATE TABLE ${name}.customers (id INT)`);
    const refused = runSandbox(screenshot);
    assert.equal(refused.status, 0, refused.output);
    assert.match(refused.output, new RegExp(`database ${SANDBOX_DATABASE} on .* is not the sandbox's own: left alone`));
    const [tables] = await sql.query(`SHOW TABLES FROM ${name}`);
    assert.equal((tables as unknown[]).length, 1, "the user's table is still there");

    await sql.query(`DROP DATABASE ${name}`);
    const created = runSandbox(screenshot);
    assert.equal(created.status, 0, created.output);
    assert.match(created.output, new RegExp(`created the empty database ${SANDBOX_DATABASE} on `));
    assert.ok(existsSync(screenshot));
    const [marked] = await sql.query(
      'SELECT SCHEMA_COMMENT AS mark FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [SANDBOX_DATABASE],
    );
    assert.match((marked as { mark: string }[])[0].mark, /^Migration Lens sandbox/, 'marked as the sandbox own');
  } finally {
    await sql.query(`DROP DATABASE IF EXISTS ${name}`);
    await sql.end();
    rmSync(screenshot, { force: true });
  }
});
