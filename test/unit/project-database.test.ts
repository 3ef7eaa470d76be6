import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readProjectDatabase, readProjectFiles } from '../../src/adapters/project-database';
import {
  expandVariables,
  findMigrateInvocations,
  findProjectDatabase,
  makefileAssignments,
  urlFromEnvParts,
} from '../../src/core/project-database';

const TYPICAL_MAKEFILE = [
  'include .env',
  'MIGRATIONS ?= db/migrations',
  '',
  'migrate-up:',
  '\tmigrate -path=$(MIGRATIONS) -database "mysql://${DB_USER}:${DB_PASS}@tcp(${DB_HOST}:${DB_PORT})/${DB_NAME}" up',
  '',
].join('\n');

const TYPICAL_ENV = { DB_USER: 'app', DB_PASS: 'p@ss:w/rd', DB_HOST: 'db.local', DB_PORT: '3307', DB_NAME: 'shop' };

void describe('urlFromEnvParts', () => {
  void it('builds the golang-migrate URL with the user and password percent-encoded', () => {
    assert.equal(urlFromEnvParts(TYPICAL_ENV), 'mysql://app:p%40ss%3Aw%2Frd@tcp(db.local:3307)/shop');
  });
  void it('accepts DB_PASSWORD and defaults the port to 3306', () => {
    assert.equal(
      urlFromEnvParts({ DB_USER: 'root', DB_PASSWORD: 'x', DB_HOST: 'h', DB_NAME: 'd' }),
      'mysql://root:x@tcp(h:3306)/d',
    );
  });
  void it('leaves the password out when there is none, and the credentials out when there is no user either', () => {
    assert.equal(urlFromEnvParts({ DB_USER: 'root', DB_HOST: 'h', DB_NAME: 'd' }), 'mysql://root@tcp(h:3306)/d');
    assert.equal(urlFromEnvParts({ DB_NAME: 'd' }), 'mysql://tcp(127.0.0.1:3306)/d');
  });
  void it('finds nothing without a database name', () => {
    assert.equal(urlFromEnvParts({ DB_USER: 'root', DB_PASS: 'secret', DB_HOST: 'h' }), undefined);
    assert.equal(urlFromEnvParts({}), undefined);
  });
});

void describe('expandVariables', () => {
  void it('expands ${VAR} and $(VAR) and turns $$ into $', () => {
    assert.equal(expandVariables('a${X}b$(Y)c$$d', { X: '1', Y: '2' }), 'a1b2c$d');
  });
  void it('refuses to half-expand: a missing variable gives undefined', () => {
    assert.equal(expandVariables('mysql://${DB_USER}@tcp(${DB_HOST})/x', { DB_USER: 'u' }), undefined);
  });
  void it('leaves text without variables alone', () => {
    assert.equal(expandVariables('mysql://root@tcp(h:1)/d', {}), 'mysql://root@tcp(h:1)/d');
  });
});

void describe('makefileAssignments', () => {
  void it('reads =, :=, ::=, ?= and export assignments, later ones winning', () => {
    const text = 'A = 1\nB := two words\nC ?= 3\nexport D ::= 4\nA = 5\n\tE = recipe-line-is-not-an-assignment\n';
    assert.deepEqual(makefileAssignments(text), { A: '5', B: 'two words', C: '3', D: '4' });
  });
});

void describe('findMigrateInvocations', () => {
  void it('finds the -database and -path of a migrate recipe with its line number', () => {
    assert.deepEqual(findMigrateInvocations(TYPICAL_MAKEFILE), [
      {
        line: 5,
        database: 'mysql://${DB_USER}:${DB_PASS}@tcp(${DB_HOST}:${DB_PORT})/${DB_NAME}',
        path: '$(MIGRATIONS)',
      },
    ]);
  });
  void it('accepts -flag value, --flag=value, single quotes, -source and continued lines', () => {
    const text = [
      'up:',
      '\t@migrate --source file://migrations \\',
      "\t\t-database 'mysql://root@tcp(localhost:3306)/app' up",
      'down:',
      '\tdocker run migrate/migrate -path /m --database=mysql://u@tcp(h:1)/d down 1',
    ].join('\n');
    assert.deepEqual(findMigrateInvocations(text), [
      { line: 2, database: 'mysql://root@tcp(localhost:3306)/app', path: 'file://migrations' },
      { line: 5, database: 'mysql://u@tcp(h:1)/d', path: '/m' },
    ]);
  });
  void it('ignores lines that are not migrate commands or have no -database', () => {
    const text =
      'build:\n\tgo build -database x ./...\nmigrate-create:\n\tmigrate create -ext sql -dir db/migrations x\n';
    assert.deepEqual(findMigrateInvocations(text), []);
  });
});

