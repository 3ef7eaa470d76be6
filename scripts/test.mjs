#!/usr/bin/env node
// Runs every check in the order CI wants them, cheapest first, and closes with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureDependencies, ensureMariadb, ensureVscodeHost, root } from './setup.mjs';

const reports = path.join(root, 'out', 'test-reports');
const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const failures = [];

function run(title, command, args, { env } = {}) {
  if (only.length > 0 && !only.includes(title)) return true;
  console.log(`\n== ${title}: ${[command, ...args].join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  console.log(
    `== ${title}: ${ok ? 'ok' : `failed (exit ${result.status ?? result.signal})`} in ${Date.now() - started} ms`,
  );
  if (!ok) failures.push(title);
  return ok;
}

function countTap(file) {
  if (!existsSync(file)) return;
  const tap = readFileSync(file, 'utf8');
  passed += Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
  failed += Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0);
}

function testFiles(folder) {
  const absolute = path.join(root, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true })
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => path.join(folder, name))
    .sort();
}

function nodeTests(title, folder, extra = []) {
  const files = testFiles(folder);
  if (files.length === 0) return true;
  const tap = path.join(reports, `${title}.tap`);
  rmSync(tap, { force: true });
  const ok = run(title, process.execPath, [
    '--test',
    ...extra,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  countTap(tap);
  return ok;
}

ensureDependencies();
if (only.length === 0 || only.includes('db') || only.includes('host')) await ensureMariadb();
if (only.length === 0 || only.includes('host')) ensureVscodeHost();
mkdirSync(reports, { recursive: true });
run('lint', 'npx', ['eslint', '.']);
run('format', 'npx', ['prettier', '--check', '.']);
// compile type-checks as it emits: a type error fails it, and nothing after it runs.
if (run('compile', 'npx', ['tsc', '-p', 'tsconfig.json']) && run('build', process.execPath, ['scripts/build.mjs'])) {
  nodeTests('unit', 'out/test/unit');
  nodeTests('db', 'out/test/db', ['--test-concurrency=2']);
  const hostReport = path.join(reports, 'host.json');
  rmSync(hostReport, { force: true });
  run('host', process.execPath, ['scripts/host-tests.mjs'], { env: { MIGRATION_LENS_HOST_REPORT: hostReport } });
  if (existsSync(hostReport)) {
    const counts = JSON.parse(readFileSync(hostReport, 'utf8'));
    passed += counts.passed;
    failed += counts.failed;
  }
}

if (failures.length > 0) console.log(`\nfailed stages: ${failures.join(', ')}`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failures.length > 0 || failed > 0 ? 1 : 0);
