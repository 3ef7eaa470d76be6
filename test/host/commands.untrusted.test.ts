import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CommandResult } from '../../src/vscode/database-run';
import { activeContainer } from './support';

suite('commands in Restricted Mode: database commands refuse without connecting', () => {
  test('up, down, goto, force, drop and show version refuse with the reason and open no connection', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const container = await activeContainer();
    await container.model.ready;
    assert.equal(container.model.foldersWithMigrations.length, 1, 'the fixture has a migrations folder');
    const calls: [string, object][] = [
      ['up', {}],
      ['upN', { count: 1 }],
      ['down', { confirm: false }],
      ['downN', { count: 1, confirm: false }],
      ['goto', { version: 1, confirm: false }],
      ['force', { version: 1, confirm: false }],
      ['drop', { confirm: false }],
    ];
    for (const [command, options] of calls) {
      const result = await vscode.commands.executeCommand<CommandResult>(`migrationLens.${command}`, options);
      assert.equal(result.kind, 'refused', command);
      assert.match((result as { message: string }).message, /not trusted/, command);
    }
    assert.equal(await vscode.commands.executeCommand('migrationLens.showVersion'), undefined);
    assert.equal(container.connectionCount, 0);
  });
});
