import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeBuiltinDump } from '../../src/adapters/backup-dump';
import { findMysqldump, writeMysqldump } from '../../src/adapters/backup-mysqldump';
import { MysqlSession } from '../../src/adapters/mysql/connection';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { TEST_SERVER, createTestDatabase, type TestDatabase } from './support';

const SCHEMA = `
CREATE TABLE every_type (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  big BIGINT UNSIGNED NULL,
  exact DECIMAL(30,10) NULL,
  single FLOAT NULL,
  wide DOUBLE NULL,
  label VARCHAR(100) NULL,
  body TEXT NULL,
  latin VARCHAR(20) CHARACTER SET latin1 NULL,
  bytes BLOB NULL,
  fixed BINARY(4) NULL,
  varied VARBINARY(16) NULL,
  day DATE NULL,
  moment DATETIME(6) NULL,
  stamp TIMESTAMP(3) NULL DEFAULT NULL,
  span TIME(6) NULL,
  yr YEAR NULL,
  flags BIT(5) NULL,
  mood ENUM('sad','ok','happy') NULL,
  tags SET('a','b','c') NULL,
  doc JSON NULL,
  shout VARCHAR(110) AS (UPPER(label)) VIRTUAL
) DEFAULT CHARSET = utf8mb4;
CREATE TABLE \`odd\`\`name\` (k VARCHAR(10) PRIMARY KEY, v MEDIUMBLOB NULL);
CREATE TABLE bulk (id INT PRIMARY KEY, filler VARCHAR(400) NOT NULL);
CREATE VIEW happy AS SELECT id, label FROM every_type WHERE mood = 'happy';
`;

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

async function fill(db: TestDatabase): Promise<void> {
  await db.sql.query(SCHEMA);
  await db.sql.query("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO', time_zone = '+02:00'");
  await db.sql.query(
    `INSERT INTO every_type (id, big, exact, single, wide, label, body, latin, bytes, fixed, varied, day, moment,
       stamp, span, yr, flags, mood, tags, doc) VALUES
     (0, 18446744073709551615, -12345678901234567890.0123456789, 3.14159, 0.1, 'zero id', '', 'caf\u00e9', ?, ?, '',
       '0000-00-00', '1000-01-01 00:00:00.000001', '2038-01-19 05:14:07.999', '-838:59:59.000000', 1901, b'10101',
       'happy', 'a,c', '{"k": [1, 2, "\u00fc"]}'),
     (2, 0, 0, -1.5e-30, 1.7976931348623157e308, ?, ?, NULL, ?, NULL, ?, '9999-12-31', '2024-02-29 23:59:59.5',
       '1970-01-01 02:00:01', '00:00:00.000001', 2155, b'00000', 'sad', '', 'null'),
     (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL)`,
    [
      ALL_BYTES,
      Buffer.from([0, 0x27, 0x5c, 0xff]),
      '\u00e9t\u00e9 \u{1F600} \u4e2d\u6587 \'quoted\' "double" back\\slash',
      "line1\nline2\r\n\ttab \u0000 nul \u001a ctrl-z '; DROP TABLE bulk; --",
      Buffer.alloc(0),
      Buffer.from('\u{1F680}'),
    ],
  );
  await db.sql.query("INSERT INTO `odd``name` VALUES ('x''y', ?), ('plain', NULL)", [Buffer.alloc(70_000, 0xab)]);
  const rows = Array.from({ length: 3000 }, (_, i) => [i, `${i}:`.padEnd(300, '\u00e5')]);
  await db.sql.query('INSERT INTO bulk VALUES ?', [rows]);
}

/** Every row of every table with every column as raw bytes, so equality is exact whatever the type. */
async function snapshot(db: TestDatabase): Promise<Record<string, unknown[]>> {
  const tables = ['every_type', 'odd`name', 'bulk'];
  const result: Record<string, unknown[]> = {};
  for (const table of tables) {
    const [rows] = await db.sql.query({
      sql: `SELECT * FROM \`${table.replace(/`/g, '``')}\` ORDER BY 1`,
      rowsAsArray: true,
      typeCast: (field) => field.buffer(),
    });
    result[table] = rows as unknown[];
  }
  const [view] = await db.sql.query('SELECT * FROM happy ORDER BY id');
  result['happy'] = view as unknown[];
  return result;
}

