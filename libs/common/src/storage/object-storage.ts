import type { Readable } from 'node:stream';

export interface StoredObject {
  stream: Readable;
  size: number;
}

/**
 * Where uploaded bytes live, by key (`<segment>/…/<name>`): team images and ephemeral-room files.
 * The disk is the one implementation today; an object store can take its place without the
 * services changing. Implementations must never expose a partly written object.
 */
export abstract class ObjectStorage {
  abstract put(key: string, bytes: Buffer): Promise<void>;
  /** The object, or undefined when there is none. */
  abstract get(key: string): Promise<StoredObject | undefined>;
  /** Removes the object; removing a missing one is not an error. */
  abstract delete(key: string): Promise<void>;
  /** Removes every object under `prefix/` (a whole room's files); a missing prefix is not an error. */
  abstract deletePrefix(prefix: string): Promise<void>;
}

// Keys are made only from validated ids and generated names; this is the second line of defence.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The segments of a well-formed key; throws on anything that could climb out of the store. */
export function keySegments(key: string): string[] {
  const segments = key.split('/');
  if (segments.length === 0 || segments.some((s) => !SEGMENT.test(s) || s.includes('..'))) {
    throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
  }
  return segments;
}
