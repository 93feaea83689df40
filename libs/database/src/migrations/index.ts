import { InitialSchema1763769600000 } from './1763769600000-initial-schema';
import { TeamChat1763856000000 } from './1763856000000-team-chat';
import { TopLevelHistoryIndex1763942400000 } from './1763942400000-top-level-history-index';
import { EphemeralRooms1764028800000 } from './1764028800000-ephemeral-rooms';
import { RoomsAcrossProcesses1764115200000 } from './1764115200000-rooms-across-processes';

/** Every migration, in order. A committed migration is never edited: add a new one. */
export const MIGRATIONS = [
  InitialSchema1763769600000,
  TeamChat1763856000000,
  TopLevelHistoryIndex1763942400000,
  EphemeralRooms1764028800000,
  RoomsAcrossProcesses1764115200000,
];
