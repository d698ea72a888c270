// deploy/ cannot be run here (no container engine), so this checks that its files agree with each
// other and with the code: every variable they set is one Sealbox reads and the README documents,
// the example settings load, the ports and the onion service's address line up with the Dockerfile,
// and the build context leaves local data and host modules out.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig } from '../../server/config.js';

const read = (path: string) => readFileSync(path, 'utf8');
const compose = read('deploy/compose.yaml');
const envExample = read('deploy/sealbox.env.example');
const torrc = read('deploy/torrc');
const caddyfile = read('deploy/Caddyfile');
const dockerfile = read('Dockerfile');
const readme = read('README.md');
const configSources = read('server/config.ts') + read('server/notifications/config.ts');

/** `NAME=value` lines of the example, commented out or not. */
const exampleVars = [...envExample.matchAll(/^#?(SEALBOX_[A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!] as const);
const composeVars = [...compose.matchAll(/^\s+(SEALBOX_[A-Z_]+): "?([^"\n]*)"?$/gm)].map((m) => [m[1]!, m[2]!] as const);
const dockerVars = new Map([...dockerfile.matchAll(/(SEALBOX_[A-Z_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));

t.test('every variable the files set is read by the configuration and documented', async (t) => {
  t.ok(exampleVars.length >= 10 && composeVars.length >= 4, `${exampleVars.length} + ${composeVars.length} variables found`);
  for (const [name] of [...exampleVars, ...composeVars, ...dockerVars]) {
    t.match(configSources, new RegExp(`\\b${name}:`), `${name} is read (server/config.ts)`);
    t.match(readme, `\`${name}\``, `${name} is in the README`);
  }
});

t.test('the example settings load, with mail and the onion address', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sealbox-deploy-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'smtp_password'), 'secret\n');
  const env: Record<string, string> = Object.fromEntries([...exampleVars, ...composeVars]);
  env.SEALBOX_SMTP_PASSWORD_FILE = join(dir, 'smtp_password');
  env.SEALBOX_DATA_DIR = dir;
  const c = loadConfig(env);
  t.match(c, { host: '0.0.0.0', reportPort: 8080, consolePort: 8081, trustProxy: true, publicUrl: 'https://report.customs.example' });
  t.match(c.onionUrl, /^http:\/\/[a-z2-7]{56}\.onion\/$/);
  t.match(c.mail, { host: 'smtp.customs.example', port: 587, security: 'starttls', auth: { user: 'sealbox', password: 'secret' }, dailyHourUtc: 6 });
});

t.test('ports, addresses and folders line up', async (t) => {
  const env = new Map(composeVars);
  t.equal(env.get('SEALBOX_REPORT_PORT'), dockerVars.get('SEALBOX_REPORT_PORT'), 'the reporter port, as in the Dockerfile');
  t.equal(env.get('SEALBOX_CONSOLE_PORT'), dockerVars.get('SEALBOX_CONSOLE_PORT'));
  t.equal(env.get('SEALBOX_DATA_DIR'), dockerVars.get('SEALBOX_DATA_DIR'));
  t.match(compose, `sealbox-data:${env.get('SEALBOX_DATA_DIR')}\n`, 'the data volume is mounted where the data folder is');
  t.match(compose, /"\$\{SEALBOX_CONSOLE_BIND:-127\.0\.0\.1\}:8081:8081"/, 'only the console is published, on a chosen address, loopback by default');
  t.notMatch(compose, /:8080:8080/, 'the reporting page is not published: Caddy and Tor reach it');
  t.match(caddyfile, /reverse_proxy sealbox:8080 \{/, 'Caddy proxies the reporter app');
  t.notMatch(caddyfile.replace(/^#.*$/gm, ''), /\blog \{[^}]*output/, 'no access log');
  const sealboxIp = /sealbox:[\s\S]*?ipv4_address: ([\d.]+)/.exec(compose)![1]!;
  const subnet = /subnet: ([\d.]+)\.0\/24/.exec(compose)![1]!;
  t.equal(/^HiddenServicePort 80 ([\d.]+):8080$/m.exec(torrc)?.[1], sealboxIp, 'the onion service points at the reporter app’s fixed address');
  t.ok(sealboxIp.startsWith(`${subnet}.`), 'inside the onion network');
  t.notMatch(torrc.replace(/^#.*$/gm, ''), /8081/, 'the console is never an onion service here');
});

t.test('the build context leaves out local instances and host modules', async (t) => {
  const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
  for (const entry of ['data', 'node_modules', 'dist', 'deploy/sealbox.env', 'deploy/smtp_password']) t.ok(ignored.includes(entry), entry);
  const gitignored = read('.gitignore').split('\n');
  for (const entry of ['deploy/sealbox.env', 'deploy/smtp_password']) t.ok(gitignored.includes(entry), `${entry} is not committed`);
});
