import { userInfo } from 'node:os';
import type { Direction } from '../core/model';
import type { LedgerEntry, LedgerError, LedgerState } from '../core/safety-drift';
import { MysqlSession } from './mysql/connection';
import type { DatabaseConfig } from './mysql/dsn';
import {
  DEFAULT_LEDGER_TABLE,
  createLedgerTable,
  ledgerTableExists,
  ledgerTime,
  selectLedger,
  upsertLedgerRow,
} from './ledger-sql';

/** Where the ledger lives and whether Migration Lens may create it. */
export interface LedgerSettings {
  /** Default `schema_migrations_lens`. */
  readonly table?: string;
  /** False to never create the table: runs are then recorded only if someone created it. */
  readonly create?: boolean;
}

interface LedgerRow {
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

/** The ledger on its own connection, so recording never interferes with the migration's session and lock. */
export class MigrationLedger {
  private constructor(
    private readonly session: MysqlSession,
    readonly table: string,
    private readonly mayCreate: boolean,
  ) {}

  static async open(config: DatabaseConfig, settings: LedgerSettings = {}): Promise<MigrationLedger> {
    const session = await MysqlSession.open(config);
    return new MigrationLedger(session, settings.table || DEFAULT_LEDGER_TABLE, settings.create ?? true);
  }

  /** Creates the table when allowed; true when it exists afterwards. */
  async prepare(): Promise<boolean> {
    if (this.mayCreate) {
      await this.session.execute(createLedgerTable(this.table));
      return true;
    }
    return this.exists();
  }

  async exists(): Promise<boolean> {
    const [row] = await this.session.rows<{ found: number | string }>(ledgerTableExists(this.table));
    return Number(row?.found) > 0;
  }

  /** Every entry, by version; undefined when the table does not exist (nothing was ever recorded). Never creates it. */
  async entries(): Promise<LedgerEntry[] | undefined> {
    if (!(await this.exists())) return undefined;
    return (await this.session.rows<LedgerRow>(selectLedger(this.table))).map(entryOfRow);
  }

  async recordApplied(
    version: bigint,
    fileName: string | undefined,
    checksums: { raw: string; normalized: string } | undefined,
    durationMs: number,
  ): Promise<void> {
    await this.session.execute(
      upsertLedgerRow(this.table, version, {
        state: 'applied',
        file_name: fileName ?? null,
        up_checksum: checksums?.raw ?? null,
        up_checksum_normalized: checksums?.normalized ?? null,
        applied_at: ledgerTime(new Date()),
        duration_ms: Math.round(durationMs),
        os_user: osUser(),
      }),
    );
  }

  async recordReverted(version: bigint, durationMs: number): Promise<void> {
    await this.session.execute(
      upsertLedgerRow(this.table, version, {
        state: 'reverted',
        duration_ms: Math.round(durationMs),
        os_user: osUser(),
      }),
    );
  }

  async recordFailed(version: bigint, failure: LedgerError, durationMs: number): Promise<void> {
    await this.session.execute(
      upsertLedgerRow(this.table, version, {
        state: 'failed',
        duration_ms: Math.round(durationMs),
        os_user: osUser(),
        last_error: failure.message,
        last_error_direction: failure.direction,
        last_error_file_name: failure.fileName ?? null,
        last_error_statement: failure.statementIndex ?? null,
        last_error_line: failure.line ?? null,
        last_error_at: ledgerTime(failure.at ?? new Date()),
      }),
    );
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}

/** Reads the ledger once (undefined when it does not exist) and disconnects. */
export async function readLedger(
  config: DatabaseConfig,
  settings: LedgerSettings = {},
): Promise<LedgerEntry[] | undefined> {
  const ledger = await MigrationLedger.open(config, settings);
  try {
    return await ledger.entries();
  } finally {
    await ledger.close();
  }
}

/** The OS account running Migration Lens; some containers have no passwd entry for it. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
  }
}

function entryOfRow(row: LedgerRow): LedgerEntry {
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