/** Loads the dump into a fresh database and compares every row with `original`, the source's snapshot. */
async function assertRestoresIdentically(file: string, label: string, original: unknown): Promise<void> {
  const copy = await createTestDatabase(label);
  try {
    await copy.sql.query(await readFile(file, 'utf8'));
    await copy.sql.query("SET SESSION time_zone = '+00:00'");
    assert.deepEqual(await snapshot(copy), original);
  } finally {
    await copy.drop();
  }
}

void describe('backups before going down', () => {
  let source: TestDatabase;
  let folder: string;
  let original: Record<string, unknown[]>;

  before(async () => {
    source = await createTestDatabase('backup_source');
    folder = await mkdtemp(path.join(tmpdir(), 'ml-backup-'));
    await fill(source);
    await source.sql.query("SET SESSION time_zone = '+00:00'");
    original = await snapshot(source);
  });

  after(async () => {
    await source.drop();
    await rm(folder, { recursive: true, force: true });
  });

  void it('restores a built-in dump into a fresh database with every row identical', async () => {
    const file = path.join(folder, 'builtin.sql');
    const session = await MysqlSession.open(parseDatabaseUrl(source.url));
    let summary;
    try {
      summary = await writeBuiltinDump(session, source.name, undefined, file);
    } finally {
      await session.close();
    }
    assert.deepEqual(summary, {
      tables: [
        { name: 'bulk', rows: 3000 },
        { name: 'every_type', rows: 3 },
        { name: 'odd`name', rows: 2 },
      ],
      views: ['happy'],
    });
    const dump = await readFile(file, 'utf8');
    assert.ok((dump.match(/^INSERT INTO `bulk`/gm) ?? []).length >= 2, 'a large table is split into several INSERTs');

    await assertRestoresIdentically(file, 'backup_builtin_copy', original);
  });

  void it('dumps only the tables asked for, skipping names that do not exist', async () => {
    const file = path.join(folder, 'some.sql');
    const session = await MysqlSession.open(parseDatabaseUrl(source.url));
    try {
      const summary = await writeBuiltinDump(session, source.name, ['odd`name', 'gone'], file);
      assert.deepEqual(summary, { tables: [{ name: 'odd`name', rows: 2 }], views: [] });
    } finally {
      await session.close();
    }
    const dump = await readFile(file, 'utf8');
    assert.doesNotMatch(dump, /`bulk`|`every_type`/);
  });

  void it('restores a mysqldump backup with every row identical, the password kept off its command line', async (t) => {
    const executable = await findMysqldump();
    if (!executable) return t.skip('mysqldump is not on PATH');
    // A user whose password needs every kind of quoting, and a wrapper that records the arguments mysqldump gets.
    const user = `ml_dump_${process.pid}`;
    const password = `p"a\\s s'w#;x`;
    await source.sql.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
    await source.sql.query(`GRANT SELECT, SHOW VIEW, LOCK TABLES ON \`${source.name}\`.* TO ?@?`, [user, '%']);
    const argsFile = path.join(folder, 'args.txt');
    const wrapper = path.join(folder, 'mysqldump-wrapper.sh');
    await writeFile(wrapper, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nexec '${executable}' "$@"\n`, {
      mode: 0o755,
    });
    const file = path.join(folder, 'mysqldump.sql');
    try {
      const config = parseDatabaseUrl(
        `mysql://${user}:${encodeURIComponent(password)}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/${source.name}`,
      );
      await writeMysqldump(wrapper, config, source.name, undefined, file);
    } finally {
      await source.sql.query('DROP USER ?@?', [user, '%']);
    }
    const args = await readFile(argsFile, 'utf8');
    assert.match(args, /^--defaults-extra-file=/);
    assert.ok(!args.includes(password) && !args.includes('p"a'), 'the password is not among the arguments');
    await assertRestoresIdentically(file, 'backup_mysqldump_copy', original);
  });
});
