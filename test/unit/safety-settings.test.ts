import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseSafetySettings } from '../../src/core/safety-settings';

void test('safety settings fall back to ask, the default folder and the default ledger for untrusted values', () => {
  assert.deepEqual(
    normaliseSafetySettings(() => undefined),
    {
      backup: 'ask',
      backupPath: '.migration-lens/backups',
      ledgerTable: undefined,
      ledgerCreate: true,
    },
  );
  const values: Record<string, unknown> = {
    backup: 'ALWAYS',
    backupPath: 7,
    'ledger.table': '  ',
    'ledger.create': 'no',
  };
  assert.deepEqual(
    normaliseSafetySettings((key) => values[key]),
    normaliseSafetySettings(() => undefined),
  );
});

void test('valid values are kept', () => {
  const values: Record<string, unknown> = {
    backup: 'never',
    backupPath: ' /var/backups/db ',
    'ledger.table': 'deploy_log',
    'ledger.create': false,
  };
  assert.deepEqual(
    normaliseSafetySettings((key) => values[key]),
    {
      backup: 'never',
      backupPath: '/var/backups/db',
      ledgerTable: 'deploy_log',
      ledgerCreate: false,
    },
  );
});
