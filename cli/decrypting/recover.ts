// DECRYPTS: `sealbox recover --user USERNAME`, the recovery secret on standard input.
//
// Secrets held here: the instance's recovery secret (the private key each report's key is also
// sealed to), each report key it opens with it, and each report's content in plaintext, read to
// honour the reporter's exclusions before a key is handed on.
// Why it is here: the server stores and routes reports and never reads them. Outside a browser,
// only this CLI, run by someone who holds the recovery secret (or, in export.ts, a reviewer's
// passphrase), may decrypt, so the code that does lives in cli/decrypting/ and nowhere else.
// Nothing under server/ may import this file.
import { decryptReportContent, fromB64u, keyIdOf, openSealedKey, sealKey, toB64u } from '../../crypto/index.js';
import { approvedIn, rosterState } from '../../server/roster.js';
import { checkRecoveryKey, CliError, dataDir, openServices, parse, print, readRecoverySecret, toCliError, type Io } from '../common.js';

/**
 * Gives a user the report keys they lack, opened with the recovery key: after a reset, or for a
 * member added when no other member can hand keys over. Internal keys are not sealed to the
 * recovery key, so notes come back only from another member's console.
 */
export async function cmdRecover(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { user: { type: 'string' } });
  if (!values.user) throw new CliError('--user USERNAME is required', 2);
  const recovery = await readRecoverySecret(io);
  const services = openServices(dataDir(values, io), io);
  try {
    const { repos } = services;
    checkRecoveryKey(services, recovery);
    const user = repos.users.byUsername(values.user);
    if (!user || user.disabled) throw new CliError(`no enabled user ${values.user}`);
    const recoveryId = keyIdOf(recovery.publicKey);
    let granted = 0;
    let unavailable = 0;
    // A key goes only to keys the roster names in the report's channel (PROTOCOL.md §9): otherwise
    // whoever can change an account's keys in the database, and then asks the operator to run
    // this, would be handed every report of the account's channels.
    const roster = rosterState(services);
    const awaiting: string[] = [];
    for (const channelId of repos.channels.channelIdsOf(user.id)) {
      if (!approvedIn(roster, channelId, user)) {
        awaiting.push(channelId);
        continue;
      }
      let cursor: number | undefined;
      do {
        const page = repos.reports.list({ viewerId: user.id, channelIds: [channelId], limit: 500, ...(cursor === undefined ? {} : { cursor }) });
        for (const item of page.reports) {
          if (repos.reports.key(item.id, user.keyId)) continue;
          const envelope = repos.reports.key(item.id, recoveryId);
          if (!envelope) {
            unavailable++;
            continue;
          }
          const key = openSealedKey(toB64u(envelope.sealedKey), recovery);
          // The inbox query already leaves out reports that exclude the user; the content, which
          // this command can read, must agree before a key goes to them (PROTOCOL.md §9).
          const report = repos.reports.byId(item.id)!;
          const content = decryptReportContent(key, item.id, { nonce: toB64u(report.contentNonce), ciphertext: toB64u(report.contentCiphertext) });
          if (content.excluded.includes(user.id)) continue;
          repos.reports.addKeys(item.id, [{ keyId: user.keyId, sealedKey: Buffer.from(fromB64u(sealKey(key, user.boxPublicKey))) }]);
          granted++;
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
    }
    services.audit({ actor: 'system', action: 'report.keys_recovered', target: user.id, details: { via: 'cli', granted, unavailable } });
    const waiting = awaiting.map((c) => ` Not in ${c}: the roster does not name ${user.username}'s keys there; compare fingerprints, then run \`sealbox roster approve ${user.username} --channel ${c}\` first.`).join('');
    print(io, !!values.json, { username: user.username, granted, unavailable, awaitingApproval: awaiting },
      `Sealed ${granted} report keys to ${user.username}.${unavailable ? ` ${unavailable} reports have no recovery envelope (made before the recovery key existed).` : ''}${waiting}`);
    return 0;
  } catch (error) {
    throw toCliError(error);
  } finally {
    recovery.secretKey.fill(0);
    services.close();
  }
}
