import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { MysqlSession } from './mysql/connection';
import { showCreateTable } from './mysql/sql';
import {
  DUMP_FOOTER,
  DUMP_HEADER,
  DUMP_SESSION_TIME_ZONE,
  listColumns,
  listTables,
  dropTableStatement,
  dropViewStatement,
  insertPrefix,
  rowLiteral,
  selectRows,
  type ColumnEncoding,
  type DumpColumn,
} from './backup-sql';

/** An INSERT statement is closed once it holds this many characters, well under the server's default packet size. */
const INSERT_TARGET_LENGTH = 512 * 1024;

const NUMBER_TYPES = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'bigint',
  'decimal',
  'float',
  'double',
  'year',
]);
const HEX_TYPES = new Set([
  'binary',
  'varbinary',
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
]);

export interface DumpedTable {
  readonly name: string;
  readonly rows: number;
}

export interface DumpSummary {
  readonly tables: readonly DumpedTable[];
  readonly views: readonly string[];
}

/** A table or view as `listTables` gives it. */
export interface ListedTable {
  readonly name: string;
  readonly type: string;
}

interface ListedColumn {
  readonly name: string;
  readonly dataType: string;
  readonly extra: string;
}

/**
 * Writes a restorable SQL dump of `tables` (every table and view of the database when `tables` is undefined) without
 * mysqldump: each table's `SHOW CREATE TABLE`, then its rows as INSERT statements read through a query stream, so
 * memory stays flat whatever the table's size. Names in `tables` that are not in the database are skipped.
 */
export async function writeBuiltinDump(
  session: MysqlSession,
  database: string,
  tables: readonly string[] | undefined,
  outputFile: string,
): Promise<DumpSummary> {
  const wanted = tables && new Set(tables);
  const listed = (await session.rows<ListedTable>(listTables(database))).filter(
    (table) => !wanted || wanted.has(table.name),
  );
  return writeListedDump(session, database, listed, outputFile);
}

/** `writeBuiltinDump` of tables and views already listed (by `listTables`), in that order. */
export async function writeListedDump(
  session: MysqlSession,
  database: string,
  listed: readonly ListedTable[],
  outputFile: string,
): Promise<DumpSummary> {
  await session.execute(DUMP_SESSION_TIME_ZONE);
  // Readable by this user only from the moment it exists: a backup holds the tables' data.
  const output = createWriteStream(outputFile, { flags: 'wx', mode: 0o600 });
  const finished = once(output, 'close');
  try {
    await write(output, `-- Migration Lens backup of ${database}\n${DUMP_HEADER.join('\n')}\n\n`);
    const dumped: DumpedTable[] = [];
    const views: string[] = [];
    for (const table of listed) {
      if (table.type === 'VIEW') {
        views.push(table.name);
        continue;
      }
      dumped.push({ name: table.name, rows: await dumpTable(session, database, table.name, output) });
    }
    for (const view of views) await dumpView(session, database, view, output);
    await write(output, `${DUMP_FOOTER.join('\n')}\n`);
    output.end();
    await finished;
    return { tables: dumped, views };
  } catch (error) {
    output.destroy();
    throw error;
  }
}

async function dumpTable(session: MysqlSession, database: string, table: string, output: WriteStream) {
  const [created] = await session.rows<{ 'Create Table': string }>(showCreateTable(database, table));
  await write(output, `${dropTableStatement(table)}\n${created['Create Table']};\n\n`);
  const columns = (await session.rows<ListedColumn>(listColumns(database, table)))
    .filter((column) => !/\bGENERATED\b/i.test(column.extra))
    .map((column): DumpColumn => ({ name: column.name, encoding: encodingOf(column.dataType) }));
  const prefix = insertPrefix(table, columns);
  const quoteString = (value: string) => session.quoteString(value);
  let rows = 0;
  let pending = '';
  for await (const row of session.streamTextRows(selectRows(database, table, columns))) {
    const literal = rowLiteral(row, columns, quoteString);
    pending = pending === '' ? prefix + literal : `${pending},\n${literal}`;
    rows++;
    if (pending.length >= INSERT_TARGET_LENGTH) {
      await write(output, `${pending};\n`);
      pending = '';
    }
  }
  if (pending !== '') await write(output, `${pending};\n`);
  await write(output, '\n');
  return rows;
}

async function dumpView(session: MysqlSession, database: string, view: string, output: WriteStream) {
  const [created] = await session.rows<{ 'Create View': string }>(showCreateTable(database, view));
  await write(output, `${dropViewStatement(view)}\n${created['Create View']};\n\n`);
}

function encodingOf(dataType: string): ColumnEncoding {
  const type = dataType.toLowerCase();
  if (NUMBER_TYPES.has(type)) return 'number';
  if (type === 'bit') return 'bits';
  if (HEX_TYPES.has(type)) return 'hex';
  return 'text';
}

async function write(output: WriteStream, text: string): Promise<void> {
  if (!output.write(text)) await once(output, 'drain');
}
