import { InitialSchema1763769600000 } from './1763769600000-initial-schema';

/** Every migration, in order. A committed migration is never edited: add a new one. */
export const MIGRATIONS = [InitialSchema1763769600000];
