/**
 * The part of sql-formatter that formatting uses. Only ever imported dynamically: the bundle then evaluates it at the
 * first formatting rather than at activation, and still leaves out the dialects that are never used.
 */
export { formatDialect, mysql } from 'sql-formatter';
