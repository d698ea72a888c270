// DECRYPTS: `sealbox export REPORT_ID --user USERNAME --passphrase-stdin [--out DIR]`.
//
// Secrets held here: a reviewer's passphrase, the keys derived from it (the sign-in key and the
// wrap key that opens their key bundle) and the private keys in that bundle; case-export.ts then
// opens the report's keys with them and holds the report in plaintext.
// Why it is here: the server stores and routes reports and never reads them. Outside a browser,
// only this CLI, run by someone who holds a reviewer's passphrase (or, in recover.ts, the recovery
// secret), may decrypt, so the code that does lives in cli/decrypting/ and nowhere else.
// Nothing under server/ may import this file.
import { deriveUserKeys, openKeyBundle, ready, toB64u, type UserSecrets } from '../../crypto/index.js';
import type { Services } from '../../server/services.js';
import { CliError, dataDir, openServices, parse, readPassphrase, toCliError, USAGE, type Io } from '../common.js';
import { CaseExportError, exportReport } from './case-export.js';

/** Opens a user's key bundle with their passphrase, checking it against the stored verifier. */
function unlockUser(services: Services, username: string, passphrase: string): { id: string; keyId: string; secrets: UserSecrets } {
  const user = services.repos.users.byUsername(username);
  if (!user) throw new CliError(`no user ${username}`);
  const keys = deriveUserKeys(passphrase, { salt: user.salt, opslimit: user.opslimit, memlimit: user.memlimit });
  if (!services.keys.checkAuthKey(keys.authKey, user.authVerifier)) throw new CliError('wrong passphrase');
  const secrets = openKeyBundle(keys.wrapKey, username, { nonce: toB64u(user.keyBundleNonce), ciphertext: toB64u(user.keyBundleCiphertext) });
  return { id: user.id, keyId: user.keyId, secrets };
}

export async function cmdExport(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { user: { type: 'string' }, 'passphrase-stdin': { type: 'boolean' }, out: { type: 'string' } }, true);
  const reportId = positionals[0];
  if (!reportId || positionals.length > 1) throw new CliError(`export takes one REPORT_ID\n\n${USAGE}`, 2);
  if (!values.user) throw new CliError('--user USERNAME is required', 2);
  if (!values['passphrase-stdin']) throw new CliError('give the passphrase on standard input with --passphrase-stdin', 2);
  const passphrase = await readPassphrase(io);
  const services = openServices(dataDir(values, io), io);
  try {
    await ready;
    const me = unlockUser(services, values.user, passphrase);
    // With --out, the same files as the console's "Export case" (case-export.ts).
    const doc = await exportReport(services, { ...me, username: values.user }, reportId, values.out);
    io.stdout.write(`${JSON.stringify(doc, null, values.json ? undefined : 2)}\n`);
    return 0;
  } catch (error) {
    throw toCliError(error instanceof CaseExportError ? new CliError(error.message) : error);
  } finally {
    services.close();
  }
}
