#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests() starts: it takes the same arguments,
// serves the workspace with code-server, opens the workbench in headless Chromium with the extension-test payload,
// forwards the test output, takes screenshots and types into input boxes on request, and exits with the extension
// host's exit code.
//
// Environment:
//   MIGRATION_LENS_HOST_TRUST=1        leave Workspace Trust on (the folder then opens in Restricted Mode)
//   MIGRATION_LENS_HOST_TIMEOUT_MS     hard bound for the whole run (default 300000)
//   MIGRATION_LENS_HOST_RESULT         file that receives the test counts the index prints
//   MIGRATION_LENS_HOST_VERBOSE=1      also print the workbench's own log lines and code-server's output
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { freePort, launchChromium, startCodeServer, stopProcessGroup, viewport } from './vscode-host.mjs';

const SCREENSHOT_MARKER = '__SCREENSHOT__ ';
const TYPE_MARKER = '__TYPE__ ';
const RESULT_MARKER = '__RESULT__ ';
const verbose = process.env.MIGRATION_LENS_HOST_VERBOSE === '1';
const workspaceTrust = process.env.MIGRATION_LENS_HOST_TRUST === '1';
const timeoutMs = Number(process.env.MIGRATION_LENS_HOST_TIMEOUT_MS || 300_000);

function parseArguments(argv) {
  const options = { workspace: undefined };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const match = /^--([^=]+)(?:=(.*))?$/.exec(argument);
    if (!match) {
      options.workspace = path.resolve(argument);
      continue;
    }
    const [, name, inline] = match;
    if (['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir'].includes(name)) {
      options[name] = path.resolve(inline ?? argv[++index]);
    }
  }
  for (const required of ['extensionDevelopmentPath', 'extensionTestsPath']) {
    if (!options[required]) throw new Error(`missing --${required}=`);
  }
  return options;
}

// The workbench logs its own start-up chatter through the same channel as the tests; keep only what tests print.
const workbenchNoise = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^\[[\w :-]+\] /, // tagged workbench components: [Service Worker], [AgentHost:remote], [AccountPolicyGate], ...
  /^getaddrinfo ENOTFOUND/, // the marketplace and other online services are unreachable on purpose
  /^Timed out waiting for authentication provider/,
  /^\s*$/,
];

function isNoise(level, line) {
  if (line.startsWith(SCREENSHOT_MARKER) || line.startsWith(RESULT_MARKER)) return false;
  if (line.startsWith(TYPE_MARKER)) return true;
  if (level === 'trace' || level === 'debug') return true;
  // Only the first line decides: a mocha failure report is one multi-line entry that may quote workbench stacks.
  const firstLine = line.split('\n', 1)[0];
  return workbenchNoise.some((pattern) => pattern.test(firstLine));
}

const options = parseArguments(process.argv.slice(2));
const runDir = mkdtempSync(path.join(os.tmpdir(), 'mlh-'));
const userDataDir = options['user-data-dir'] ?? path.join(runDir, 'user-data');
const extensionsDir = options['extensions-dir'] ?? path.join(runDir, 'extensions');
let server;
let browser;
let finishing = false;
const launched = Date.now();

function phase(title) {
  if (verbose) console.log(`vscode-host-launcher: ${title} after ${Date.now() - launched} ms`);
}

async function finish(code, reason) {
  if (finishing) return;
  finishing = true;
  phase(`finishing (exit ${code})`);
  if (reason) console.error(`vscode-host-launcher: ${reason}`);
  await Promise.race([browser?.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5000))]);
  // The server's state is thrown away with the run, so there is nothing to shut down gracefully.
  await stopProcessGroup(server?.child, 0);
  rmSync(runDir, { recursive: true, force: true });
  phase('stopped');
  process.exit(code);
}

process.on('SIGINT', () => void finish(130, 'interrupted'));
process.on('SIGTERM', () => void finish(143, 'terminated'));
setTimeout(() => void finish(124, `timed out after ${timeoutMs} ms`), timeoutMs).unref();
// runTests() does not pass SIGTERM on to us: if whoever started us is gone, nobody is waiting for the result.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && void finish(1, 'the process that started the run is gone'), 1000).unref();

async function takeScreenshot(page, file) {
  const partial = `${file}.partial.png`;
  try {
    await page.screenshot({ path: partial });
    renameSync(partial, file);
  } catch (error) {
    console.error(`vscode-host-launcher: screenshot ${file} failed: ${error.message}`);
  }
}

/**
 * Types the text of `file` into the input box the workbench shows next, and presses Enter: what a user types where the
 * test API cannot (a password prompt). The text comes in a file, deleted once read, so it never reaches a log line.
 */
async function typeIntoInputBox(page, file) {
  try {
    const text = readFileSync(file, 'utf8');
    rmSync(file);
    const input = page.locator('.quick-input-widget .quick-input-box input').first();
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    await input.fill(text);
    await input.press('Enter');
  } catch (error) {
    console.error(`vscode-host-launcher: typing into the input box failed: ${error.message}`);
  }
}

function recordResult(line) {
  const file = process.env.MIGRATION_LENS_HOST_RESULT;
  if (file) writeFileSync(file, line.slice(RESULT_MARKER.length));
}

try {
  server = startCodeServer({
    port: await freePort(),
    runDir,
    userDataDir,
    extensionsDir,
    smokeTestDriver: true,
    workspaceTrust,
    // Background preflight connects and makes a scratch database whenever a folder has pending versions: off, so
    // each suite's database sees only what the suite does; the preflight suite turns it on for its folder.
    userSettings: { 'migrationLens.preflight.diagnostics': false },
    output: verbose ? 'inherit' : 'ignore',
  });
  // Chromium starts while code-server does; kept in `browser` at once so finish() can close it.
  const starting = launchChromium(server.host.chromium).then((started) => (browser = started));
  await Promise.all([server.ready, starting]);
  phase('code-server and Chromium ready');
  // Clipboard access, as a user grants it to the page: the extension's clipboard writes go through it.
  const context = await browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const exitCode = new Promise((resolve) => {
    void page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
  });
  await page.exposeFunction('codeAutomationLog', (level, args) => {
    const line = format(...(Array.isArray(args) ? args : [args]));
    if (line.startsWith(SCREENSHOT_MARKER)) return takeScreenshot(page, line.slice(SCREENSHOT_MARKER.length).trim());
    if (line.startsWith(TYPE_MARKER)) return typeIntoInputBox(page, line.slice(TYPE_MARKER.length).trim());
    if (line.startsWith(RESULT_MARKER)) recordResult(line);
    if (verbose || !isNoise(level, line)) (level === 'error' ? console.error : console.log)(line);
  });
  page.on('crash', () => void finish(1, 'the workbench page crashed'));
  server.child.on('exit', (code) => void finish(1, `code-server exited (${code})`));

  const authority = `127.0.0.1:${server.port}`;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${authority}${options.extensionDevelopmentPath}`],
    ['extensionTestsPath', `vscode-remote://${authority}${options.extensionTestsPath}`],
  ];
  const query = new URLSearchParams();
  if (options.workspace) {
    query.set(options.workspace.endsWith('.code-workspace') ? 'workspace' : 'folder', options.workspace);
  } else {
    query.set('ew', 'true');
  }
  query.set('payload', JSON.stringify(payload));
  await page.goto(`${server.url}/?${query.toString()}`);
  phase('workbench page loaded');
  await finish(await exitCode);
} catch (error) {
  await finish(1, error.stack ?? String(error));
}
