/**
 * The ledger Migration Lens keeps beside golang-migrate's version table: what each run recorded, as rows of SQL text
 * for the version table's transaction, and the rows read back as the core's ledger entries.
 */
import { userInfo } from 'node:os';
import type { Direction } from '../core/model';
import type { LedgerRecord } from '../core/run-ports';
import type { LedgerEntry, LedgerError, LedgerState } from '../core/safety-drift';
import { ledgerTime, upsertLedgerRow } from './ledger-sql';

/** Where the ledger lives and whether Migration Lens may create it. */
export interface LedgerSettings {
  /** Default `<migrations table>_lens` (`schema_migrations_lens`). */
  readonly table?: string;
  /** False to never create the table: runs are then recorded only if someone created it. */
  readonly create?: boolean;
}

export interface LedgerRow {
  version: string | number;
  state: string;
  file_name: string | null;
  up_checksum: string | null;
  up_checksum_normalized: string | null;
  applied_at: string | null;
  duration_ms: string | number | null;
  os_user: string | null;
  last_error: string | null;
  last_error_direction: string | null;
  last_error_file_name: string | null;
  last_error_statement: number | null;
  last_error_line: number | null;
  last_error_at: string | null;
}

/** The statement that records `record` in the ledger table `table` of `database`. */
export function ledgerRecordStatement(database: string, table: string, record: LedgerRecord): string {
  const durationMs = Math.round(record.durationMs);
  switch (record.kind) {
    case 'applied':
      return upsertLedgerRow(database, table, record.version, {
        state: 'applied',
        file_name: record.fileName ?? null,
        up_checksum: record.checksums?.raw ?? null,
        up_checksum_normalized: record.checksums?.normalized ?? null,
        applied_at: ledgerTime(new Date()),
        duration_ms: durationMs,
        os_user: osUser(),
      });
    case 'reverted':
      return upsertLedgerRow(database, table, record.version, {
        state: 'reverted',
        duration_ms: durationMs,
        os_user: osUser(),
      });
    case 'failed': {
      const { failure } = record;
      return upsertLedgerRow(database, table, record.version, {
        state: 'failed',
        duration_ms: durationMs,
        os_user: osUser(),
        last_error: failure.message,
        last_error_direction: failure.direction,
        last_error_file_name: failure.fileName ?? null,
        last_error_statement: failure.statementIndex ?? null,
        last_error_line: failure.line ?? null,
        last_error_at: ledgerTime(failure.at ?? new Date()),
      });
    }
  }
}

/**
 * The OS account running Migration Lens; some containers have no passwd entry for it. Looked up once: every lookup
 * reads the passwd database, and a run writes a ledger row per migration.
 */
function osUser(): string {
  osUserName ??= accountName();
  return osUserName;
}

let osUserName: string | undefined;

function accountName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
  }
}

export function ledgerEntryOfRow(row: LedgerRow): LedgerEntry {
  const lastError: LedgerError | undefined =
    row.last_error === null
      ? undefined
      : {
          direction: (row.last_error_direction === 'down' ? 'down' : 'up') satisfies Direction,
          message: row.last_error,
          ...(row.last_error_file_name !== null && { fileName: row.last_error_file_name }),
          ...(row.last_error_statement !== null && { statementIndex: Number(row.last_error_statement) }),
          ...(row.last_error_line !== null && { line: Number(row.last_error_line) }),
          ...(row.last_error_at !== null && { at: utcDate(row.last_error_at) }),
        };
  return {
    version: BigInt(row.version),
    state: (['applied', 'failed', 'reverted'].includes(row.state) ? row.state : 'failed') as LedgerState,
    ...(row.file_name !== null && { fileName: row.file_name }),
    ...(row.up_checksum !== null && { upChecksum: row.up_checksum }),
    ...(row.up_checksum_normalized !== null && { upChecksumNormalized: row.up_checksum_normalized }),
    ...(row.applied_at !== null && { appliedAt: utcDate(row.applied_at) }),
    ...(row.duration_ms !== null && { durationMs: Number(row.duration_ms) }),
    ...(row.os_user !== null && { osUser: row.os_user }),
    ...(lastError && { lastError }),
  };
}

function utcDate(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}Z`);
}
