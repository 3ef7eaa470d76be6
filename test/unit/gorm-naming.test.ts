import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatName, gormIndexName, gormTableName, pluralize, toDBName } from '../../src/core/gorm-naming';

// Expected values are GORM's own (schema/naming_test.go and jinzhu/inflection's tests) and the examples of
// the GORM documentation ("Conventions").
void test('column names: snake case with GORM initialisms', () => {
  const cases: [string, string][] = [
    ['ID', 'id'],
    ['UserID', 'user_id'],
    ['URL', 'url'],
    ['Name', 'name'],
    ['CreatedAt', 'created_at'],
    ['APIKey', 'api_key'],
    ['HTTPServer', 'http_server'],
    ['OAuthToken', 'o_auth_token'],
    ['HTTPSConfig', 'http_s_config'],
    ['UUIDKey', 'uuid_key'],
    ['Address1', 'address1'],
    ['ThisIsATest', 'this_is_a_test'],
    ['PFAndESI', 'pf_and_esi'],
    ['AbcAndJkl', 'abc_and_jkl'],
    ['EmployeeID', 'employee_id'],
    ['SKU_ID', 'sku_id'],
    ['FieldX', 'field_x'],
    ['HTTPAndSMTP', 'http_and_smtp'],
    ['HTTPServerHandlerForURLID', 'http_server_handler_for_url_id'],
    ['UUID', 'uuid'],
    ['HTTPURL', 'http_url'],
    ['HTTP_URL', 'http_url'],
    ['a', 'a'],
    ['x', 'x'],
    ['X', 'x'],
    ['userRestrictions', 'user_restrictions'],
    ['SHA256Hash', 'sha256_hash'],
    ['SHA256HASH', 'sha256_hash'],
    [
      'ThisIsActuallyATestSoWeMayBeAbleToUseThisCodeInGormPackageAlsoIdCanBeUsedAtTheEndAsID',
      'this_is_actually_a_test_so_we_may_be_able_to_use_this_code_in_gorm_package_also_id_can_be_used_at_the_end_as_id',
    ],
  ];
  for (const [name, column] of cases) assert.equal(toDBName(name), column, name);
});

void test("plurals: jinzhu/inflection's rules, irregulars and uncountables, as GORM uses them", () => {
  const cases: [string, string][] = [
    ['user', 'users'],
    ['person', 'people'],
    ['category', 'categories'],
    ['api_key', 'api_keys'],
    ['sales_person', 'sales_people'],
    ['human', 'humen'],
    ['user_information', 'user_informations'],
    ['information', 'information'],
    ['leaf', 'leafs'],
    ['wolf', 'wolves'],
    ['status', 'statuses'],
    ['bus', 'buses'],
    ['box', 'boxes'],
    ['index', 'indices'],
    ['quiz', 'quizzes'],
    ['news', 'news'],
    ['user_settings', 'user_settings'],
    ['log2', 'log2'],
    ['child', 'children'],
    ['mouse', 'mice'],
    ['ox', 'oxen'],
    ['datum', 'data'],
    ['analysis', 'analyses'],
    ['hive', 'hives'],
    ['knife', 'knives'],
  ];
  for (const [word, plural] of cases) assert.equal(pluralize(word), plural, word);
});

void test('irregulars keep the casing of the word (NamingStrategy NoLowerCase keeps Go names)', () => {
  assert.equal(pluralize('Person'), 'People');
  assert.equal(pluralize('PERSON'), 'PEOPLE');
  assert.equal(pluralize('UserInfo'), 'UserInfos');
});

void test('table names: snake case and plural; prefix and singular tables as NamingStrategy sets them', () => {
  const cases: [string, string][] = [
    ['User', 'users'],
    ['Person', 'people'],
    ['Category', 'categories'],
    ['APIKey', 'api_keys'],
    ['OrderItem', 'order_items'],
    ['UserInformation', 'user_informations'],
    ['Fish', 'fish'],
  ];
  for (const [type, table] of cases) assert.equal(gormTableName(type), table, type);
  assert.equal(gormTableName('User', { tablePrefix: 't_' }), 't_users');
  assert.equal(gormTableName('User', { singularTable: true }), 'user');
});

void test('index names: idx_<table>_<field>, shortened with a SHA-1 past 64 characters', () => {
  assert.equal(gormIndexName('users', 'Email'), 'idx_users_email');
  assert.equal(gormIndexName('users', 'DeletedAt'), 'idx_users_deleted_at');
  // GORM's TestFormatNameWithStringLongerThan64Characters.
  assert.equal(
    formatName('prefix', 'table', 'thisIsAVeryVeryVeryVeryVeryVeryVeryVeryVeryLongString'),
    'prefix_table_thisIsAVeryVeryVeryVeryVeryVeryVeryVeryVery180f2c67',
  );
  assert.equal(formatName('idx', 'public.table', 'name'), 'idx_public_table_name');
});
