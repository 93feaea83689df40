/** Defensive readers for foreign JSON: a field of the wrong type reads as absent, never throws. */

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string with something in it, trimmed; else undefined. */
export function text(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** The items of an array (at most `max`: tools send a few, a hostile body could send a million). */
export function items(v: unknown, max: number): unknown[] {
  return Array.isArray(v) ? (v.length > max ? v.slice(0, max) : v) : [];
}

/** `**title**: value`, or the title above a value of several lines. */
export function field(title: string | undefined, value: string | undefined): string | undefined {
  if (!title) return value;
  if (!value) return `**${title}**`;
  return value.includes('\n') ? `**${title}**\n${value}` : `**${title}**: ${value}`;
}
