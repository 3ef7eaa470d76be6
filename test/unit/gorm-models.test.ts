import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goReader } from '../../src/adapters/go-syntax';
import type { GoFile } from '../../src/core/go-declarations';
import { GormModelIndex, gormModels, type GormModel } from '../../src/core/gorm-models';
import { formatName } from '../../src/core/gorm-naming';
import { gormMysqlColumnDefinition } from '../../src/core/gorm-types';

/** Parses Go sources (path -> text) with the real tree-sitter reader. */
async function readGo(files: Readonly<Record<string, string>>): Promise<GoFile[]> {
  const reader = await goReader();
  return Object.entries(files).map(([path, text]) => reader.read(`/service/${path}`, text));
}

async function modelsOf(source: string, more: Readonly<Record<string, string>> = {}): Promise<GormModel[]> {
  return gormModels(await readGo({ 'models/models.go': source, ...more }));
}

/** Each column as `name definition`, GORM's DDL for the field. */
function columns(model: GormModel | undefined): string[] {
  assert.ok(model, 'the model was found');
  return model.columns.map((column) => `${column.column} ${gormMysqlColumnDefinition(column)}`);
}

const HEADER = 'package models\n\nimport (\n\t"database/sql"\n\t"time"\n\n\t"gorm.io/gorm"\n)\n\n';

void test("the shared examples' fields of users: names and GORM's MySQL DDL", async () => {
  const [user] = await modelsOf(`${HEADER}type User struct {
	ID       uint
	CreatedAt time.Time
	Name     string
	Email    string  \`gorm:"size:255;uniqueIndex"\`
	Code     string  \`gorm:"index"\`
	Age      uint8
	Active   bool    \`gorm:"default:true"\`
	Bal      float64 \`gorm:"precision:10;scale:2"\`
	Birthday *time.Time
	Bio      string  \`gorm:"size:70000"\`
	K        string  \`gorm:"column:api_token;size:64;not null"\`
	Price    int64   \`gorm:"type:int"\`
	Tags     []string \`gorm:"serializer:json"\`
	Nick     sql.NullString
	Count    sql.Null[int32]
	Hidden   string \`gorm:"-"\`
	All      string \`gorm:"-:all"\`
	ReadOnly string \`gorm:"->"\`
	secret   string
}
`);
  assert.equal(user.table, 'users');
  assert.deepEqual(columns(user), [
    'id bigint unsigned AUTO_INCREMENT',
    'created_at datetime(3) NULL',
    'name longtext',
    'email varchar(255)',
    'code varchar(191)',
    'age tinyint unsigned',
    'active boolean DEFAULT true',
    'bal decimal(10, 2)',
    'birthday datetime(3) NULL',
    'bio mediumtext',
    'api_token varchar(64) NOT NULL',
    'price bigint',
    'tags longtext',
    'nick longtext',
    'count int',
    'read_only longtext',
  ]);
  assert.deepEqual(
    user.columns.filter((column) => column.nullableField).map((column) => column.column),
    ['birthday', 'nick', 'count'],
  );
  assert.deepEqual(user.indexes, [
    { name: 'idx_users_email', unique: true, columns: ['email'] },
    { name: 'idx_users_code', unique: false, columns: ['code'] },
  ]);
});

void test('gorm.Model gives id, created_at, updated_at, deleted_at with its index; names and plurals for tables', async () => {
  const models = await modelsOf(`${HEADER}type Person struct {
	gorm.Model
	Name string
}

type APIKey struct {
	gorm.Model
	UserID uint
	URL    string
}

type Category struct {
	gorm.Model
}
`);
  assert.deepEqual(
    models.map((model) => [model.name, model.table]),
    [
      ['Person', 'people'],
      ['APIKey', 'api_keys'],
      ['Category', 'categories'],
    ],
  );
  assert.deepEqual(columns(models[1]), [
    'id bigint unsigned AUTO_INCREMENT',
    'created_at datetime(3) NULL',
    'updated_at datetime(3) NULL',
    'deleted_at datetime(3) NULL',
    'user_id bigint unsigned',
    'url longtext',
  ]);
  assert.deepEqual(models[1].indexes, [{ name: 'idx_api_keys_deleted_at', unique: false, columns: ['deleted_at'] }]);
  assert.equal(models[1].columns[0].line, 16, "gorm.Model's columns show on the line that embeds it");
});

