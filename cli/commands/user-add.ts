// `sealbox user add USERNAME --role … --passphrase-stdin`: makes the user's keys on this machine
// (server/users.ts stores them) and prints their authenticator secret. It holds the new user's
// passphrase and private keys only to seal them into their key bundle; it opens nothing (a new
// user holds no report key yet), so it is not under decrypting/.
import { deriveUserKeys, generateUserSecrets, newKdfParams, ready, sealKeyBundle, toB64u } from '../../crypto/index.js';
import { ROLES, type Role } from '../../db/schema.js';
import { approvedIn, rosterState } from '../../server/roster.js';
import { newTotpSecret, totpUri } from '../../server/totp.js';
import { createUser } from '../../server/users.js';
import { CliError, dataDir, openServices, parse, print, readPassphrase, toCliError, USAGE, type Io } from '../common.js';

export async function cmdUserAdd(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { role: { type: 'string' }, channels: { type: 'string' }, 'passphrase-stdin': { type: 'boolean' } }, true);
  const username = positionals[0];
  if (!username || positionals.length > 1) throw new CliError(`user add takes one USERNAME\n\n${USAGE}`, 2);
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new CliError('--role must be reviewer, admin or auditor', 2);
  if (!values['passphrase-stdin']) throw new CliError('give the passphrase on standard input with --passphrase-stdin', 2);
  const passphrase = await readPassphrase(io);
  if ([...passphrase].length < 12) throw new CliError('the passphrase must have at least 12 characters');
  const channels = role === 'auditor' ? [] : (values.channels ?? 'staff,public').split(',').map((c) => c.trim()).filter(Boolean);
  const services = openServices(dataDir(values, io), io);
  try {
    await ready;
    const params = newKdfParams();
    const keys = deriveUserKeys(passphrase, params);
    const secrets = generateUserSecrets();
    const totpSecret = newTotpSecret();
    const user = createUser(services, {
      username, roles: [role], channels, salt: toB64u(params.salt), opslimit: params.opslimit, memlimit: params.memlimit,
      authKey: toB64u(keys.authKey), boxPublicKey: toB64u(secrets.box.publicKey), signPublicKey: toB64u(secrets.sign.publicKey),
      keyBundle: sealKeyBundle(keys.wrapKey, username, secrets), totpSecret,
    });
    services.audit({ actor: 'system', action: 'user.create', target: user.id, details: { username, roles: [role], channels, via: 'cli' } });
    // New keys are in no roster (PROTOCOL.md §9): the account receives nothing until someone who
    // holds the channel's trust signs it in; the operator is told so, and how.
    const state = rosterState(services);
    const awaitingApproval = channels.filter((c) => !approvedIn(state, c, user));
    const out = { username, keyId: user.keyId, totpSecret, otpauthUri: totpUri(username, totpSecret), awaitingApproval };
    const approval = awaitingApproval.length === 0 ? '' : `\n${username} receives no reports from ${awaitingApproval.join(', ')} until a member of that channel approves them in the console, ` +
      `or the operator runs (the recovery secret on standard input):\n${awaitingApproval.map((c) => `  sealbox roster approve ${username} --channel ${c}`).join('\n')}`;
    print(io, !!values.json, out, `Created ${role} ${username} (key ${user.keyId}).\nAuthenticator secret: ${totpSecret}\n${out.otpauthUri}${approval}`);
    return 0;
  } catch (error) {
    throw toCliError(error);
  } finally {
    services.close();
  }
}
