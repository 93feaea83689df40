import { ObjectStorage } from '@parley/common';

/**
 * Where room files live, by `<roomId>/<generated name>`: the shared ObjectStorage under its own
 * injection token (DiskObjectStorage under PARLEY_DATA_DIR/rooms). A room's files go with the
 * room: `deletePrefix(<roomId>)`.
 */
export abstract class RoomFileStorage extends ObjectStorage {}

export const roomFileKey = (roomId: string, name: string) => `${roomId}/${name}`;
