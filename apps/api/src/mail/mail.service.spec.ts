import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@parley/config';
import { startSmtpSink, SmtpSink } from '@parley/testing';
import { MailService } from './mail.service';

describe('MailService', () => {
  const link = 'http://127.0.0.1:3000/auth/verify?token=' + 'x'.repeat(90);
  const mail = { to: 'ada@example.com', subject: 'Your Parley login link', text: `Log in: ${link}\n` };

  describe('with SMTP_URL', () => {
    let smtp: SmtpSink;
    beforeAll(async () => (smtp = await startSmtpSink()));
    afterAll(() => smtp.close());

    it('delivers over SMTP, with the long link intact', async () => {
      const service = new MailService(loadConfig({ SMTP_URL: smtp.url, MAIL_FROM: 'Parley <noreply@example.com>' }));
      try {
        await service.send(mail);
        const received = await smtp.waitFor('ada@example.com');
        expect(received.from).toBe('noreply@example.com');
        expect(received.subject).toBe('Your Parley login link');
        expect(received.text).toContain(link);
      } finally {
        service.onModuleDestroy();
      }
    });
  });

  describe('without SMTP_URL', () => {
    let dataDir: string;
    beforeEach(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'parley-mail-'))));
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('writes the mail to the outbox as an .eml file readable only by the owner', async () => {
      const service = new MailService(loadConfig({ PARLEY_DATA_DIR: dataDir }));
      await service.send(mail);
      const outbox = path.join(dataDir, 'outbox');
      const files = readdirSync(outbox);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/\.eml$/);
      expect(statSync(path.join(outbox, files[0])).mode & 0o777).toBe(0o600);
      const eml = readFileSync(path.join(outbox, files[0]), 'utf8');
      expect(eml).toMatch(/^To: ada@example\.com$/m);
      expect(eml).toMatch(/^Subject: Your Parley login link$/m);
      expect(eml.replace(/=\r?\n/g, '')).toContain('auth/verify?token=');
    });
  });
});
