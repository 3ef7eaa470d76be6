/**
 * How the server will execute a schema change, asked of the server itself: on a scratch database holding the schema
 * the statement will meet, the statement is sent with `ALGORITHM=INSTANT`, then `ALGORITHM=INPLACE, LOCK=NONE`, then
 * weaker levels, and the first level the server accepts is what it will do. A refused level changes nothing (errors
 * 1845 and 1846); an accepted one applies the statement, so the scratch schema follows the file. This module plans
 * the attempts, writes them into the statement's text and reads the server's answers; it runs nothing.
 */
import type { PreflightStatement, ProbedStatement } from './preflight-statements';
import { alterListStart, StatementTokens } from './safety-tables';

/** MariaDB ranks COPY < INPLACE < NOCOPY < INSTANT; MySQL has no NOCOPY. */
export type Algorithm = 'INSTANT' | 'NOCOPY' | 'INPLACE' | 'COPY';
/** What other sessions may do meanwhile: NONE lets them write, SHARED only read, EXCLUSIVE nothing. */
export type Lock = 'NONE' | 'SHARED' | 'EXCLUSIVE';

export type ServerFlavour = 'mariadb' | 'mysql';

/** One way of asking: the ALGORITHM, and the LOCK (none given: the server's default for that algorithm). */
export interface ProbeAttempt {
  readonly algorithm: Algorithm;
  readonly lock?: Lock;
}

/**
 * The attempts from the least disruptive to the most, as the server's own ranking. INSTANT takes no LOCK clause
 * (MySQL refuses any but DEFAULT with it). COPY with LOCK=NONE is accepted from MariaDB 11.2, which copies online.
 */
export function probeAttempts(flavour: ServerFlavour): readonly ProbeAttempt[] {
  return [
    { algorithm: 'INSTANT' },
    ...(flavour === 'mariadb' ? [{ algorithm: 'NOCOPY', lock: 'NONE' } as const] : []),
    { algorithm: 'INPLACE', lock: 'NONE' },
    { algorithm: 'INPLACE', lock: 'SHARED' },
    { algorithm: 'INPLACE', lock: 'EXCLUSIVE' },
    { algorithm: 'COPY', lock: 'NONE' },
    { algorithm: 'COPY', lock: 'SHARED' },
    { algorithm: 'COPY', lock: 'EXCLUSIVE' },
  ];
}

/** A refusal of an ALGORITHM or LOCK: 1845 "X is not supported for this operation. Try Y", 1846 "... Reason: R. Try Y". */
export interface Refusal {
  readonly reason?: string;
  /** What the server suggests instead: `Try ALGORITHM=COPY`, `Try LOCK=SHARED`. */
  readonly tryAlgorithm?: Algorithm;
  readonly tryLock?: Lock;
}

export const ALGORITHM_REFUSED = 1845;
export const ALGORITHM_REFUSED_WITH_REASON = 1846;

/** The server's answer to an attempt, when it is a refusal of the level; undefined for any other error. */
export function readRefusal(code: number | undefined, message: string): Refusal | undefined {
  if (code !== ALGORITHM_REFUSED && code !== ALGORITHM_REFUSED_WITH_REASON) return undefined;
  const reason = /Reason: (.*?)\.? Try /.exec(message)?.[1];
  const algorithm = /Try ALGORITHM=(INSTANT|NOCOPY|INPLACE|COPY)/i.exec(message)?.[1]?.toUpperCase() as
    Algorithm | undefined;
  const lock = /Try LOCK=(NONE|SHARED|EXCLUSIVE)/i.exec(message)?.[1]?.toUpperCase() as Lock | undefined;
  return {
    ...(reason !== undefined && { reason }),
    ...(algorithm !== undefined && { tryAlgorithm: algorithm }),
    ...(lock !== undefined && { tryLock: lock }),
  };
}

/**
 * The attempt to make after `attempts[index]` was refused: the one the server suggested when it named one further
 * down the list, else the next. Past the end: -1 (every level refused).
 */
