// The SMTP transport against a local server: STARTTLS is required unless the operator says
// otherwise (no silent fallback to plain text), TLS from the first byte fails against a plain
// server, and a wrong password is refused. In none of these does a message get through.
import t from 'tap';
import type { MailConfig } from '../../../server/notifications/config.js';
import { smtpMailer } from '../../../server/notifications/mailer.js';
import { startSmtp } from '../../helpers/smtp.js';

const smtp = await startSmtp({ user: 'sealbox', password: 'right password' });
t.teardown(() => smtp.close());
const base: MailConfig = {
  host: '127.0.0.1', port: smtp.port, security: 'none', auth: { user: 'sealbox', password: 'right password' },
  from: 'sealbox@customs.example', dailyHourUtc: 7,
};
const mail = { to: 'amina@customs.example', subject: 'Sealbox: test', text: 'hello' };

async function failure(config: MailConfig): Promise<{ code?: unknown }> {
  const mailer = smtpMailer(config);
  try {
    await mailer.send(mail);
    return {};
  } catch (error) {
    return error as { code?: unknown };
  } finally {
    mailer.close();
  }
}

t.test('plain SMTP with the right password delivers', async (t) => {
  const mailer = smtpMailer(base);
  await mailer.send(mail);
  mailer.close();
  mailer.close();
  t.equal(smtp.mails.length, 1);
  t.same(smtp.mails[0]!.to, ['amina@customs.example']);
  t.equal(smtp.mails[0]!.subject, 'Sealbox: test');
});

t.test('"starttls" refuses a server that does not offer STARTTLS', async (t) => {
  const error = await failure({ ...base, security: 'starttls' });
  t.type(error.code, 'string', `refused (${String(error.code)})`);
  t.equal(smtp.mails.length, 1, 'nothing sent in the clear');
});

t.test('"starttls" refuses a certificate it cannot verify (smtp-server\'s built-in self-signed one)', async (t) => {
  const tlsServer = await startSmtp({ server: { disabledCommands: [] } });
  t.teardown(() => tlsServer.close());
  const { auth: _auth, ...withoutAuth } = base;
  const error = await failure({ ...withoutAuth, port: tlsServer.port, security: 'starttls' });
  t.type(error.code, 'string', `refused (${String(error.code)})`);
  t.equal(tlsServer.mails.length, 0, 'nothing sent');
});

t.test('"tls" fails against a server that speaks plain SMTP', async (t) => {
  const error = await failure({ ...base, security: 'tls' });
  t.type(error.code, 'string', `refused (${String(error.code)})`);
  t.equal(smtp.mails.length, 1);
});

t.test('a wrong password is refused', async (t) => {
  const error = await failure({ ...base, auth: { user: 'sealbox', password: 'wrong' } });
  t.equal(error.code, 'EAUTH');
  t.equal(smtp.mails.length, 1);
});
