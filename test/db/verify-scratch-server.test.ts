/**
 * Verify's temporary account on a server of the test's own, where accounts can be set up that would disturb every
 * other login on the shared server: an anonymous account for the client's host (which takes the logins of '%'
 * accounts), and a separate scratch server whose account may or may not create users.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import mysql from 'mysql2/promise';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { verifyFolder } from '../../src/adapters/verify-migrations';
import { ScratchAccountRefusedError } from '../../src/adapters/verify-scratch-database';
import { describeVerdict } from '../../src/core/verify-verdict';
import { createTestDatabase, folderWith, type PrivateServer, startPrivateServer, type TestDatabase } from './support';

let server: PrivateServer;
let admin: mysql.Connection;
let real: TestDatabase;
let folder: string;

const SCRATCHER = 'scratcher';
const SCRATCHER_PASSWORD = 'Scratch-9-pass';

before(async () => {
  server = await startPrivateServer('verify-accounts', { grantTables: true });
  admin = await mysql.createConnection({
    host: '127.0.0.1',
    port: server.port,
    user: 'root',
    multipleStatements: true,
  });
  // MariaDB's old default: an anonymous account for the host this client is seen at.
  await admin.query("CREATE USER ''@'localhost'");
  await admin.query('CREATE USER ?@? IDENTIFIED BY ?', [SCRATCHER, 'localhost', SCRATCHER_PASSWORD]);
  await admin.query('GRANT ALL PRIVILEGES ON `ml\\_verify\\_%`.* TO ?@?', [SCRATCHER, 'localhost']);
  real = await createTestDatabase('scratch_server_real');
  await real.sql.query('CREATE TABLE precious (i int); INSERT INTO precious VALUES (1), (2), (3)');
  // It reaches for the real database by a name made at run time, wherever that database is.
  folder = await folderWith('verify-scratch-server', {
    '000001_trim.up.sql': `SET @s = CONCAT('DELETE FROM ', "${real.name}", '.precious');\nPREPARE st FROM @s;\nEXECUTE st;\n`,
    '000001_trim.down.sql': 'DO 0;\n',
  });
});

after(async () => {
  await admin?.end();
  await server?.remove();
  await real?.drop();
  await rm(folder, { recursive: true, force: true });
});

function privateUrl(user: string, database = ''): string {
  return `mysql://${user}@tcp(127.0.0.1:${server.port})/${database}`;
}

/** Whatever Verify made on the private server and left there: no other run uses it. */
async function privateLeftovers(): Promise<{ databases: unknown; accounts: unknown }> {
  const [databases] = await admin.query(
    "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'ml\\_verify\\_%'",
  );
  const [accounts] = await admin.query("SELECT User, Host FROM mysql.user WHERE User LIKE 'ml\\_verify\\_%'");
  return { databases, accounts };
}

async function preciousRows(connection: mysql.Connection, database: string): Promise<unknown> {
  const [rows] = await connection.query(`SELECT i FROM \`${database}\`.precious ORDER BY i`);
  return rows;
}

void test("an anonymous account for the client's host does not take the temporary account's login", async () => {
  // The premise: a '%' account cannot log in from here, the anonymous one takes its login.
  await admin.query('CREATE USER ?@? IDENTIFIED BY ?', ['ml_anywhere', '%', 'Anywhere-9-pass']);
  const shadowed = await mysql
    .createConnection({ host: '127.0.0.1', port: server.port, user: 'ml_anywhere', password: 'Anywhere-9-pass' })
    .then(
      (connection) => connection.end().then(() => undefined),
      (error: { errno?: number }) => error.errno,
    );
  assert.equal(shadowed, 1045);

  // The real database on this server too: Verify creates its account for 'localhost', which logs in as itself.
  await admin.query(
    `CREATE DATABASE \`${real.name}\`; CREATE TABLE \`${real.name}\`.precious (i int); ` +
      `INSERT INTO \`${real.name}\`.precious VALUES (1), (2), (3)`,
  );
  try {
    const result = await verifyFolder(folder, parseDatabaseUrl(privateUrl('root', real.name)));
    assert.match(result.scratchAccount ?? '', /^'ml_verify_[0-9a-f]{8}'@'localhost'$/);
    assert.match(
      describeVerdict(result.versions[0].verdict),
      /^reaches outside the scratch database: 000001_trim\.up\.sql, statement 2, line 2: Error 1142: DELETE command denied to user 'ml_verify_[0-9a-f]{8}'@'localhost'/,
    );
    assert.deepEqual(await preciousRows(admin, real.name), [{ i: 1 }, { i: 2 }, { i: 3 }]);
    assert.deepEqual(await privateLeftovers(), { databases: [], accounts: [] });
  } finally {
    await admin.query(`DROP DATABASE \`${real.name}\`; DROP USER 'ml_anywhere'@'%'`);
  }
});

void test('a separate scratch server whose account creates users: the files run there as a temporary account', async () => {
  const result = await verifyFolder(folder, parseDatabaseUrl(real.url), {
    scratchServer: parseDatabaseUrl(privateUrl('root')),
  });
  assert.match(result.scratchAccount ?? '', /^'ml_verify_[0-9a-f]{8}'@'localhost'$/);
  assert.equal(result.versions[0].verdict.kind, 'reaches-outside');
  assert.deepEqual(await preciousRows(real.sql, real.name), [{ i: 1 }, { i: 2 }, { i: 3 }]);
  assert.deepEqual(await privateLeftovers(), { databases: [], accounts: [] });
});

void test('a separate scratch server whose account cannot create users nor see the real database: run as it', async () => {
  const result = await verifyFolder(folder, parseDatabaseUrl(real.url), {
    scratchServer: parseDatabaseUrl(privateUrl(`${SCRATCHER}:${SCRATCHER_PASSWORD}`)),
  });
  assert.equal(result.scratchAccount, undefined);
  assert.match(
    describeVerdict(result.versions[0].verdict),
    new RegExp(
      `^reaches outside the scratch database: .*Error 1142: DELETE command denied to user '${SCRATCHER}'@'localhost'`,
    ),
  );
  assert.deepEqual(await preciousRows(real.sql, real.name), [{ i: 1 }, { i: 2 }, { i: 3 }]);
  assert.deepEqual(await privateLeftovers(), { databases: [], accounts: [] });
});

void test('a scratch account that cannot create users but can see a database of the real name is refused', async () => {
  await admin.query(`CREATE DATABASE \`${real.name}\``);
  await admin.query(`GRANT SELECT ON \`${real.name}\`.* TO ?@?`, [SCRATCHER, 'localhost']);
  try {
    await assert.rejects(
      verifyFolder(folder, parseDatabaseUrl(real.url), {
        scratchServer: parseDatabaseUrl(privateUrl(`${SCRATCHER}:${SCRATCHER_PASSWORD}`)),
      }),
      (error: unknown) =>
        error instanceof ScratchAccountRefusedError &&
        error.message.includes(`${SCRATCHER} cannot create one (Error 1227: `) &&
        error.message.includes(`while it can reach ${real.name}`),
    );
    assert.deepEqual(await privateLeftovers(), { databases: [], accounts: [] });
  } finally {
    await admin.query(`DROP DATABASE \`${real.name}\``);
    await admin.query(`REVOKE SELECT ON \`${real.name}\`.* FROM ?@?`, [SCRATCHER, 'localhost']);
  }
});