export function nextAttempt(attempts: readonly ProbeAttempt[], index: number, refusal: Refusal): number {
  const current = attempts[index];
  const suggested = attempts.findIndex(
    (attempt, at) =>
      at > index &&
      (refusal.tryAlgorithm === undefined || attempt.algorithm === refusal.tryAlgorithm) &&
      (refusal.tryLock === undefined ||
        (attempt.lock === refusal.tryLock && attempt.algorithm === (refusal.tryAlgorithm ?? current.algorithm))),
  );
  if (suggested >= 0) return suggested;
  return index + 1 < attempts.length ? index + 1 : -1;
}

/**
 * The statement to send for an attempt: its own `ALGORITHM=` and `LOCK=` taken out and the attempt's written in, or
 * without an attempt just taken out. ALTER TABLE gets them as clauses at the end of its list (`, ALGORITHM=COPY,
 * LOCK=SHARED`); CREATE INDEX as options at the end. DROP INDEX, which takes neither on MariaDB (a syntax error,
 * measured on 10.11), is asked as the `ALTER TABLE t DROP INDEX i` it stands for, and OPTIMIZE TABLE, which takes
 * neither anywhere, as the `ALTER TABLE t FORCE` InnoDB runs for it.
 */
export function withAlgorithm(statement: PreflightStatement, attempt?: ProbeAttempt): string {
  const probe = statement.probe!;
  const clauses =
    attempt === undefined ? [] : [`ALGORITHM=${attempt.algorithm}`, ...(attempt.lock ? [`LOCK=${attempt.lock}`] : [])];
  if (probe.kind === 'optimize') {
    return [`ALTER TABLE ${quoteName(probe.table)} FORCE`, ...clauses].join(', ');
  }
  const kept = withoutAlgorithmAndLock(StatementTokens.of(statement.text), statement.text, probe);
  if (probe.kind === 'drop-index') return [alterTableOfDropIndex(kept), ...clauses].join(', ');
  if (clauses.length === 0) return kept;
  if (probe.kind === 'create-index') return `${kept} ${clauses.join(' ')}`;
  const tokens = StatementTokens.of(kept);
  const hasClauses = (alterListStart(tokens)?.at ?? tokens.length) < tokens.length;
  return `${kept}${hasClauses ? ', ' : ' '}${clauses.join(', ')}`;
}

/** `DROP INDEX [ONLINE|OFFLINE] [IF EXISTS] i ON t` as `ALTER TABLE t DROP INDEX [IF EXISTS] i`, names as written. */
function alterTableOfDropIndex(text: string): string {
  const tokens = StatementTokens.of(text);
  tokens.at = 2;
  tokens.skipWords(['ONLINE', 'OFFLINE']);
  const ifExists = tokens.isWord(tokens.at, 'IF') ? 'IF EXISTS ' : '';
  tokens.skipIfExists();
  const index = tokens.rawText(tokens.at);
  tokens.at += 2;
  const tableStart = tokens.at;
  tokens.name();
  const table = text.slice(tokens.offset(tableStart), tokens.endOffset(tokens.at - 1));
  return `ALTER TABLE ${table} DROP INDEX ${ifExists}${index}`;
}

/** The statement's text without its top-level `ALGORITHM [=] x` and `LOCK [=] x` (and the comma that went with one). */
function withoutAlgorithmAndLock(tokens: StatementTokens, text: string, probe: ProbedStatement): string {
  if (probe.algorithm === undefined && probe.lock === undefined) return text;
  const cuts: [number, number][] = [];
  let depth = 0;
  for (let at = 0; at < tokens.length; at++) {
    if (tokens.isPunctuation(at, '(')) depth++;
    else if (tokens.isPunctuation(at, ')')) depth--;
    if (depth !== 0 || !(tokens.isWord(at, 'ALGORITHM') || tokens.isWord(at, 'LOCK'))) continue;
    const last = tokens.isPunctuation(at + 1, '=') ? at + 2 : at + 1;
    if (last >= tokens.length) continue;
    let from = tokens.offset(at);
    let to = tokens.endOffset(last);
    if (probe.kind === 'alter-table') {
      if (tokens.isPunctuation(at - 1, ',')) from = tokens.offset(at - 1);
      else if (tokens.isPunctuation(last + 1, ',')) to = tokens.offset(last + 2) ?? to;
    }
    cuts.push([from, to]);
    at = last;
  }
  let result = '';
  let kept = 0;
  for (const [from, to] of cuts) {
    result += text.slice(kept, from);
    kept = to;
  }
  return (result + text.slice(kept)).replace(/[ \t]+$/, '');
}