void test('embedded structs, embeddedPrefix, relations, TableName and composite indexes', async () => {
  const [blog, author] = await modelsOf(`${HEADER}type Author struct {
	Name  string
	Email string
}

type Blog struct {
	ID      int
	Author  Author  \`gorm:"embedded;embeddedPrefix:author_"\`
	Upvotes int32
	Company   Company
	CompanyID int
	Posts   []Post
	First   string \`gorm:"index:idx_name,unique"\`
	Last    string \`gorm:"index:idx_name,unique,priority:1"\`
}

type Company struct {
	ID   int
	Name string
}

type Post struct {
	ID     int
	BlogID int
}

func (Blog) TableName() string { return "blog_entries" }

func migrate(db *gorm.DB) { db.AutoMigrate(&Blog{}, &Company{}, &Post{}) }
`);
  assert.equal(blog.table, 'blog_entries');
  assert.deepEqual(columns(blog), [
    'id bigint AUTO_INCREMENT',
    'author_name longtext',
    'author_email longtext',
    'upvotes int',
    'company_id bigint',
    // An `index` tag with a name still makes an unsized string varchar(191) (TagSettings["INDEX"] is not empty).
    'first varchar(191)',
    'last varchar(191)',
  ]);
  assert.deepEqual(blog.indexes, [{ name: 'idx_name', unique: true, columns: ['last', 'first'] }]);
  assert.equal(author?.name, 'Company', 'Author is only embedded: not a model of its own');
});

void test('what the source cannot tell is said, not guessed', async () => {
  const [order] = await modelsOf(`${HEADER}type Order struct {
	ID     uint
	Amount decimal.Decimal
	Meta   map[string]string
	Extra  othermod.Blob
}

func (o Order) TableName() string { return prefix + "orders" }
`);
  assert.equal(order.table, 'orders');
  assert.match(order.tableUncertain ?? '', /TableName\(\) does not return a string literal/);
  assert.deepEqual(
    order.notes.map((note) => note.field),
    ['Meta'],
  );
  const extra = order.columns.find((column) => column.field === 'Extra');
  assert.match(extra?.typeUnknown ?? '', /othermod\.Blob was not found/);
});

void test('models are found by gorm tags, gorm.Model, AutoMigrate/Create/First/Find, across packages', async () => {
  const models = await modelsOf(
    `package models\n\ntype Plain struct {\n\tID int\n}\n\ntype Tagged struct {\n\tName string \`gorm:"size:10"\`\n}\n\ntype Unused struct {\n\tID int\n}\n`,
    {
      'main.go': `package main\n\nimport "example.com/app/models"\n\nfunc main() {\n\tvar rows []models.Plain\n\tdb.Find(&rows)\n}\n`,
    },
  );
  assert.deepEqual(
    models.map((model) => model.name),
    ['Plain', 'Tagged'],
  );
});

void test('broken Go does not throw: what parses is read', async () => {
  const models = await modelsOf(`${HEADER}type User struct {
	gorm.Model
	Name string \`gorm:"size:10"\`
	Email string \`gorm:"size:20
}

func broken( {
`);
  assert.ok(models.length <= 1);
  const [file] = await readGo({ 'x.go': 'package x\n\ntype = struct {{{' });
  assert.equal(file.hasSyntaxErrors, true);
  assert.deepEqual(gormModels([file]), []);
});

void test('kept between calls, a model is rebuilt when a file it depends on changes, and only then', async () => {
  const reader = await goReader();
  const base = (fields: string) =>
    reader.read('/service/models/base.go', `package models\n\ntype Base struct {\n${fields}}\n`);
  const user = reader.read(
    '/service/models/user.go',
    'package models\n\ntype User struct {\n\tBase\n\tName string `gorm:"size:10"`\n}\n',
  );
  const other = (text: string) => reader.read('/service/other/other.go', `package other\n\n${text}`);
  const index = new GormModelIndex();
  const baseFile = base('\tID uint\n');
  const [first] = index.models([baseFile, user, other('')]);
  assert.deepEqual(
    first.columns.map((column) => column.column),
    ['id', 'name'],
  );
  const [unrelated] = index.models([baseFile, user, other('type Other struct{}\n')]);
  assert.equal(unrelated, first, 'a change elsewhere keeps the model as built');
  const [rebuilt] = index.models([base('\tID uint\n\tTenant string\n'), user, other('')]);
  assert.deepEqual(
    rebuilt.columns.map((column) => column.column),
    ['id', 'tenant', 'name'],
  );
  const methods = index.models([
    base('\tID uint\n'),
    user,
    reader.read('/service/models/table.go', 'package models\n\nfunc (User) TableName() string { return "accounts" }\n'),
  ]);
  assert.equal(methods[0].table, 'accounts', 'a TableName method in another file of the package counts');
});

void test('a unique tag names its constraint as GORM does: uni_<table>_<column>, shortened past 64 characters', async () => {
  const [model] = gormModels(
    await readGo({
      'models/invitation.go':
        'package models\n\ntype OrganisationMembershipInvitation struct {\n\tID uint\n' +
        '\tEmail string `gorm:"size:100;unique"`\n' +
        '\tExternalIdentityProviderReference string `gorm:"size:100;unique"`\n}\n',
    }),
  );
  const table = 'organisation_membership_invitations';
  assert.equal(model.table, table);
  assert.deepEqual(
    model.indexes.filter((index) => index.unique).map((index) => index.name),
    [`uni_${table}_email`, formatName('uni', table, 'external_identity_provider_reference')],
  );
  assert.equal([...model.indexes.filter((index) => index.unique)[1].name].length, 64);
});
