// The pieces shared by the host-test launcher and the sandbox: where the installed code-server lives, how to start it
// quietly in its own process group, how to stop everything it started, and how to open Chromium on it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');

function hostCache() {
  if (process.env.MIGRATION_LENS_HOST_CACHE) return process.env.MIGRATION_LENS_HOST_CACHE;
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'migration-lens', 'vscode-host');
}

/** The paths the install script recorded after a complete install, or an error saying how to install. */
export function installedHost() {
  const marker = path.join(hostCache(), 'installed.json');
  if (!existsSync(marker)) {
    throw new Error(`VS Code host not installed (no ${marker}): run scripts/install-vscode-host.sh`);
  }
  return JSON.parse(readFileSync(marker, 'utf8'));
}

// Keeps the screen free of welcome pages, tips, chat and update prompts, so screenshots show only the extension.
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'git.openRepositoryInParentFolders': 'never',
  // The web build saves a second after each edit; desktop VS Code, which users run, saves only when asked.
  'files.autoSave': 'off',
};

/** Adds the quiet settings and `userSettings` to the user settings of a user-data dir, keeping any setting already there. */
function writeQuietSettings(userDataDir, userSettings) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  mkdirSync(path.dirname(file), { recursive: true });
  const existing = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8') || '{}') : {};
  writeFileSync(file, JSON.stringify({ ...quietSettings, ...userSettings, ...existing }, null, 2));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function poll(check, { timeoutMs, intervalMs = 100, message }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Starts code-server detached in its own process group, with its own XDG folders and a short TMPDIR under runDir
 * (unix socket paths are limited to about 107 bytes). Returns at once, so the caller can stop the group even while
 * waiting; `ready` resolves once /healthz answers.
 */
export function startCodeServer({
  port,
  runDir,
  userDataDir,
  extensionsDir,
  smokeTestDriver,
  workspaceTrust,
  userSettings = {},
  output = 'ignore',
}) {
  const host = installedHost();
  const dirs = {};
  for (const name of ['config', 'data', 'cache', 'tmp']) {
    dirs[name] = path.join(runDir, name);
    mkdirSync(dirs[name], { recursive: true });
  }
  mkdirSync(extensionsDir, { recursive: true });
  writeQuietSettings(userDataDir, userSettings);
  const config = path.join(runDir, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    host.codeServer,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--config',
    config,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--reconnection-grace-time',
    '5',
  ];
  if (!workspaceTrust) args.push('--disable-workspace-trust');
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const child = spawn(host.node, args, {
    detached: true,
    stdio: ['ignore', output, output],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: dirs.config,
      XDG_DATA_HOME: dirs.data,
      XDG_CACHE_HOME: dirs.cache,
      TMPDIR: dirs.tmp,
    },
  });
  let exited = null;
  child.on('exit', (code, signal) => (exited = code ?? signal));
  const url = `http://127.0.0.1:${port}`;
  const ready = poll(
    async () => {
      if (exited !== null) throw new Error(`code-server exited early (${exited})`);
      try {
        return (await fetch(`${url}/healthz`)).ok;
      } catch {
        return false;
      }
    },
    { timeoutMs: 60_000, message: `code-server on ${url}/healthz` },
  );
  return { child, port, url, host, ready };
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a detached child and everything it started: SIGTERM to the group, then SIGKILL if it lingers past graceMs.
 * With graceMs 0 the group is killed at once (for throwaway test servers).
 */
export async function stopProcessGroup(child, graceMs = 2000) {
  if (!child?.pid || !groupAlive(child.pid)) return;
  try {
    if (graceMs > 0) {
      process.kill(-child.pid, 'SIGTERM');
      await poll(() => !groupAlive(child.pid), { timeoutMs: graceMs, intervalMs: 50, message: 'process group exit' });
    }
  } catch {
    // still running after the grace period: killed below
  }
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium(executablePath) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: chromiumArgs, headless: true });
}

export const viewport = { width: 1400, height: 900 };
