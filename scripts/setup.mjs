// What a fresh clone needs before it can test or run the sandbox, done on demand and quickly skipped when done:
// npm packages, a running MariaDB, and the real VS Code the host tests and the sandbox use. Only Node built-ins here,
// since this runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');

function run(title, command, args) {
  console.log(`setup: ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`setup: ${title} failed (exit ${result.status ?? result.signal})`);
}

/** `npm ci` when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  run('installing npm packages', 'npm', ['ci', '--no-audit', '--no-fund']);
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    const answer = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => answer(true));
    socket.once('timeout', () => answer(false));
    socket.once('error', () => answer(false));
  });
}

/** Starts the machine's MariaDB when nothing listens on 3306, and waits for it. */
export async function ensureMariadb() {
  if (await portOpen(3306)) return;
  const daemon = '/usr/sbin/mariadbd';
  if (!existsSync(daemon)) {
    console.log('setup: MariaDB is not listening on 127.0.0.1:3306 and is not installed; database tests will fail');
    return;
  }
  run('starting MariaDB', 'start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', daemon]);
  for (let attempt = 0; attempt < 60; attempt += 1) {
    if (await portOpen(3306)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('setup: MariaDB did not start listening on 127.0.0.1:3306 within 30 s');
}

/** Installs code-server and Chromium for the host tests and the sandbox (a no-op when installed). */
export function ensureVscodeHost() {
  run('checking the VS Code host', 'bash', [path.join(root, 'scripts', 'install-vscode-host.sh')]);
}
