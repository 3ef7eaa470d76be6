/** Setting values come from JSON a user (or a workspace they opened) wrote: readers take `unknown`. */

/** A trimmed non-empty string, else undefined. */
export function optionalText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
