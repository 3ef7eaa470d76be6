#!/usr/bin/env node
// `npm run sandbox`: try the extension by hand in a real VS Code. Installs the host when needed, bundles the extension,
// copies sandbox/ (a small Go service with golang-migrate migrations and a GORM model) to .sandbox/workspace, creates its
// database on the local MariaDB when reachable with the first migration applied (the model is one field ahead of it,
// as in golang-migrate's tutorial), serves it with code-server and prints the URL to open. Ctrl-C stops everything.
//
//   --port N             serve on this port (default: a free one)
//   --screenshot FILE    open the sandbox in headless Chromium with the Migration Lens view shown, save a picture of
//                        it to FILE, then stop (for checking the sandbox, and for pictures with notifications visible)
// MIGRATION_LENS_HOST_TRUST=1 leaves Workspace Trust on, so the folder first opens in Restricted Mode.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDependencies, ensureVscodeHost } from './setup.mjs';
import { freePort, launchChromium, poll, root, startCodeServer, stopProcessGroup, viewport } from './vscode-host.mjs';

const { values: options } = parseArgs({ options: { port: { type: 'string' }, screenshot: { type: 'string' } } });
const work = path.join(root, '.sandbox');
const workspace = path.join(work, 'workspace');
const userDataDir = path.join(work, 'user-data');
const extensionsDir = path.join(work, 'extensions');

function step(title, command, args) {
  console.log(`sandbox: ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`sandbox: ${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

function prepareFolders() {
  rmSync(work, { recursive: true, force: true });
  cpSync(path.join(root, 'sandbox'), workspace, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const { publisher, name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  // code-server loads an extension from a folder named publisher.name-version; a link keeps it on the live build.
  symlinkSync(root, path.join(extensionsDir, `${publisher}.${name}-${version}`), 'dir');
}

/** Marks the sandbox's own database, so a user's database of the same name is never dropped. */
const SANDBOX_MARK = 'Migration Lens sandbox: dropped and created again by npm run sandbox';

/**
 * Starts the sandbox at version 1: an empty database named by the workspace's .env, then `up 1` with the built command
 * line, so models/user.go (which already has Email) is one migration ahead of the database. A database of that name
 * is dropped only when it carries the sandbox's mark (its comment): any other is left alone, and the sandbox runs
 * without.
 */
async function createDatabase() {
  // Imported here: on a fresh clone these packages exist only once ensureDependencies() has run.
  const { default: dotenv } = await import('dotenv');
  const { default: mysql } = await import('mysql2/promise');
  const env = dotenv.parse(readFileSync(path.join(workspace, '.env')));
  const server = { host: env.DB_HOST, port: Number(env.DB_PORT || 3306), user: env.DB_USER, password: env.DB_PASS };
  const where = `database ${env.DB_NAME} on ${server.host}:${server.port}`;
  let connection;
  try {
    connection = await mysql.createConnection({ ...server, connectTimeout: 3000 });
    const [existing] = await connection.query(
      'SELECT SCHEMA_COMMENT AS mark FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [env.DB_NAME],
    );
    if (existing.length > 0 && existing[0].mark !== SANDBOX_MARK) {
      console.log(`sandbox: ${where} exists and is not the sandbox's own: left alone, the sandbox runs without it`);
      return;
    }
    const name = connection.escapeId(env.DB_NAME);
    await connection.query(`DROP DATABASE IF EXISTS ${name}`);
    await connection.query(
      `CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci COMMENT ${connection.escape(SANDBOX_MARK)}`,
    );
    console.log(`sandbox: created the empty ${where}`);
    const credentials = [env.DB_USER, env.DB_PASS].filter(Boolean).map(encodeURIComponent).join(':');
    const url = `mysql://${credentials}@tcp(${server.host}:${server.port})/${env.DB_NAME}`;
    const cli = path.join(root, 'dist', 'cli.js');
    step('applying the first migration', process.execPath, [
      cli,
      '-path',
      path.join(workspace, 'db', 'migrations'),
      '-database',
      url,
      'up',
      '1',
    ]);
  } catch (error) {
    console.log(`sandbox: no database (${error.code ?? error.message}); the migrations tree works without one`);
  } finally {
    await connection?.end();
  }
}

/** Opens the workbench like a user would, shows the Migration Lens view and saves a picture of the window. */
async function takeScreenshot(url, file) {
  const browser = await launchChromium(server.host.chromium);
  try {
    const page = await browser.newPage({ viewport });
    await page.goto(url);
    const viewButton = page.locator('.activitybar .action-item a[aria-label^="Migration Lens"]');
    await viewButton.waitFor({ timeout: 60_000 });
    await viewButton.click();
    await page.mouse.move(viewport.width / 2, viewport.height / 2);
    const rows = page.locator('[id="workbench.view.extension.migrationLens"] .monaco-list-row');
    await rows.first().waitFor();
    await poll(
      async () =>
        (await page.locator('.monaco-progress-container.active, .workbench-hover, .monaco-hover:visible').count()) ===
          0 && !(await rows.allInnerTexts()).some((text) => /connecting|checking/i.test(text)),
      { timeoutMs: 20_000, message: 'the view to settle (connected, models checked, no progress bar, no hover)' },
    );
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    await page.screenshot({ path: file });
    console.log(`sandbox: screenshot saved to ${file}`);
  } finally {
    await browser.close();
  }
}

let server;
let runDir;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await stopProcessGroup(server?.child);
  if (runDir) rmSync(runDir, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

ensureDependencies();
ensureVscodeHost();
step('bundling the extension', process.execPath, [path.join(root, 'scripts', 'build.mjs')]);
prepareFolders();
await createDatabase();

runDir = mkdtempSync(path.join(os.tmpdir(), 'mls-'));
const log = path.join(work, 'code-server.log');
try {
  server = startCodeServer({
    port: options.port ? Number(options.port) : await freePort(),
    runDir,
    userDataDir,
    extensionsDir,
    smokeTestDriver: false,
    workspaceTrust: process.env.MIGRATION_LENS_HOST_TRUST === '1',
    output: openSync(log, 'a'),
  });
  await server.ready;
} catch (error) {
  console.error(`sandbox: code-server did not start (${error.message}); see ${log}`);
  await stop(1);
}
server.child.on('exit', (code) => {
  if (stopping) return;
  console.error(`sandbox: code-server exited (${code}); see ${log}`);
  void stop(1);
});

const url = `${server.url}/?folder=${encodeURI(workspace)}`;
if (options.screenshot) {
  try {
    await takeScreenshot(url, options.screenshot);
    await stop(0);
  } catch (error) {
    console.error(`sandbox: screenshot failed: ${error.message}`);
    await stop(1);
  }
} else {
  console.log(`\nsandbox: open ${url}\nsandbox: code-server log: ${log}\nsandbox: press Ctrl-C to stop\n`);
}
