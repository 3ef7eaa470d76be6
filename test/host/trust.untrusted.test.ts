import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, screenshot } from './support';

suite('harness: a workspace opened without trust', () => {
  test('opens in Restricted Mode with the extension loaded', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not loaded`);
    await screenshot('harness-restricted-mode');
  });
});
