import { decodeBase64, detectImageFormat, isSvg } from './image-format';

const text = (s: string) => Buffer.from(s, 'utf8');

describe('detectImageFormat', () => {
  it('knows JPEG, PNG and WebP by their magic numbers', () => {
    expect(detectImageFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('jpeg');
    expect(detectImageFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
    expect(detectImageFormat(Buffer.concat([text('RIFF'), Buffer.alloc(4), text('WEBPVP8 ')]))).toBe('webp');
  });

  it('refuses everything else, whatever it is called', () => {
    expect(detectImageFormat(text('GIF89a......'))).toBeUndefined();
    expect(detectImageFormat(text('hello, this is a text file'))).toBeUndefined();
    expect(detectImageFormat(Buffer.concat([text('RIFF'), Buffer.alloc(4), text('WAVE')]))).toBeUndefined();
    expect(detectImageFormat(Buffer.from([0x89, 0x50, 0x4e]))).toBeUndefined();
    expect(detectImageFormat(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('isSvg', () => {
  it('accepts an <svg> root after a BOM, XML declaration, comments and a plain doctype', () => {
    expect(isSvg(text('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(true);
    expect(isSvg(text('\uFEFF  <svg>'))).toBe(true);
    expect(
      isSvg(
        text(
          '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- Created with Inkscape -->\n' +
            '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' +
            '<svg\n  width="10">',
        ),
      ),
    ).toBe(true);
  });

  it('refuses other XML, HTML, an unterminated prolog and a doctype with an internal subset', () => {
    expect(isSvg(text('<?xml version="1.0"?><html><svg></svg></html>'))).toBe(false);
    expect(isSvg(text('<!DOCTYPE html><html>'))).toBe(false);
    expect(isSvg(text('<svgfoo>'))).toBe(false);
    expect(isSvg(text('<!-- never closed <svg>'))).toBe(false);
    expect(isSvg(text('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>'))).toBe(false);
    expect(isSvg(text('text before <svg>'))).toBe(false);
  });

  it('looks only at the start of the file', () => {
    expect(isSvg(text(`<!--${' '.repeat(70_000)}--><svg>`))).toBe(false);
  });
});

describe('decodeBase64', () => {
  const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255, 64]);

  it('decodes standard and URL-safe base64, with or without padding, wrapped lines or a data: prefix', () => {
    const b64 = bytes.toString('base64');
    for (const input of [
      b64,
      b64.replace(/=+$/, ''),
      bytes.toString('base64url'),
      `${b64.slice(0, 4)}\r\n${b64.slice(4, 8)}\n${b64.slice(8)}`,
      `data:image/png;base64,${b64}`,
    ]) {
      expect(decodeBase64(input, 100)).toEqual({ ok: true, bytes });
    }
  });

  it('calls malformed base64 malformed', () => {
    for (const input of ['not base64!', 'QQ=Q', 'Q', 'QUJD=', '====', '', 'QU\u0000JD']) {
      expect(decodeBase64(input, 100)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('refuses more than the limit from the length alone, at exactly one byte over', () => {
    expect(decodeBase64(Buffer.alloc(99).toString('base64'), 99).ok).toBe(true);
    expect(decodeBase64(Buffer.alloc(100).toString('base64'), 99)).toEqual({ ok: false, reason: 'too-large' });
    expect(decodeBase64('A'.repeat(10_000), 99)).toEqual({ ok: false, reason: 'too-large' });
  });
});
