import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildCatalog, Catalog } from '../../src/core/catalog';

const files = (...names: string[]) => names.map((name) => ({ name }));

void describe('buildCatalog', () => {
  void test('orders by numeric version, not by name, and pairs up and down files', () => {
    const catalog = buildCatalog(
      files('10_ten.up.sql', '2_two.up.sql', '2_two.down.sql', '0001_one.up.sql', '10_ten.down.sql', 'README.md'),
    );
    assert.deepEqual(
      catalog.migrations.map((m) => [m.version, m.identifier, m.up?.fileName, m.down?.fileName]),
      [
        [1n, 'one', '0001_one.up.sql', undefined],
        [2n, 'two', '2_two.up.sql', '2_two.down.sql'],
        [10n, 'ten', '10_ten.up.sql', '10_ten.down.sql'],
      ],
    );
    assert.deepEqual(catalog.ignored, ['README.md']);
    assert.equal(catalog.size, 3);
    assert.equal(catalog.sourceError, undefined);
  });

  void test('a version with only a down file takes its identifier from it', () => {
    const catalog = buildCatalog(files('5_only_down.down.sql'));
    assert.equal(catalog.get(5n)?.identifier, 'only_down');
    assert.equal(catalog.get(5n)?.up, undefined);
    assert.ok(catalog.has(5n));
  });

  void test('navigation mirrors the source driver: next and prev only from an existing version', () => {
    const catalog = buildCatalog(files('1_a.up.sql', '3_c.down.sql', '7_g.up.sql'));
    assert.equal(catalog.first(), 1n);
    assert.equal(catalog.last(), 7n);
    assert.equal(catalog.next(1n), 3n);
    assert.equal(catalog.next(3n), 7n);
    assert.equal(catalog.next(7n), undefined);
    assert.equal(catalog.next(2n), undefined);
    assert.equal(catalog.prev(3n), 1n);
    assert.equal(catalog.prev(1n), undefined);
    assert.equal(catalog.prev(5n), undefined);
    assert.equal(catalog.below(5n), 3n);
    assert.equal(catalog.below(1n), undefined);
    assert.equal(catalog.has(2n), false);
    assert.equal(Catalog.empty.first(), undefined);
  });

  void test('duplicates whatever the padding or extension; golang-migrate names the second in sorted order', () => {
    const catalog = buildCatalog(
      files('1_b.up.sql', '01_a.up.sql', '1_a.up.txt', '1_a.down.sql', '2_x.down.sql', '02_x.down.sql'),
    );
    assert.deepEqual(catalog.duplicates, [
      { version: 1n, direction: 'up', fileNames: ['01_a.up.sql', '1_a.up.txt', '1_b.up.sql'] },
      { version: 2n, direction: 'down', fileNames: ['02_x.down.sql', '2_x.down.sql'] },
    ]);
    assert.equal(catalog.get(1n)?.up?.fileName, '01_a.up.sql');
    assert.equal(catalog.sourceError?.fileName, '1_a.up.txt');
    assert.match(catalog.sourceError.message, /^duplicate migration file: 1_a\.up\.txt/);
    assert.deepEqual(
      catalog.filesOf(1n).map((f) => f.fileName),
      ['01_a.up.sql', '1_a.down.sql', '1_a.up.txt', '1_b.up.sql'],
    );
  });

  void test('the reported duplicate is the first clash met in name order, across versions', () => {
    const catalog = buildCatalog(files('2_a.up.sql', '2_b.up.sql', '1_z.up.sql', '1_zz.up.sql'));
    assert.equal(catalog.sourceError?.fileName, '1_zz.up.sql');
  });

  void test('never throws on odd input and ignores repeated names', () => {
    const catalog = buildCatalog(files('', '\n', '1_a.up.sql', '1_a.up.sql', '99999999999999999999_x.up.sql'));
    assert.equal(catalog.size, 1);
    assert.deepEqual(catalog.duplicates, []);
    assert.deepEqual(catalog.ignored, ['', '\n', '99999999999999999999_x.up.sql']);
  });
});

void describe('incremental changes', () => {
  const names = ['1_a.up.sql', '1_a.down.sql', '3_c.up.sql', '5_e.up.sql', '5_e.down.sql', 'notes.txt'];

  void test('adding and removing gives the same catalog as building from scratch', () => {
    let catalog = buildCatalog([]);
    for (const name of names) catalog = catalog.withFileAdded(name);
    const rebuilt = buildCatalog(files(...names));
    assert.deepEqual(catalog.migrations, rebuilt.migrations);
    assert.deepEqual(catalog.ignored, rebuilt.ignored);

    const withFour = catalog.withFileAdded('4_d.down.sql').withFileAdded('3_c2.up.sql');
    assert.deepEqual(
      withFour.migrations.map((m) => m.version),
      [1n, 3n, 4n, 5n],
    );
    assert.deepEqual(withFour.duplicates, [{ version: 3n, direction: 'up', fileNames: ['3_c.up.sql', '3_c2.up.sql'] }]);
    assert.equal(withFour.next(3n), 4n);

    const back = withFour.withFileRemoved('4_d.down.sql').withFileRemoved('3_c2.up.sql').withFileRemoved('notes.txt');
    assert.deepEqual(back.migrations, buildCatalog(files(...names.filter((n) => n !== 'notes.txt'))).migrations);
    assert.deepEqual(back.ignored, []);
    assert.deepEqual(back.duplicates, []);
  });

  void test('the old catalog is unchanged and no-op changes return the same object', () => {
    const catalog = buildCatalog(files(...names));
    const added = catalog.withFileAdded('9_i.up.sql');
    assert.equal(catalog.has(9n), false);
    assert.equal(added.has(9n), true);
    assert.equal(catalog.withFileAdded('1_a.up.sql'), catalog);
    assert.equal(catalog.withFileRemoved('8_none.up.sql'), catalog);
    assert.equal(catalog.withFileRemoved('other.txt'), catalog);
    assert.equal(catalog.withFileAdded('notes.txt'), catalog);
  });

  void test('removing the last file of a version removes the version', () => {
    const catalog = buildCatalog(files(...names)).withFileRemoved('3_c.up.sql');
    assert.equal(catalog.has(3n), false);
    assert.equal(catalog.next(1n), 5n);
    assert.equal(catalog.withFileRemoved('1_a.up.sql').get(1n)?.up, undefined);
    assert.equal(catalog.withFileRemoved('1_a.up.sql').get(1n)?.down?.fileName, '1_a.down.sql');
  });
});
