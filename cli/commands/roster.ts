// `sealbox roster show | verify | approve | init` (PROTOCOL.md §9): prints and checks the roster,
// and signs entries into it with the unit's root key.
//
// Secrets held here: `approve` and `init` read the recovery secret on standard input and derive the
// root signing key from it, only to sign roster entries; both are zeroed before the command ends.
// They open nothing (no report key, no key bundle, no report content), so this file is not under
// decrypting/.
import {
  entryHash, fingerprintOf, fromB64u, keyIdOf, memberFingerprint, rootKeysOf, signEntry, toB64u, verifyRoster,
  type BoxKeyPair, type RosterMember, type RosterState, type SignedEntry, type SignKeyPair,
} from '../../crypto/index.js';
import type { ChannelMember } from '../../db/repositories/channels.js';
import { rootEntry } from '../../server/init.js';
import { awaitingApprovalIn } from '../../server/recipients.js';
import { appendRosterEntry, approvedIn, fingerprintOfUser } from '../../server/roster.js';
import type { Services } from '../../server/services.js';
import { iso } from '../../server/time.js';
import { checkRecoveryKey, CliError, dataDir, openServices, parse, print, readRecoverySecret, toCliError, USAGE, type Io } from '../common.js';

/** The audit actor of the entries this command appends: `system`, as for every other CLI command's events. */
const ACTOR = 'system';

const NO_ROSTER = 'this instance has no roster yet; "sealbox roster init" signs one (the recovery secret on standard input)';

export async function cmdRoster(args: string[], io: Io): Promise<number> {
  const rest = args.slice(1);
  switch (args[0]) {
    case 'show': return show(rest, io);
    case 'verify': return verify(rest, io);
    case 'approve': return approve(rest, io);
    case 'init': return init(rest, io);
    default: throw new CliError(`roster takes "show", "verify", "approve" or "init"\n\n${USAGE}`, 2);
  }
}

type Values = Parameters<typeof dataDir>[0];

function withServices<T>(values: Values, io: Io, fn: (services: Services) => T): T {
  const services = openServices(dataDir(values, io), io);
  try {
    return fn(services);
  } catch (error) {
    throw toCliError(error);
  } finally {
    services.close();
  }
}

function noArguments(positionals: string[], what: string): void {
  if (positionals.length > 0) throw new CliError(`roster ${what} takes no arguments\n\n${USAGE}`, 2);
}

/** The roster verified from seq 0; refuses an empty one, or one that breaks a rule (naming the entry). */
function verified(services: Services): { entries: SignedEntry[]; state: RosterState; hashes: string[] } {
  const entries = services.repos.roster.entries();
  if (entries.length === 0) throw new CliError(NO_ROSTER);
  const checked = verifyRoster(entries);
  if (!checked.ok) throw new CliError(`the roster does not verify: entry ${checked.seq}: ${checked.reason}`);
  return { entries, state: checked.state, hashes: checked.hashes };
}

/** Whom a member entry names: the user's current keys, labelled with the username (docs/protocol.md, "Roster (section 9) choices"). */
const memberOf = (user: { id: string; username: string; boxPublicKey: Uint8Array; signPublicKey: Uint8Array }): RosterMember => ({
  userId: user.id, label: user.username, boxPublicKey: toB64u(user.boxPublicKey), signPublicKey: toB64u(user.signPublicKey),
});

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** A fingerprint as typed: groups, case and Crockford's look-alikes (O, I, L) do not matter. */
const normalFingerprint = (typed: string): string => typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');

// ---------------------------------------------------------------------------------------------
// show

