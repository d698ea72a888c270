// The SMTP settings in the configuration: off without a host, defaults per kind of security, the
// password from a file (a Docker secret), and clear errors for a half-made configuration.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig } from '../../../server/config.js';

const host = { SEALBOX_SMTP_HOST: 'smtp.customs.example', SEALBOX_SMTP_FROM: 'sealbox@customs.example' };

t.test('no host, no mail', async (t) => {
  t.notOk('mail' in loadConfig({}), 'absent by default');
  t.notOk('mail' in loadConfig({ SEALBOX_SMTP_FROM: 'not even an address', SEALBOX_SMTP_USER: 'u' }), 'other SMTP variables alone change nothing');
});

t.test('defaults: STARTTLS on 587, digests at 07:00 UTC', async (t) => {
  t.same(loadConfig(host).mail, { host: 'smtp.customs.example', port: 587, security: 'starttls', from: 'sealbox@customs.example', dailyHourUtc: 7 });
  t.equal(loadConfig({ ...host, SEALBOX_SMTP_SECURITY: 'tls' }).mail?.port, 465);
  t.equal(loadConfig({ ...host, SEALBOX_SMTP_SECURITY: 'none' }).mail?.port, 25);
});

t.test('every variable is read', async (t) => {
  const c = loadConfig({
    ...host, SEALBOX_SMTP_PORT: '2525', SEALBOX_SMTP_SECURITY: 'tls', SEALBOX_SMTP_USER: 'sealbox', SEALBOX_SMTP_PASSWORD: 'pw 1',
    SEALBOX_SMTP_FROM: 'Integrity Unit <integrity@customs.example>', SEALBOX_MAIL_HOUR: '0',
  });
  t.same(c.mail, {
    host: 'smtp.customs.example', port: 2525, security: 'tls', auth: { user: 'sealbox', password: 'pw 1' },
    from: 'Integrity Unit <integrity@customs.example>', dailyHourUtc: 0,
  });
});

t.test('the password from a file wins over the variable; an unreadable file is an error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sealbox-smtp-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'smtp_password');
  writeFileSync(file, 'from the file\n');
  const c = loadConfig({ ...host, SEALBOX_SMTP_USER: 'sealbox', SEALBOX_SMTP_PASSWORD: 'from env', SEALBOX_SMTP_PASSWORD_FILE: file });
  t.same(c.mail?.auth, { user: 'sealbox', password: 'from the file' }, 'trimmed');
  t.throws(() => loadConfig({ ...host, SEALBOX_SMTP_USER: 'sealbox', SEALBOX_SMTP_PASSWORD_FILE: join(dir, 'missing') }),
    { message: 'configuration: SEALBOX_SMTP_PASSWORD_FILE: the file cannot be read' });
});

t.test('bad values are refused with the variable named', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ SEALBOX_SMTP_HOST: 'smtp.customs.example' }, /^configuration: SEALBOX_SMTP_FROM: /],
    [{ ...host, SEALBOX_SMTP_FROM: 'sealbox' }, /^configuration: SEALBOX_SMTP_FROM: /],
    [{ ...host, SEALBOX_SMTP_FROM: 'a@b.example\r\nBcc: c@d.example' }, /^configuration: SEALBOX_SMTP_FROM: /],
    [{ ...host, SEALBOX_SMTP_FROM: 'Name <not an address>' }, /^configuration: SEALBOX_SMTP_FROM: /],
    [{ ...host, SEALBOX_SMTP_USER: 'sealbox' }, /^configuration: SEALBOX_SMTP_USER: give both/],
    [{ ...host, SEALBOX_SMTP_PASSWORD: 'pw' }, /^configuration: SEALBOX_SMTP_USER: give both/],
    [{ ...host, SEALBOX_SMTP_SECURITY: 'ssl' }, /^configuration: SEALBOX_SMTP_SECURITY: /],
    [{ ...host, SEALBOX_SMTP_PORT: '0' }, /^configuration: SEALBOX_SMTP_PORT: /],
    [{ ...host, SEALBOX_MAIL_HOUR: '24' }, /^configuration: SEALBOX_MAIL_HOUR: /],
  ];
  for (const [env, message] of cases) t.throws(() => loadConfig(env), { message }, JSON.stringify(env));
});

t.test('an override can set the mail settings', async (t) => {
  const mail = { host: 'h', port: 25, security: 'none' as const, from: 'a@b.example', dailyHourUtc: 3 };
  t.same(loadConfig({}, { mail }).mail, mail);
});
