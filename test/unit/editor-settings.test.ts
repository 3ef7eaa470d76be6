import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_EDITOR_SETTINGS, normaliseEditorSettings } from '../../src/core/editor-settings';

function settingsFrom(values: Record<string, unknown>) {
  return normaliseEditorSettings((key) => values[key]);
}

void describe('normaliseEditorSettings', () => {
  void it('gives golang-migrate defaults when nothing is set', () => {
    assert.deepEqual(settingsFrom({}), DEFAULT_EDITOR_SETTINGS);
  });
  void it('keeps valid values, trimmed', () => {
    const settings = settingsFrom({
      migrationsPath: ' db/migrations ',
      databaseUrl: 'mysql://root@tcp(h:3306)/d',
      'create.numbering': 'sequential',
      'create.digits': 4,
      'create.timeZone': 'Europe/Paris',
      'create.timestampFormat': 'unix',
      lockTimeoutSeconds: 30,
      connectTimeoutSeconds: 2,
      backup: 'never',
      'ledger.create': false,
      'fleet.parallel': 8,
      'fleet.canary': 2,
      'fleet.continueOnFailure': true,
      'preflight.diagnostics': false,
    });
    assert.deepEqual(settings, {
      migrationsPath: 'db/migrations',
      databaseUrl: 'mysql://root@tcp(h:3306)/d',
      create: { numbering: 'sequential', digits: 4, timeZone: 'Europe/Paris', timestampFormat: 'unix' },
      lockTimeoutSeconds: 30,
      connectTimeoutSeconds: 2,
      safety: { backup: 'never', backupPath: '.migration-lens/backups', ledgerTable: undefined, ledgerCreate: false },
      fleet: { parallel: 8, canary: 2, continueOnFailure: true },
      preflightDiagnostics: false,
    });
  });
  void it('falls back to the default for wrong types, out-of-range numbers and blank strings', () => {
    const settings = settingsFrom({
      migrationsPath: '   ',
      databaseUrl: 42,
      'create.numbering': 'random',
      'create.digits': 0,
      'create.timeZone': '',
      lockTimeoutSeconds: 2.5,
      connectTimeoutSeconds: '10',
      'preflight.diagnostics': 'no',
    });
    assert.deepEqual(settings, DEFAULT_EDITOR_SETTINGS);
  });
});
