/**
 * The layer rules of eslint.config.mjs, run by ESLint itself on small files placed (in name only) in each folder of
 * src: every way of reaching another module (import, export ... from, import(), require(), import x = require(), a
 * type's import()) is checked, at any relative depth, and the imports each layer is allowed stay allowed.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');
/** The rules that draw the boundaries; the others need type information and say nothing about them. */
const BOUNDARY_RULES = new Set(['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']);

const eslint = new ESLint({
  cwd: ROOT,
  ruleFilter: ({ ruleId }) => BOUNDARY_RULES.has(ruleId),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

/** What ESLint reports for `code` as the file `file` (relative to the repository), as "rule: message" lines. */
async function reports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages.map((message) => `${message.ruleId ?? 'fatal'}: ${message.message}`);
}

/** File, then lines each of which must be reported there on its own. */
const VIOLATIONS: [string, string[]][] = [
  [
    'src/core/probe.ts',
    [
      "import fs from 'fs';",
      "import { readFile } from 'node:fs/promises';",
      "import http from 'node:http';",
      "import { Socket } from 'net';",
      "import { createHash } from 'crypto';",
      "import { spawn } from 'node:child_process';",
      "const fs = require('fs');",
      "const http = require('node:http');",
      "import fs = require('fs');",
      "const driver = import('mysql2/promise');",
      "const fs = import('node:fs');",
      "import type { Connection } from 'mysql2';",
      "import { format } from 'sql-formatter';",
      "import { config } from 'dotenv';",
      "import * as vscode from 'vscode';",
      "type Uri = import('vscode').Uri;",
      "export { MigrationDatabase } from '../adapters/mysql/database';",
      "export * from '../vscode/output';",
      "import { runCli } from '../cli/main';",
      "import { run } from '../app/run';",
      "const main = import('../cli/main');",
      "import { activate } from '../extension';",
      'const name = "fs"; const fs = import(name);',
    ],
  ],
  [
    'src/core/deeper/probe.ts',
    [
      "import { Output } from '../../vscode/output';",
      "export { Output } from '../../vscode/output';",
      "const output = import('../../vscode/output');",
      "const output = require('../../vscode/output');",
      "import { runCli } from '../.././cli/main';",
      "import { parseDatabaseUrl } from '../../adapters/mysql/dsn';",
    ],
  ],
  [
    'src/adapters/probe.ts',
    [
      "import * as vscode from 'vscode';",
      "const vscode = import('vscode');",
      "const vscode = require('vscode');",
      "type Uri = import('vscode').Uri;",
      "import { runCli } from '../cli/main';",
      "import { Output } from '../vscode/output';",
      "export * from '../app/run';",
      "const fs = require('node:fs');",
    ],
  ],
  [
    'src/adapters/mysql/probe.ts',
    [
      "import { Output } from '../../vscode/output';",
      "const main = import('../../cli/main');",
      "export { run } from '../../app/run';",
    ],
  ],
  [
    'src/app/probe.ts',
    [
      "import * as vscode from 'vscode';",
      "import { runCli } from '../cli/main';",
      "import { Output } from '../vscode/output';",
      "const main = import('../cli/main');",
      "const vscode = require('vscode');",
    ],
  ],
  ['src/app/steps/probe.ts', ["import { Output } from '../../vscode/output';", "export * from '../../cli/context';"]],
  [
    'src/cli/probe.ts',
    [
      "import * as vscode from 'vscode';",
      "import { Output } from '../vscode/output';",
      "const output = import('../vscode/output');",
      "const output = require('../vscode/output');",
    ],
  ],
  [
    'src/cli/commands/probe.ts',
    ["import { Output } from '../../vscode/output';", "export { Output } from '../../vscode/output';"],
  ],
  [
    'src/vscode/probe.ts',
    ["import { runCli } from '../cli/main';", "const main = import('../cli/main');", "export * from '../cli/flags';"],
  ],
  [
    'src/vscode/commands/probe.ts',
    ["import { CliContext } from '../../cli/context';", "const main = require('../../cli/main');"],
  ],
];

/** File, then code that must pass: what each layer is meant to use. */
const ALLOWED: [string, string][] = [
  [
    'src/core/probe.ts',
    [
      "import { createHash } from 'node:crypto';",
      "import type { Version } from './model';",
      "import { scanSql } from './statements';",
      "export { buildCatalog } from './catalog';",
      'export const digest = (text: string) => createHash("sha256").update(text).digest("hex") + String(scanSql);',
    ].join('\n'),
  ],
  [
    'src/core/deeper/probe.ts',
    "import type { Version } from '../model';\nexport type { Version } from '../model';\nexport const none = 0;",
  ],
  [
    'src/adapters/probe.ts',
    [
      "import { readFile } from 'node:fs/promises';",
      "import type { Connection } from 'mysql2';",
      "import { buildCatalog } from '../core/catalog';",
      "const driver = import('mysql2');",
      "const formatter = import('./mysql-formatter');",
      "type Driver = typeof import('mysql2');",
      'export const used = [readFile, buildCatalog, driver, formatter] as unknown as [Connection, Driver];',
    ].join('\n'),
  ],
  [
    'src/adapters/mysql/probe.ts',
    "import { buildCatalog } from '../../core/catalog';\nimport { quoteIdentifier } from './sql';\nexport const used = [buildCatalog, quoteIdentifier];",
  ],
  [
    'src/app/probe.ts',
    [
      "import { writeFile } from 'node:fs/promises';",
      "import { migrate } from '../adapters/migrator';",
      "import { planMigrations } from '../core/plan';",
      'export const used = [writeFile, migrate, planMigrations];',
    ].join('\n'),
  ],
  [
    'src/cli/commands/probe.ts',
    [
      "import { readFileSync } from 'node:fs';",
      "import { run } from '../../app/run';",
      "import { parseDatabaseUrl } from '../../adapters/mysql/dsn';",
      "import { CliContext } from '../context';",
      'export const used = [readFileSync, run, parseDatabaseUrl, CliContext];',
    ].join('\n'),
  ],
  [
    'src/vscode/commands/probe.ts',
    [
      "import * as vscode from 'vscode';",
      "import { run } from '../../app/run';",
      "import { parseDatabaseUrl } from '../../adapters/mysql/dsn';",
      "import { Output } from '../output';",
      "const formatter = import('../../adapters/format-migration');",
      'export const used = [vscode, run, parseDatabaseUrl, Output, formatter];',
    ].join('\n'),
  ],
];

for (const [file, lines] of VIOLATIONS) {
  void test(`${file}: every way of crossing its boundary is reported`, async () => {
    for (const line of lines) {
      const found = await reports(file, `${line}\nexport const probe = 1;\n`);
      assert.ok(
        found.length > 0 && found.every((report) => !report.startsWith('fatal')),
        `${file}: ${line} -> ${JSON.stringify(found)}`,
      );
    }
  });
}

for (const [file, code] of ALLOWED) {
  void test(`${file}: what the layer may use passes`, async () => {
    assert.deepEqual(await reports(file, `${code}\n`), []);
  });
}
