import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goReader } from '../../src/adapters/go-syntax';
import { gormModels, type GormModel } from '../../src/core/gorm-models';
import { NIL_VERSION } from '../../src/core/model';
import { compareModels, findingsDisagree, type SchemaTarget } from '../../src/core/models-compare';
import { addColumnMigration, addFieldEdit, fieldForColumn, removeFieldEdit } from '../../src/core/models-fixes';
import { parseCreateTable } from '../../src/core/verify-create-table';
import type { TableSnapshot } from '../../src/core/verify-snapshot';

/** MariaDB 10.11's SHOW CREATE TABLE of the tutorial's users table at version 1 (gorm.Model's columns and name). */
const USERS_V1 = [
  'CREATE TABLE `users` (',
  '  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,',
  '  `created_at` datetime(3) DEFAULT NULL,',
  '  `updated_at` datetime(3) DEFAULT NULL,',
  '  `deleted_at` datetime(3) DEFAULT NULL,',
  '  `name` varchar(255) NOT NULL,',
  '  PRIMARY KEY (`id`),',
  '  KEY `idx_users_deleted_at` (`deleted_at`)',
  ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci',
].join('\n');

/** ... and at version 2, after 000002_add_email_to_users. */
const USERS_V2 = USERS_V1.replace(
  '  `name` varchar(255) NOT NULL,\n',
  '  `name` varchar(255) NOT NULL,\n  `email` varchar(255) DEFAULT NULL,\n',
).replace('  PRIMARY KEY (`id`),\n', '  PRIMARY KEY (`id`),\n  UNIQUE KEY `users_email_unique` (`email`),\n');

const WITH_EMAIL = `package models

import "gorm.io/gorm"

type User struct {
	gorm.Model
	Name  string \`gorm:"size:255;not null"\`
	Email string \`gorm:"size:255;uniqueIndex:users_email_unique"\`
}
`;

const WITHOUT_EMAIL = `package models

import "gorm.io/gorm"

type User struct {
	gorm.Model
	Name string \`gorm:"size:255;not null"\`
}
`;

async function model(source: string): Promise<GormModel> {
  const [found] = gormModels([(await goReader()).read('/service/models/user.go', source)]);
  assert.ok(found);
  return found;
}

function tables(...texts: string[]): Map<string, TableSnapshot> {
  return new Map(texts.map((text) => parseCreateTable(text)).map((table) => [table.name, table]));
}

const at = (version: bigint, ...texts: string[]): SchemaTarget => ({
  kind: 'current',
  version,
  tables: tables(...texts),
});
const codes = (findings: ReturnType<typeof compareModels>) =>
  findings.map((finding) => `${finding.code} ${finding.field ?? finding.column ?? ''}`);

void test('a field without a column, named with the pending migration that adds it', async () => {
  const user = await model(WITH_EMAIL);
  const findings = compareModels([user], at(1n, USERS_V1), [
    { version: 2n, name: '000002_add_email_to_users', tables: tables(USERS_V2) },
  ]);
  assert.deepEqual(codes(findings), ['model-field-missing-column Email']);
  assert.equal(
    findings[0].message,
    'User.Email: users.email does not exist at version 1; 000002_add_email_to_users adds it, pending',
  );
  assert.equal(findings[0].line, 8);
  assert.equal(findings[0].severity, 'error');
  assert.ok(findingsDisagree(findings));
  const after = compareModels([user], { kind: 'after-pending', version: 2n, tables: tables(USERS_V2) });
  assert.deepEqual(codes(after), ['model-null-mismatch Email']);
  assert.equal(after[0].severity, 'info');
  assert.ok(!findingsDisagree(after));
});

void test("the tutorial's step after up: the column exists, the struct lacks it; the fix adds the field gofmt-style", async () => {
  const user = await model(WITHOUT_EMAIL);
  const findings = compareModels([user], at(2n, USERS_V2));
  assert.deepEqual(codes(findings), ['model-column-without-field email']);
  assert.equal(findings[0].message, 'User: users.email (varchar(255)) has no field in User; GORM ignores it');
  assert.equal(findings[0].line, 5, 'on the struct line');
  const table = tables(USERS_V2).get('users')!;
  const field = fieldForColumn(table, table.columns.get('email')!);
  assert.deepEqual(field, {
    name: 'Email',
    type: '*string',
    tag: '`gorm:"size:255;uniqueIndex:users_email_unique"`',
    needsImport: undefined,
  });
  const edit = addFieldEdit(WITHOUT_EMAIL, user, field);
  assert.deepEqual(edit, {
    start: 6,
    end: 7,
    text: '\tgorm.Model\n\tName  string  `gorm:"size:255;not null"`\n\tEmail *string `gorm:"size:255;uniqueIndex:users_email_unique"`\n',
  });
});