async function show(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {});
  noArguments(positionals, 'show');
  return withServices(values, io, (services) => {
    const { repos } = services;
    const { entries, state } = verified(services);
    const ids = [...new Set([...repos.channels.list().map((c) => c.id), ...state.channels.keys()])];
    const channels = ids.map((id) => ({
      id,
      members: [...(state.channels.get(id)?.values() ?? [])].map((m) => ({
        userId: m.userId, username: repos.users.byId(m.userId)?.username ?? null, label: m.label,
        fingerprint: memberFingerprint(fromB64u(m.boxPublicKey, 32), fromB64u(m.signPublicKey, 32)),
      })),
      awaitingApproval: awaitingApprovalIn(services, id).map((m) => ({
        userId: m.id, username: m.username, fingerprint: fingerprintOfUser(m),
        op: state.channels.get(id)?.has(m.id) ? 'rekey' as const : 'add' as const,
      })),
    }));
    const unitFingerprint = fingerprintOf(state.rootSignPublicKey);
    const lines = [`Unit fingerprint: ${unitFingerprint} (the roster's ${entries.length} entries verify)`];
    for (const c of channels) {
      lines.push('', `Channel ${c.id}:`, c.members.length === 0 ? '  members: none' : '  members:');
      for (const m of c.members) lines.push(`    ${m.username ?? `(account gone, user id ${m.userId})`}  label "${m.label}"  ${m.fingerprint}`);
      if (c.awaitingApproval.length > 0) lines.push('  awaiting approval (they receive nothing until a member or the root signs them in):');
      for (const m of c.awaitingApproval) {
        lines.push(`    ${m.username}  ${m.fingerprint}  ${m.op === 'rekey' ? 'new keys (rekey)' : 'new member (add)'}: sealbox roster approve ${m.username} --channel ${c.id}`);
      }
    }
    print(io, !!values.json, { unitFingerprint, entries: entries.length, channels }, lines.join('\n'));
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------
// verify

async function verify(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {});
  noArguments(positionals, 'verify');
  return withServices(values, io, (services) => {
    const entries = services.repos.roster.entries();
    const checked = verifyRoster(entries);
    if (!checked.ok) {
      const hint = entries.length === 0 ? ` (${NO_ROSTER})` : '';
      print(io, !!values.json, { ok: false, entries: entries.length, seq: checked.seq, reason: checked.reason },
        `roster does NOT verify: entry ${checked.seq}: ${checked.reason}${hint}`);
      return 1;
    }
    const unitFingerprint = fingerprintOf(checked.state.rootSignPublicKey);
    print(io, !!values.json, { ok: true, entries: entries.length, unitFingerprint, lastHash: checked.hashes.at(-1) },
      `roster verifies: ${entries.length} entries, unit fingerprint ${unitFingerprint}`);
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------
// approve

/** Derives the root from the recovery secret for `fn`, and zeroes it afterwards. */
function withRoot<T>(recovery: BoxKeyPair, fn: (root: SignKeyPair) => T): T {
  const root = rootKeysOf(recovery.secretKey);
  try {
    return fn(root);
  } finally {
    root.secretKey.fill(0);
  }
}

async function approve(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { channel: { type: 'string' }, fingerprint: { type: 'string' } }, true);
  const username = positionals[0];
  if (!username || positionals.length > 1) throw new CliError(`roster approve takes one USERNAME\n\n${USAGE}`, 2);
  const channel = values.channel;
  if (!channel) throw new CliError('--channel ID is required', 2);
  const recovery = await readRecoverySecret(io);
  try {
    return withServices(values, io, (services) => {
      const { repos } = services;
      checkRecoveryKey(services, recovery);
      const { entries, state, hashes } = verified(services);
      return withRoot(recovery, (root) => {
        // The rules would refuse the entry anyway (its signer is not this roster's root); this says why.
        if (!sameBytes(root.publicKey, state.rootSignPublicKey)) {
          throw new CliError(`this recovery secret's root is not the roster's (unit fingerprint ${fingerprintOf(state.rootSignPublicKey)}); nothing signed`);
        }
        const user = repos.users.byUsername(username);
        if (!user) throw new CliError(`no user ${username}`);
        if (user.disabled) throw new CliError(`${username} is disabled; nothing signed`);
        if (!repos.channels.get(channel)) throw new CliError(`no channel "${channel}"`);
        // The roster decides whose keys may read; channel membership (an administrator's choice in the
        // console) decides whom the roster is asked about. Both must agree before anyone receives.
        if (!repos.channels.channelIdsOf(user.id).includes(channel)) {
          throw new CliError(`${username} is not a member of channel ${channel}; an administrator adds them in the console first`);
        }
        const fingerprint = fingerprintOfUser(user);
        if (values.fingerprint !== undefined && normalFingerprint(values.fingerprint) !== normalFingerprint(fingerprint)) {
          throw new CliError(`${username}'s keys here have fingerprint ${fingerprint}, not ${values.fingerprint}: these may not be their keys; nothing signed`);
        }
        const base = { username, userId: user.id, channel, fingerprint };
        if (approvedIn(state, channel, user)) {
          print(io, !!values.json, { ...base, approved: true, alreadyApproved: true, op: null, seq: null },
            `${username} is already approved in ${channel} with these keys (fingerprint ${fingerprint}); nothing written.`);
          return 0;
        }
        const op = state.channels.get(channel)?.has(user.id) ? 'rekey' : 'add';
        const item = signEntry({
          v: 1, seq: entries.length, prev: hashes.at(-1)!, at: iso(services.clock.now()), by: keyIdOf(root.publicKey),
          op, channel, member: memberOf(user),
        }, root.secretKey);
        const seq = appendRosterEntry(services, item, ACTOR);
        print(io, !!values.json, { ...base, approved: true, alreadyApproved: false, op, seq },
          `Approved ${username} in ${channel} (${op === 'add' ? 'add' : 'rekey: their new keys replace the old'}, roster entry ${seq}).\n` +
          `Fingerprint: ${fingerprint}\n` +
          `Compare it with the one ${username}'s account page shows (side by side or read aloud; --fingerprint checks it before signing). ` +
          `If they differ, these keys are not ${username}'s: disable the account at once (a disabled account receives nothing) and tell the channel's members.`);
        return 0;
      });
    });
  } finally {
    recovery.secretKey.fill(0);
  }
}

// ---------------------------------------------------------------------------------------------
// init

interface Listed {
  id: string;
  members: Array<{ userId: string; username: string; fingerprint: string }>;
}

/** Today's enabled members of each channel, with their current keys. */
const todaysMembers = (services: Services): Array<{ id: string; members: ChannelMember[] }> =>
  services.repos.channels.list().map((c) => ({ id: c.id, members: services.repos.channels.members(c.id) }));

const listed = (channels: Array<{ id: string; members: ChannelMember[] }>): Listed[] =>
  channels.map((c) => ({ id: c.id, members: c.members.map((m) => ({ userId: m.id, username: m.username, fingerprint: fingerprintOfUser(m) })) }));

function refuseExisting(services: Services): void {
  const n = services.repos.roster.count();
  if (n > 0) throw new CliError(`the roster already has ${n} entries; "roster init" is only for an instance made before the roster existed ("sealbox roster show" lists it)`);
}

const listText = (listed: Listed[]): string[] => listed.flatMap((c) => [
  `Channel ${c.id}:${c.members.length === 0 ? ' no members' : ''}`,
  ...c.members.map((m) => `    ${m.username}  ${m.fingerprint}`),
]);

async function init(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { yes: { type: 'boolean' } });
  noArguments(positionals, 'init');
  const recovery = await readRecoverySecret(io);
  try {
    return withServices(values, io, (services) => {
      checkRecoveryKey(services, recovery);
      refuseExisting(services);
      const unitFingerprint = withRoot(recovery, (root) => fingerprintOf(root.publicKey));
      if (!values.yes) {
        const list = listed(todaysMembers(services));
        print(io, !!values.json, { written: false, unitFingerprint, channels: list }, [
          `Unit fingerprint: ${unitFingerprint}`,
          'These enabled channel members would be signed into the roster with their current keys:', '',
          ...listText(list), '',
          'Compare each fingerprint with the one on that person\'s account page.',
          'nothing written; run again with --yes to sign these',
        ].join('\n'));
        return 0;
      }
      // One transaction (BEGIN IMMEDIATE), so that the members signed are the members listed, and the
      // roster is written whole or not at all.
      const { list, count } = services.db.transaction(() => {
        refuseExisting(services);
        const today = todaysMembers(services);
        const at = iso(services.clock.now());
        const first = rootEntry(recovery, at).entry;
        appendRosterEntry(services, first, ACTOR);
        let seq = 1;
        let prev = toB64u(entryHash(first));
        withRoot(recovery, (root) => {
          for (const { id: channel, members } of today) {
            for (const member of members) {
              const item = signEntry({ v: 1, seq, prev, at, by: keyIdOf(root.publicKey), op: 'add', channel, member: memberOf(member) }, root.secretKey);
              appendRosterEntry(services, item, ACTOR);
              prev = toB64u(entryHash(item));
              seq++;
            }
          }
        });
        return { list: listed(today), count: seq };
      });
      print(io, !!values.json, { written: true, unitFingerprint, entries: count, channels: list }, [
        `Signed the roster: the root and ${count - 1} channel memberships (${count} entries).`, '',
        ...listText(list), '',
        `Unit fingerprint (publish it: on your website, on posters; reporters and outside watchers check the roster against it):\n\n  ${unitFingerprint}`,
      ].join('\n'));
      return 0;
    });
  } finally {
    recovery.secretKey.fill(0);
  }
}
