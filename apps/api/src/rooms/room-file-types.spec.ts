import { detectRoomFileType } from './room-file-types';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('detectRoomFileType', () => {
  it('recognises the allow-listed types from their bytes', () => {
    expect(detectRoomFileType(PNG)).toMatchObject({ mime: 'image/png', extension: 'png', inline: true });
    expect(detectRoomFileType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))?.mime).toBe('image/jpeg');
    expect(detectRoomFileType(Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ', 'latin1'))?.mime).toBe('image/webp');
    expect(detectRoomFileType(Buffer.from('GIF89a\u0001\u0000', 'latin1'))?.mime).toBe('image/gif');
    expect(detectRoomFileType(Buffer.from('%PDF-1.7\n%\u00e2\u00e3', 'latin1'))).toMatchObject({
      mime: 'application/pdf',
      inline: false,
    });
    expect(detectRoomFileType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14]))?.mime).toBe('application/zip');
    expect(detectRoomFileType(Buffer.from([0x1f, 0x8b, 0x08, 0x00]))?.mime).toBe('application/gzip');
  });

  it('takes UTF-8 text (ANSI colours included) as text/plain, SVG and HTML too', () => {
    for (const text of ['build passed\n', '\u001b[32mok\u001b[0m\r\n', 'a,b\n1,2', '{"ok":true}', '✅ done']) {
      expect(detectRoomFileType(Buffer.from(text))).toMatchObject({ mime: 'text/plain', inline: false });
    }
    expect(detectRoomFileType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'))?.mime).toBe(
      'text/plain',
    );
    expect(detectRoomFileType(Buffer.from('<html><script>alert(1)</script>'))?.mime).toBe('text/plain');
  });

  it('refuses binaries it does not know and text that is not UTF-8', () => {
    expect(detectRoomFileType(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toBeUndefined(); // ELF
    expect(detectRoomFileType(Buffer.from('MZ\u0090\u0000', 'latin1'))).toBeUndefined();
    expect(detectRoomFileType(Buffer.from([0xc3, 0x28]))).toBeUndefined();
    expect(detectRoomFileType(Buffer.from('a\u0000b'))).toBeUndefined();
  });
});