void test("the tutorial's step after down 1: the field stays, the column is gone; the fix removes the field", async () => {
  const user = await model(WITH_EMAIL);
  const findings = compareModels([user], at(1n, USERS_V1), [
    { version: 2n, name: '000002_add_email_to_users', tables: tables(USERS_V2) },
  ]);
  assert.deepEqual(codes(findings), ['model-field-missing-column Email']);
  const edit = removeFieldEdit(WITH_EMAIL, user, 'Email');
  assert.deepEqual(edit, { start: 6, end: 8, text: '\tgorm.Model\n\tName string `gorm:"size:255;not null"`\n' });
});

void test('a field without a column that no migration adds: the fix is a migration with GORM’s MySQL type', async () => {
  const user = await model(WITH_EMAIL);
  const findings = compareModels([user], at(1n, USERS_V1));
  assert.match(
    findings[0].message,
    /does not exist at version 1; GORM names it in every insert and select \(Error 1054\)$/,
  );
  const pair = addColumnMigration(
    user,
    user.columns.find((column) => column.field === 'Email')!,
  );
  assert.deepEqual(pair, {
    name: 'add_email_to_users',
    up: 'ALTER TABLE users ADD COLUMN email varchar(255);\nCREATE UNIQUE INDEX users_email_unique ON users (email);\n',
    down: 'ALTER TABLE users DROP COLUMN email;\n',
  });
});

void test('NOT NULL columns without a default and without a field, types and sizes, nil on NOT NULL, unique indexes', async () => {
  const user = await model(`package models

type Account struct {
	ID       uint
	Name     string  \`gorm:"size:100"\`
	Nickname *string
	Age      int8
	Code     string  \`gorm:"uniqueIndex"\`
	Score    int     \`gorm:"type:decimal(10,2)"\`
	Born     string
}
`);
  const findings = compareModels(
    [user],
    at(
      3n,
      [
        'CREATE TABLE `accounts` (',
        '  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,',
        '  `name` varchar(255) NOT NULL,',
        '  `nickname` varchar(50) NOT NULL,',
        '  `age` int(11) NOT NULL,',
        '  `code` varchar(20) NOT NULL,',
        '  `score` decimal(10,2) NOT NULL,',
        '  `born` date NOT NULL,',
        '  `tenant_id` int(11) NOT NULL,',
        '  `note` text DEFAULT NULL,',
        '  `created` datetime NOT NULL DEFAULT current_timestamp(),',
        '  PRIMARY KEY (`id`)',
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
      ].join('\n'),
    ),
  );
  assert.deepEqual(codes(findings), [
    'model-type-mismatch Name',
    'model-null-mismatch Nickname',
    'model-type-mismatch Age',
    'model-type-mismatch Born',
    'model-column-required tenant_id',
    'model-column-without-field note',
    'model-column-without-field created',
    'model-unique-index-missing Code',
  ]);
  const message = (field: string) => findings.find((finding) => finding.field === field)?.message;
  assert.equal(message('Name'), 'Account.Name: string with size:100 wants varchar(100), name is varchar(255)');
  assert.match(message('Nickname') ?? '', /can be nil, but accounts\.nickname is NOT NULL/);
  assert.match(message('Age') ?? '', /values above the field's range fail to read/);
  assert.match(
    findings.find((finding) => finding.column === 'tenant_id')?.message ?? '',
    /NOT NULL without a default and Account has no field for it: GORM's inserts leave it out and fail \(Error 1364\)/,
  );
});

void test('a model whose table does not exist, with the pending migration that creates it', async () => {
  const user = await model(WITH_EMAIL);
  const findings = compareModels([user], at(NIL_VERSION), [
    { version: 1n, name: '000001_create_users', tables: tables(USERS_V1) },
  ]);
  assert.deepEqual(codes(findings), ['model-table-missing ']);
  assert.equal(
    findings[0].message,
    'User: table users does not exist with no migration applied; 000001_create_users creates it, pending',
  );
});

void test('a column promoted from a struct in another file: found on its own line there, and told apart by model', async () => {
  const reader = await goReader();
  const base = reader.read(
    '/service/models/base.go',
    'package models\n\nimport "example.com/audit"\n\ntype Base struct {\n\tID     uint\n\tTenant string\n\taudit.Stamp\n}\n',
  );
  const user = reader.read(
    '/service/models/user.go',
    'package models\n\ntype User struct {\n\tBase\n\tName string `gorm:"size:255;not null"`\n}\n',
  );
  const [found] = gormModels([base, user]);
  const users =
    'CREATE TABLE `users` (`id` bigint unsigned NOT NULL, `name` varchar(255) NOT NULL, PRIMARY KEY (`id`))';
  const findings = compareModels([found], at(1n, users));
  const place = (field: string) => {
    const finding = findings.find((candidate) => candidate.field === field);
    return finding && `${finding.code} ${finding.file}:${finding.line} of ${finding.model} in ${finding.modelFile}`;
  };
  assert.equal(
    place('Tenant'),
    'model-field-missing-column /service/models/base.go:7 of User in /service/models/user.go',
  );
  assert.equal(place('Stamp'), 'model-uncertain /service/models/base.go:8 of User in /service/models/user.go');
});
