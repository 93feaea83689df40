import type { EphemeralMessageRecord } from '@parley/database';
import { isoSeconds, RoomMessageDto } from './dto/room.dto';
import type { RoomVault } from './room-vault';

/**
 * A stored message as the API and live clients see it; `plain` spares the decryption when the
 * caller has just written it.
 */
export function presentRoomMessage(
  vault: RoomVault,
  code: string,
  m: EphemeralMessageRecord,
  plain?: { sender: string; content: string },
): RoomMessageDto {
  return {
    id: Number(m.id),
    room_code: code,
    sender: plain?.sender ?? vault.openText('message.sender', code, m.sender),
    content: plain?.content ?? vault.openText('message.content', code, m.content),
    file_path: m.fileName === null ? null : `/rooms/${code}/files/${m.fileName}`,
    file_type: m.fileType,
    created_at: isoSeconds(m.createdAt),
  };
}
