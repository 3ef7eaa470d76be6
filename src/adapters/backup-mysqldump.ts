import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseConfig } from './mysql/dsn';

/** The first of `mysqldump` / `mariadb-dump` found on PATH, or undefined. */
export async function findMysqldump(searchPath = process.env['PATH'] ?? ''): Promise<string | undefined> {
  for (const folder of searchPath.split(path.delimiter).filter(Boolean)) {
    for (const name of ['mysqldump', 'mariadb-dump']) {
      const candidate = path.join(folder, name);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        continue;
      }
    }
  }
  return undefined;
}

/**
 * Runs mysqldump for `tables` of `database` (all of them when undefined) into `outputFile`. The credentials go into an option
 * file readable only by this user, passed with `--defaults-extra-file`, so they never appear in the process list. The
 * output file is created first, readable only by this user: mysqldump keeps the mode of a file it writes over.
 */
export async function writeMysqldump(
  executable: string,
  server: DatabaseConfig,
  database: string,
  tables: readonly string[] | undefined,
  outputFile: string,
): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'migration-lens-'));
  const optionFile = path.join(folder, 'client.cnf');
  try {
    await writeFile(optionFile, clientOptionFile(server), { mode: 0o600 });
    await writeFile(outputFile, '', { flag: 'wx', mode: 0o600 });
    const args = [
      `--defaults-extra-file=${optionFile}`,
      '--single-transaction',
      '--hex-blob',
      '--tz-utc',
      '--skip-comments',
      `--result-file=${outputFile}`,
      '--',
      database,
      ...(tables ?? []),
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(executable, args, { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
        if (error) reject(new Error(`mysqldump failed: ${stderr.trim() || error.message}`));
        else resolve();
      });
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * A `[client]` group for the server, user and TLS files of the URL; values are quoted with the option-file escapes so
 * any password is read back unchanged.
 */
export function clientOptionFile(server: DatabaseConfig): string {
  const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const lines = ['[client]', `user=${quote(server.user)}`, `password=${quote(server.password)}`];
  if (server.endpoint.kind === 'unix') lines.push('protocol=SOCKET', `socket=${quote(server.endpoint.socketPath)}`);
  else lines.push('protocol=TCP', `host=${quote(server.endpoint.host)}`, `port=${server.endpoint.port}`);
  const tls = server.tls;
  if (tls.kind === 'verify') lines.push('ssl-verify-server-cert');
  if (tls.kind === 'custom') {
    lines.push(`ssl-ca=${quote(tls.caFile)}`);
    if (tls.certFile !== undefined) lines.push(`ssl-cert=${quote(tls.certFile)}`);
    if (tls.keyFile !== undefined) lines.push(`ssl-key=${quote(tls.keyFile)}`);
    if (!tls.insecureSkipVerify) lines.push('ssl-verify-server-cert');
  }
  return `${lines.join('\n')}\n`;
}