/**
 * The change as pt-online-schema-change's `--alter` takes it, without the statement's own ALGORITHM and LOCK: an
 * ALTER TABLE's list of changes (DROP INDEX becomes one), a CREATE INDEX as `ADD INDEX`, and OPTIMIZE TABLE as the
 * rebuild `ENGINE=InnoDB`.
 */
export function onlineAlterText(statement: PreflightStatement): string | undefined {
  const probe = statement.probe;
  if (!probe) return undefined;
  if (probe.kind === 'optimize') return 'ENGINE=InnoDB';
  const text = withAlgorithm(statement);
  const tokens = StatementTokens.of(text);
  const rest = (from: number) => (from < tokens.length ? text.slice(tokens.offset(from)).replace(/\s+/g, ' ') : '');
  if (probe.kind !== 'create-index') {
    const list = alterListStart(tokens);
    return list && rest(list.at);
  }
  tokens.at = 1;
  if (tokens.isWord(1, 'OR')) tokens.at = 3;
  tokens.skipWords(['ONLINE', 'OFFLINE']);
  const kind = tokens.isAnyWord(tokens.at, ['UNIQUE', 'FULLTEXT', 'SPATIAL']) ? `${tokens.rawText(tokens.at++)} ` : '';
  tokens.at++;
  if (tokens.isWord(tokens.at, 'IF')) tokens.at += 3;
  const name = tokens.rawText(tokens.at++);
  let on = tokens.at;
  while (on < tokens.length && !tokens.isWord(on, 'ON')) on++;
  const using = on > tokens.at ? `${text.slice(tokens.offset(tokens.at), tokens.endOffset(on - 1))} ` : '';
  tokens.at = on + 1;
  tokens.name();
  return `ADD ${kind}INDEX ${name} ${using}${rest(tokens.at)}`;
}

function quoteName(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** How the server will run a statement, from the first attempt it accepted. */
export interface Execution {
  readonly algorithm: Algorithm;
  /** Undefined: the server's default for the algorithm (INSTANT takes none). */
  readonly lock?: Lock;
  /** The statement changes the table's engine: the table is copied whatever the server accepted. */
  readonly engineChange?: boolean;
  /** The statement names its own ALGORITHM or LOCK and the server accepts them: it runs at least that well. */
  readonly asWritten?: boolean;
}

/** What an execution does to the other sessions and the table: the three things a verdict states. */
export interface ExecutionEffect {
  readonly copies: boolean;
  readonly rebuilds: boolean;
  readonly blocksWrites: boolean;
  readonly blocksReads: boolean;
}

export function effectOf(execution: Execution): ExecutionEffect {
  const algorithm = execution.engineChange ? 'COPY' : execution.algorithm;
  const lock = execution.engineChange ? 'SHARED' : execution.lock;
  return {
    copies: algorithm === 'COPY',
    rebuilds: algorithm === 'COPY' || algorithm === 'INPLACE',
    // Without a LOCK clause, only INSTANT is known not to block; COPY takes a shared lock at least.
    blocksWrites: algorithm === 'COPY' ? lock !== 'NONE' : lock === 'SHARED' || lock === 'EXCLUSIVE',
    blocksReads: lock === 'EXCLUSIVE',
  };
}

/** The execution an `ALGORITHM=`/`LOCK=` written in a statement guarantees once the server accepts it. */
export function writtenExecution(probe: ProbedStatement): Execution {
  const algorithm = (['INSTANT', 'NOCOPY', 'INPLACE', 'COPY'] as const).find((name) => name === probe.algorithm);
  const lock = (['NONE', 'SHARED', 'EXCLUSIVE'] as const).find((name) => name === probe.lock);
  return { algorithm: algorithm ?? (lock === 'NONE' ? 'INPLACE' : 'COPY'), ...(lock && { lock }), asWritten: true };
}
