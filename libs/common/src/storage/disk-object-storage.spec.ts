import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { DiskObjectStorage } from './disk-object-storage';

const readAll = async (stream: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

describe('DiskObjectStorage', () => {
  let root: string;
  let storage: DiskObjectStorage;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-images-'));
    storage = new DiskObjectStorage(path.join(root, 'images'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('puts, gets and deletes by key, with private modes and no temporary file left', async () => {
    const bytes = Buffer.from('some image bytes');
    await storage.put('ws/conv/1-ab.png', bytes);
    const got = await storage.get('ws/conv/1-ab.png');
    expect(got?.size).toBe(bytes.length);
    expect(await readAll(got!.stream)).toEqual(bytes);

    const file = path.join(root, 'images', 'ws', 'conv', '1-ab.png');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    for (const dir of ['images', 'images/ws', 'images/ws/conv']) {
      expect(fs.statSync(path.join(root, dir)).mode & 0o777).toBe(0o700);
    }
    expect(fs.readdirSync(path.dirname(file))).toEqual(['1-ab.png']);

    await storage.delete('ws/conv/1-ab.png');
    expect(await storage.get('ws/conv/1-ab.png')).toBeUndefined();
    await storage.delete('ws/conv/1-ab.png'); // already gone: not an error
  });

  it('answers undefined for a key that was never put', async () => {
    expect(await storage.get('ws/conv/missing.png')).toBeUndefined();
  });

  it('refuses keys that could leave the store', async () => {
    fs.writeFileSync(path.join(root, 'secret'), 'outside');
    for (const key of ['../secret', 'ws/../../secret', '/etc/passwd', 'ws//x', 'ws/.hidden', 'ws/a\\b', '', 'ws/..']) {
      await expect(storage.get(key)).rejects.toThrow(/storage key/);
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow(/storage key/);
    }
    expect(fs.readFileSync(path.join(root, 'secret'), 'utf8')).toBe('outside');
  });

  it('leaves nothing behind when a write fails', async () => {
    // A directory where the file should go makes the final rename fail.
    fs.mkdirSync(path.join(root, 'images', 'ws', 'conv', 'taken.png'), { recursive: true });
    fs.writeFileSync(path.join(root, 'images', 'ws', 'conv', 'taken.png', 'x'), 'x');
    await expect(storage.put('ws/conv/taken.png', Buffer.from('bytes'))).rejects.toThrow();
    expect(fs.readdirSync(path.join(root, 'images', 'ws', 'conv'))).toEqual(['taken.png']);
  });

  it('deletes everything under a prefix, and nothing else', async () => {
    await storage.put('12/a.png', Buffer.from('a'));
    await storage.put('12/b.txt', Buffer.from('b'));
    await storage.put('13/c.txt', Buffer.from('c'));
    await storage.deletePrefix('12');
    expect(await storage.get('12/a.png')).toBeUndefined();
    expect(fs.existsSync(path.join(root, 'images', '12'))).toBe(false);
    const kept = await storage.get('13/c.txt');
    expect(kept).toBeDefined();
    kept!.stream.destroy();
    await storage.deletePrefix('12'); // already gone: not an error
    await expect(storage.deletePrefix('..')).rejects.toThrow(/storage key/);
  });
});
