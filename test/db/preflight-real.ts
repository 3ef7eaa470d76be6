import type mysql from 'mysql2/promise';
import { effectOf, type Execution } from '../../src/core/preflight-probe';

/** What running a schema change did to a table with rows: left it in place, rebuilt it in place, or copied it. */
export type RealBehaviour = 'in place' | 'rebuild' | 'copy';

/** What a verdict says the server will do, in the same three words. */
export function predictedBehaviour(execution: Execution): RealBehaviour {
  const effect = effectOf(execution);
  return effect.copies ? 'copy' : effect.rebuilds ? 'rebuild' : 'in place';
}

/**
 * Runs `statement` for real and tells what the server did to `table`, from what the server itself reports: a copy
 * counts every row it copies ("Records: N"), and a rebuild in place gives the table a new InnoDB table id.
 */
export async function realBehaviour(
  sql: mysql.Connection,
  database: string,
  table: string,
  statement: string,
): Promise<RealBehaviour> {
  const tableId = async (): Promise<string | undefined> => {
    const [rows] = await sql.query('SELECT TABLE_ID AS id FROM information_schema.INNODB_SYS_TABLES WHERE NAME = ?', [
      `${database}/${table}`,
    ]);
    return (rows as { id: number | string }[])[0]?.id?.toString();
  };
  const before = await tableId();
  const [result] = await sql.query(statement);
  const after = await tableId();
  const affected = Array.isArray(result) ? 0 : ((result as { affectedRows?: number }).affectedRows ?? 0);
  if (affected > 0 || after === undefined) return 'copy';
  return before === after ? 'in place' : 'rebuild';
}