void describe('findProjectDatabase', () => {
  void it('prefers .env DATABASE_URL', () => {
    const found = findProjectDatabase({
      env: { ...TYPICAL_ENV, DATABASE_URL: 'mysql://root@tcp(a:1)/b' },
      makefile: TYPICAL_MAKEFILE,
    });
    assert.deepEqual(found, {
      kind: 'env-url',
      url: 'mysql://root@tcp(a:1)/b',
      origin: '.env DATABASE_URL',
      written: '"$DATABASE_URL"',
    });
  });
  void it('skips a DATABASE_URL for another database and uses the DB_* parts', () => {
    const found = findProjectDatabase({ env: { ...TYPICAL_ENV, DATABASE_URL: 'postgres://u@h/d' } });
    assert.equal(found?.kind, 'env-parts');
    assert.equal(found?.url, 'mysql://app:p%40ss%3Aw%2Frd@tcp(db.local:3307)/shop');
    assert.equal(found?.written, '"mysql://${DB_USER}:${DB_PASS}@tcp(${DB_HOST}:${DB_PORT})/${DB_NAME}"');
  });
  void it('writes the .env parts that are there: DB_PASSWORD, no password, the default host and port', () => {
    const written = (env: Record<string, string>) => findProjectDatabase({ env })?.written;
    assert.equal(
      written({ DB_USER: 'app', DB_PASSWORD: 'pw', DB_NAME: 'shop' }),
      '"mysql://${DB_USER}:${DB_PASSWORD}@tcp(127.0.0.1:3306)/${DB_NAME}"',
    );
    assert.equal(
      written({ DB_USER: 'root', DB_HOST: 'db', DB_NAME: 'shop' }),
      '"mysql://${DB_USER}@tcp(${DB_HOST}:3306)/${DB_NAME}"',
    );
  });
  void it('expands the Makefile line with .env values when .env has no DB_HOST/DB_NAME of its own', () => {
    const found = findProjectDatabase({
      env: { MYSQL_USER: 'app', MYSQL_PASSWORD: 'pw' },
      makefile:
        'DB ?= shop\nup:\n\tmigrate -path db -database "mysql://$(MYSQL_USER):$(MYSQL_PASSWORD)@tcp(h:3306)/$(DB)" up\n',
      makefileName: 'GNUmakefile',
    });
    assert.deepEqual(found, {
      kind: 'makefile',
      url: 'mysql://app:pw@tcp(h:3306)/shop',
      origin: 'GNUmakefile line 3',
      // Make's $(VAR) is the shell's ${VAR}: the command line copied from it runs in a terminal.
      written: '"mysql://${MYSQL_USER}:${MYSQL_PASSWORD}@tcp(h:3306)/${DB}"',
    });
  });
  void it('finds nothing when the Makefile line cannot be fully expanded or is not MySQL', () => {
    assert.equal(findProjectDatabase({ env: {}, makefile: TYPICAL_MAKEFILE }), undefined);
    assert.equal(findProjectDatabase({ makefile: '\tmigrate -database postgres://u@h/d up\n' }), undefined);
    assert.equal(findProjectDatabase({}), undefined);
  });
});

void describe('readProjectDatabase (files on disk)', () => {
  void it('parses .env with dotenv (quotes, comments, export) and falls back to the Makefile', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'ml-project-'));
    try {
      assert.equal(await readProjectDatabase(root), undefined);
      await writeFile(path.join(root, 'Makefile'), TYPICAL_MAKEFILE);
      await writeFile(path.join(root, '.env'), '# local\nDB_USER=app\nDB_PASS="se cret#1"\nAPP_PORT=8080\n');
      const files = await readProjectFiles(root);
      assert.equal(files.env?.DB_PASS, 'se cret#1');
      assert.equal(files.makefileName, 'Makefile');
      assert.equal(await readProjectDatabase(root), undefined, 'DB_HOST and friends are still missing');
      await writeFile(path.join(root, 'Makefile'), `DB_NAME ?= shop\n${TYPICAL_MAKEFILE}`);
      await writeFile(path.join(root, '.env'), 'DB_USER=app\nDB_PASS="se cret#1"\nDB_HOST=h\nDB_PORT=1\n');
      assert.deepEqual(await readProjectDatabase(root), {
        kind: 'makefile',
        url: 'mysql://app:se cret#1@tcp(h:1)/shop',
        origin: 'Makefile line 6',
        written: '"mysql://${DB_USER}:${DB_PASS}@tcp(${DB_HOST}:${DB_PORT})/${DB_NAME}"',
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
