import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientOptionFile } from '../../src/adapters/backup-mysqldump';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { backupFileName } from '../../src/core/safety-backup';

void test('a backup file is named by database, version and UTC time', () => {
  const at = new Date('2026-01-02T03:04:05.678Z');
  assert.equal(backupFileName('shop', 42n, at), 'shop_v42_20260102T030405.678Z.sql');
  assert.equal(backupFileName('shop', -1n, at), 'shop_vnil_20260102T030405.678Z.sql');
  assert.equal(backupFileName('a/b\\c:d é', 1n, at), 'a_b_c_d_é_v1_20260102T030405.678Z.sql');
});

void test('the mysqldump option file carries any password quoted, and the endpoint and TLS files', () => {
  const config = parseDatabaseUrl('mysql://app:p%22a%5Cs%20s%0Aw@tcp(db.internal:3307)/shop');
  assert.equal(
    clientOptionFile(config),
    '[client]\nuser="app"\npassword="p\\"a\\\\s s\\nw"\nprotocol=TCP\nhost="db.internal"\nport=3307\n',
  );
  const socket = clientOptionFile(parseDatabaseUrl('mysql://root@unix(/run/mysqld/mysqld.sock)/shop'));
  assert.match(socket, /^protocol=SOCKET\nsocket="\/run\/mysqld\/mysqld.sock"$/m);
});
