import { Logger } from '@nestjs/common';
import { AppConfig } from '@parley/config';
import { AtRestCipher, parseEncryptionKey } from '@parley/crypto';

/** The stored text fields of rooms, each sealed under its own context. */
export type RoomTextField =
  'room.name' | 'message.sender' | 'message.content' | 'webhook.label' | 'presence.name' | 'sanction.name';

/**
 * Room data at rest: text fields and files sealed by AtRestCipher, each bound to its field and its
 * room's code (the authenticated context), so a ciphertext moved to another field or another
 * room does not open. The API only ever sees plaintext.
 */
export class RoomVault {
  constructor(private readonly cipher: AtRestCipher) {}

  get encrypting(): boolean {
    return this.cipher.encrypting;
  }

  sealText(field: RoomTextField, code: string, text: string): Buffer {
    return this.cipher.sealText(text, `${field}:${code}`);
  }

  openText(field: RoomTextField, code: string, sealed: Buffer): string {
    return this.cipher.openText(sealed, `${field}:${code}`);
  }

  /** Slow mode's key for a poster (`ip:…` or `session:…`): keyed, so a dump does not give addresses away. */
  posterIndex(code: string, posterKey: string): Buffer {
    return this.cipher.index(posterKey, `poster:${code}`);
  }

  sealFile(code: string, name: string, bytes: Buffer): Buffer {
    return this.cipher.seal(bytes, `file:${code}/${name}`);
  }

  openFile(code: string, name: string, sealed: Buffer): Buffer {
    return this.cipher.open(sealed, `file:${code}/${name}`);
  }
}

/** The vault from PARLEY_ENC_KEY (+ PARLEY_ENC_KEY_PREVIOUS); without a key, one warning at boot. */
export function createRoomVault(config: AppConfig, logger = new Logger('Rooms')): RoomVault {
  const { encKey, previousEncKeys } = config.rooms;
  const cipher = new AtRestCipher(
    encKey === undefined ? undefined : parseEncryptionKey(encKey),
    previousEncKeys.map(parseEncryptionKey),
  );
  if (cipher.encrypting) {
    logger.log(`ephemeral-room data is encrypted at rest (key id ${cipher.currentKeyId})`);
  } else {
    logger.warn(
      'PARLEY_ENC_KEY is not set: ephemeral-room messages, names and files are stored in plaintext ' +
        '(set a 32-byte key, hex or base64, to encrypt them at rest)',
    );
  }
  return new RoomVault(cipher);
}
