import { describeLockHolder, forceAdvice } from '../../core/errors';
import { NIL_VERSION, type DatabaseVersion, type LockHolder } from '../../core/model';
import { forceChoicesFromLedger } from '../../core/safety-recovery';
import type { FolderModel } from '../folder-model';

/** How a folder's database is described in the tree and the status bar tooltip. */
export interface DatabaseText {
  /** A few words: `v42`, `v42 dirty`, `not configured`, ... */
  readonly short: string;
  /** Markdown: the state, the redacted URL, and where the URL came from. */
  readonly tooltip: string;
  readonly icon: string;
  readonly warning: boolean;
  /** What a click does. */
  readonly command?: string;
  readonly commandTitle?: string;
}

/** `v42`, `v42 dirty`, or `no version` (an empty version table). */
export function versionText(version: DatabaseVersion): string {
  if (version.version === NIL_VERSION) return version.dirty ? 'no version (dirty)' : 'no version';
  return `v${version.version}${version.dirty ? ' dirty' : ''}`;
}

/** The words for a folder's database state; never contains a password. */
export function describeDatabase(model: FolderModel): DatabaseText {
  const target = model.databaseTarget;
  const source = target
    ? [`\`${target.redactedUrl.replaceAll('`', "'")}\``, '', `From ${escapeMarkdown(target.description)}.`]
    : [];
  const state = model.database;
  switch (state.kind) {
    case 'untrusted':
      return {
        short: 'Restricted Mode',
        tooltip: 'This workspace is not trusted: Migration Lens shows the files but never connects to a database.',
        icon: 'workspace-untrusted',
        warning: false,
        command: 'workbench.trust.manage',
        commandTitle: 'Manage Workspace Trust',
      };
    case 'virtual':
      return {
        short: 'not available in a virtual workspace',
        tooltip: 'This folder is not on the local file system: Migration Lens shows the files only.',
        icon: 'debug-disconnect',
        warning: false,
      };
    case 'not-configured':
      return {
        short: 'not configured',
        tooltip:
          'No database: set one with **Configure Database**, or add `DATABASE_URL` (or `DB_USER`, `DB_HOST`, `DB_NAME`, ...) to `.env`.',
        icon: 'database',
        warning: false,
        command: 'migrationLens.configureDatabase',
        commandTitle: 'Configure Database',
      };
    case 'idle':
      return {
        short: 'not connected yet',
        tooltip: ['Not connected yet.', '', ...source].join('\n'),
        icon: 'database',
        warning: false,
        command: 'migrationLens.refresh',
        commandTitle: 'Refresh',
      };
    case 'fleet':
      return {
        short: `fleet ${state.environment}`,
        tooltip:
          `The active environment **${escapeMarkdown(state.environment)}** is a fleet: see each database in the ` +
          'Environments section. Up and Go To Version run across them.',
        icon: 'server-environment',
        warning: false,
        command: 'migrationLens.selectEnvironment',
        commandTitle: 'Select Environment',
      };
    case 'connecting':
      return { short: 'connecting…', tooltip: ['Connecting…', '', ...source].join('\n'), icon: 'sync', warning: false };
    case 'unreachable':
      return {
        short: 'unreachable',
        tooltip: [`Cannot read the version: ${escapeMarkdown(state.reason)}`, '', ...source].join('\n'),
        icon: 'debug-disconnect',
        warning: true,
        command: 'migrationLens.refresh',
        commandTitle: 'Retry',
      };
    case 'connected': {
      if (state.lockHolder) {
        return {
          short: `${versionText({ ...state.version, dirty: false })} running`,
          tooltip: [`${runningText(state.lockHolder)}`, '', ...source].join('\n'),
          icon: 'sync~spin',
          warning: false,
        };
      }
      const failed = state.version.dirty
        ? [
            '',
            escapeMarkdown(
              `To recover, ${forceAdvice(forceChoicesFromLedger(model.catalog, state.version.version, state.ledger))}.`,
            ),
          ]
        : [];
      return {
        short: versionText(state.version),
        tooltip: [`Database at **${versionText(state.version)}**.`, ...failed, '', ...source].join('\n'),
        icon: state.version.dirty ? 'warning' : 'database',
        warning: state.version.dirty,
        ...(state.version.dirty && { command: 'migrationLens.recover', commandTitle: 'Recover' }),
      };
    }
  }
}

/** "Another run holds the lock (connection 42, user deploy ...): it is applying migrations; ..." */
export function runningText(holder: LockHolder): string {
  return escapeMarkdown(
    `Another run holds golang-migrate's lock (${describeLockHolder(holder)}): it is applying migrations now, and the ` +
      'version table marks its migration dirty until it finishes.',
  );
}

/** Escapes Markdown so URLs and server messages show as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}
