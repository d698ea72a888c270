// Everything the console does with keys, run inside its Web Worker so that no secret ever reaches
// the page: deriving keys from a passphrase (Argon2id), signing in and opening the key bundle,
// enrolling through a setup/invitation/reset link, opening reports (K, Ki), handing keys on to
// channel members who lack them, encrypting replies and notes, and decrypting attachments chunk by
// chunk. Secret keys live in this object only, and `wipe` zeroes them.
import {
  decryptAttachment, decryptAttachmentMeta, decryptNote, decryptReportContent, deriveUserKeys, openConversation, sealMessage,
  encryptNote, formatRecoverySecret, fromB64u, generateRecoveryKeyPair, generateReportKey, generateUserSecrets,
  keyIdOf, newKdfParams, openKeyBundle, openSealedKey, sealKey, sealKeyBundle, SealboxCryptoError, toB64u, type UserSecrets,
  entryHash, FIRST_PREV, fingerprintOf, rootKeysOf, signEntry, type RosterState, type SignedEntry, memberFingerprint, namesMember, parseRecoverySecret,
} from '../../../crypto/index.js';
import { api, ApiError, send, type Http } from '../api.js';
import { ApprovalError, fingerprintOfKeys, signApproval, verifiedRoster, type Approval, type MemberToApprove } from './approval.js';
import { exportCase, type CaseArchive, type CaseExportOptions } from './case-export.js';
import type { KeyDistributionPage, KeysBody, LoginResponse } from '../../../domain/api.js';
import type { AttachmentProgress, ListItem, Member, ReportDoc, ReportView, Sealed, SignedInfo, UserInfo } from '../types.js';

/** Passphrases are compared as Unicode NFC, so the same words typed on two systems open the same keys. */
export const normalisePassphrase = (passphrase: string): string => passphrase.normalize('NFC');

interface Me {
  info: UserInfo;
  secrets: UserSecrets;
  keyId: string;
}

interface PendingEnrolment {
  username: string;
  secrets: UserSecrets;
  body: {
    username: string; salt: string; opslimit: number; memlimit: number; authKey: string;
    boxPublicKey: string; signPublicKey: string; keyBundle: Sealed;
  };
}

interface OpenReport {
  id: string;
  key: Uint8Array;
  internalKey: Uint8Array | undefined;
  doc: ReportDoc;
  /** What this console's next message names as `prev`: the last message it loaded or sent. */
  lastSeen: string;
}

export interface DecryptedFile {
  blob: Blob;
  name: string;
  type: string;
  size: number;
}

function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

/**
 * The members a report's keys may be handed to: whom the reporter left out is read from the
 * decrypted content, never from the server, which could list them as lacking a key (PROTOCOL.md §9).
 */
const readers = (members: Member[], excluded: readonly string[]): Member[] => members.filter((m) => !excluded.includes(m.id));

/**
 * A member's public key, but only when it matches the key id the server names it by and the
 * verified roster names this member in `channelId` with this very key (PROTOCOL.md §9). Without
 * the roster check the server decides who is a member: an administrator who adds themselves to a
 * channel, or resets a colleague and opens the link, would be handed every report's keys.
 */
function memberKey(m: Member, roster: RosterState | undefined, channelId: string): Uint8Array | undefined {
  const pk = attempt(() => fromB64u(m.boxPublicKey, 32));
  // A server that swapped one member's key for another would otherwise get a key sealed to it.
  if (!pk || keyIdOf(pk) !== m.keyId) return undefined;
  return namesMember(roster, channelId, m.id, m.boxPublicKey) ? pk : undefined;
}

function wipeSecrets(secrets: UserSecrets): void {
  secrets.box.secretKey.fill(0);
  secrets.sign.secretKey.fill(0);
}

export class Vault {
  private me: Me | undefined;
  private pending: PendingEnrolment | undefined;
  private report: OpenReport | undefined;
  /** The roster's root entry signed by makeRecoveryKey, sent with the enrolment. */
  private rosterRoot: SignedEntry | undefined;
  /** The root's signing keys, between makeRecoveryKey and the end of the enrolment only. */
  private setupRoot: { publicKey: Uint8Array; secretKey: Uint8Array } | undefined;

  constructor(private readonly http: Http) {}

  get signedIn(): SignedInfo | undefined {
    return this.me ? { user: this.me.info, keyId: this.me.keyId } : undefined;
  }

  private need(): Me {
    if (!this.me) throw new Error('the console is locked');
    return this.me;
  }

  private adopt(res: LoginResponse, secrets: UserSecrets): SignedInfo {
    // The server's copy of the public key must be the one the bundle's secret makes.
    if (toB64u(secrets.box.publicKey) !== res.boxPublicKey) {
      wipeSecrets(secrets);
      throw new SealboxCryptoError('SBX_DECRYPT_FAILED', 'the key bundle does not match this account');
    }
    this.wipe();
    this.me = { info: res.user, secrets, keyId: keyIdOf(secrets.box.publicKey) };
    return this.signedIn!;
  }

  /** POST /api/auth/params, Argon2id, POST /api/auth/login, then the key bundle opened. */
  async login(username: string, passphrase: string, totp: string): Promise<SignedInfo> {
    const params = await api<{ salt: string; opslimit: number; memlimit: number }>(this.http, 'POST', '/api/auth/params', { username });
    // deriveUserKeys refuses parameters below the protocol's: a server cannot downgrade the KDF.
    const keys = deriveUserKeys(normalisePassphrase(passphrase), { salt: fromB64u(params.salt, 16, 'salt'), opslimit: params.opslimit, memlimit: params.memlimit });
    try {
      const res = await api<LoginResponse>(this.http, 'POST', '/api/auth/login', { username, authKey: toB64u(keys.authKey), totp });
      return this.adopt(res, openKeyBundle(keys.wrapKey, res.user.username, res.keyBundle));
    } finally {
      keys.authKey.fill(0);
      keys.wrapKey.fill(0);
    }
  }

  /** New keys for an enrolment: derives from the passphrase and seals the bundle; nothing is sent yet. */
  prepareEnrolment(username: string, passphrase: string): void {
    const params = newKdfParams();
    const keys = deriveUserKeys(normalisePassphrase(passphrase), params);
    const secrets = generateUserSecrets();
    if (this.pending) wipeSecrets(this.pending.secrets);
    this.pending = {
      username,
      secrets,
      body: {
        username, salt: toB64u(params.salt), opslimit: params.opslimit, memlimit: params.memlimit, authKey: toB64u(keys.authKey),
        boxPublicKey: toB64u(secrets.box.publicKey), signPublicKey: toB64u(secrets.sign.publicKey),
        keyBundle: sealKeyBundle(keys.wrapKey, username, secrets),
      },
    };
    keys.authKey.fill(0);
    keys.wrapKey.fill(0);
  }

  /**
   * The instance recovery key pair: the secret goes to the page to be shown once, then is gone from
   * here. Before it goes, the root key derived from it signs the roster's root entry (PROTOCOL.md
   * §9), which the enrolment sends with the recovery public key; the page shows the unit
   * fingerprint beside the secret.
   */
  makeRecoveryKey(): { publicKey: string; keyId: string; secret: string; unitFingerprint: string } {
    const pair = generateRecoveryKeyPair();
    const secret = formatRecoverySecret(pair.secretKey);
    const root = rootKeysOf(pair.secretKey);
    pair.secretKey.fill(0);
    this.rosterRoot = signEntry({
      v: 1, seq: 0, prev: FIRST_PREV, at: new Date().toISOString(), by: keyIdOf(root.publicKey), op: 'root',
      root: { signPublicKey: toB64u(root.publicKey) }, recovery: { boxPublicKey: toB64u(pair.publicKey) },
    }, root.secretKey);
    // Kept until the enrolment completes, to sign the first administrator into their channels
    // (the server names their user id only then); zeroed right after, or by the next call or wipe.
    this.setupRoot?.secretKey.fill(0);
    this.setupRoot = root;
    return { publicKey: toB64u(pair.publicKey), keyId: keyIdOf(pair.publicKey), secret, unitFingerprint: fingerprintOf(root.publicKey) };
  }

  /** POST /api/setup/complete with the prepared keys and a code proving the authenticator; signs in. */
  async completeEnrolment(token: string, totpSecret: string, totpCode: string, recoveryPublicKey?: string): Promise<SignedInfo> {
    const pending = this.pending;
    if (!pending) throw new Error('no keys were prepared');
    const rosterRoot = recoveryPublicKey && this.rosterRoot?.entry.op === 'root' && this.rosterRoot.entry.recovery.boxPublicKey === recoveryPublicKey ? this.rosterRoot : undefined;
    const res = await api<LoginResponse>(this.http, 'POST', '/api/setup/complete', {
      token, ...pending.body, totpSecret, totpCode, ...(recoveryPublicKey ? { recoveryPublicKey } : {}), ...(rosterRoot ? { rosterRoot } : {}),
    });
    this.rosterRoot = undefined;
    this.pending = undefined;
    const root = this.setupRoot;
    this.setupRoot = undefined;
    const signed = this.adopt(res, pending.secrets);
    if (root) {
      try {
        // The roster's first members: the first administrator in every channel, signed by the
        // root the new recovery secret gives (PROTOCOL.md §9). Without them nobody could read a
        // report until someone ran `sealbox roster approve`.
        if (rosterRoot) await this.signFirstMember(rosterRoot, root, res);
      } finally {
        root.secretKey.fill(0);
      }
    }
    return signed;
  }

  /** Appends an `add` for the signed-in user to each of their channels, signed by `root`, after `rootEntry`. */
  private async signFirstMember(rootEntry: SignedEntry, root: { publicKey: Uint8Array; secretKey: Uint8Array }, res: LoginResponse): Promise<void> {
    const me = this.need();
    let last = rootEntry;
    for (const channel of res.user.channels) {
      const item = signEntry({
        v: 1, seq: last.entry.seq + 1, prev: toB64u(entryHash(last)), at: new Date().toISOString(), by: keyIdOf(root.publicKey), op: 'add', channel,
        member: { userId: res.user.id, label: res.user.username, boxPublicKey: toB64u(me.secrets.box.publicKey), signPublicKey: toB64u(me.secrets.sign.publicKey) },
      }, root.secretKey);
      await api(this.http, 'POST', '/api/roster', item);
      last = item;
    }
  }

  /**
   * GET /api/roster, verified from its first entry; undefined when it does not verify, and then no
   * key is handed to anyone but this member. (Whether its root is this unit's, the unit
   * fingerprint the console shows lets people check.)
   */
  private async verifiedRoster(): Promise<RosterState | undefined> {
    try {
      return (await verifiedRoster(this.http)).state;
    } catch (error) {
      if (error instanceof ApprovalError) return undefined;
      throw error;
    }
  }

  private async fetchReport(id: string): Promise<ReportDoc> {
    return api<ReportDoc>(this.http, 'GET', `/api/reports/${encodeURIComponent(id)}`);
  }

  /** GET /api/reports/{id}, decrypted. Makes the internal key when no member has one yet. */
  async openReport(id: string): Promise<ReportView> {
    const me = this.need();
    this.closeReport();
    let doc = await this.fetchReport(id);
    const shown = (list: Member[]) => list.map((m) => ({ id: m.id, username: m.username, hasKey: m.hasKey }));
    const item = itemOf(doc);
    if (!doc.sealedKey) {
      return { item, hasKey: false, content: null, messages: [], notes: [], notesState: 'no-key', attachments: [], members: shown(doc.members), madeInternalKey: false };
    }
    const key = attempt(() => openSealedKey(doc.sealedKey!, me.secrets.box));
    if (!key) {
      // An envelope that does not open (a colleague sealed garbage, or to another key): drop it, so
      // that the next sweep of a member who holds the key seals a fresh one; until then, no key.
      await api(this.http, 'POST', `/api/reports/${encodeURIComponent(id)}/keys/renew`, {});
      return { item, hasKey: false, content: null, messages: [], notes: [], notesState: 'no-key', attachments: [], members: shown(doc.members), madeInternalKey: false };
    }
    const content = attempt(() => decryptReportContent(key, id, doc.content));
    // Content that does not open cannot say whom it leaves out: then no key goes to anyone else.
    const others = content ? readers(doc.members, content.excluded) : doc.members.filter((m) => m.id === me.info.id);
    doc = { ...doc, members: others };
    let internalKey = doc.sealedInternalKey ? attempt(() => openSealedKey(doc.sealedInternalKey!, me.secrets.box)) ?? undefined : undefined;
    let madeInternalKey = false;
    if (!internalKey && !doc.sealedInternalKey && !doc.members.some((m) => m.hasInternalKey)) {
      // The first member to open the report makes Ki and seals it to every member who holds K
      // and whom the roster names; to themselves whatever the roster says (it is their own key).
      const made = generateReportKey();
      const roster = await this.verifiedRoster();
      const keys = doc.members.filter((m) => m.hasKey || m.id === me.info.id).flatMap((m) => {
        const pk = m.id === me.info.id && m.keyId === me.keyId ? me.secrets.box.publicKey : memberKey(m, roster, doc.channelId);
        return pk ? [{ keyId: m.keyId, sealedKey: sealKey(key, pk), sealedInternalKey: sealKey(made, pk) }] : [];
      });
      if (keys.length > 0) {
        try {
          const res = await api<{ sealedInternalKey: string | null }>(this.http, 'POST', `/api/reports/${encodeURIComponent(id)}/keys`, { keys } satisfies KeysBody);
          // Another member may have made one at the same moment: the server keeps the first and
          // answers with this member's envelope as it now stands, so use that one.
          const sealedInternalKey = res.sealedInternalKey;
          internalKey = sealedInternalKey ? attempt(() => openSealedKey(sealedInternalKey, me.secrets.box)) ?? undefined : undefined;
          madeInternalKey = internalKey !== undefined && internalKey.length === made.length && internalKey.every((b, i) => b === made[i]);
          // Who holds what now, as the page shows it: everyone sealed to above.
          const given = new Set(keys.map((k) => k.keyId));
          doc = { ...doc, sealedInternalKey, members: doc.members.map((m) => (given.has(m.keyId) ? { ...m, hasKey: true, hasInternalKey: true } : m)) };
        } catch (error) {
          // The report still opens without notes (say, the channel's members changed meanwhile); a lost session does not.
          if (error instanceof ApiError && error.status === 401) throw error;
        }
      }
      made.fill(0);
    }
    const conversation = openConversation(key, id, doc.messages);
    this.report = { id, key, internalKey, doc, lastSeen: conversation.next };
    return {
      item,
      hasKey: true,
      content: content ? { locale: content.locale, questionnaire: content.questionnaire, answers: content.answers } : null,
      messages: conversation.messages.map((m) => ({ id: m.id, author: m.author, createdAt: m.createdAt, text: m.text, missingBefore: m.missingBefore })),
      notes: internalKey
        ? doc.notes.map((n) => ({ id: n.id, authorUserId: n.authorUserId, createdAt: n.createdAt, text: attempt(() => decryptNote(internalKey!, id, n)) }))
        : doc.notes.map((n) => ({ id: n.id, authorUserId: n.authorUserId, createdAt: n.createdAt, text: null })),
      notesState: internalKey ? 'ready' : 'waiting',
      attachments: doc.attachments.map((a) => {
        const meta = attempt(() => decryptAttachmentMeta(key, id, a.id, a.meta));
        return { id: a.id, createdAt: a.createdAt, complete: a.complete, encryptedSize: a.size, meta: meta ? { name: meta.name, type: meta.type, size: meta.size } : null };
      }),
      members: shown(others),
      madeInternalKey,
    };
  }

  private open(id: string): OpenReport {
    if (!this.report || this.report.id !== id) throw new Error('the report is not open');
    return this.report;
  }

  /**
   * Key distribution: seals K (and Ki) to the channel's members who lack them (or, with `userIds`,
   * to those of them only, e.g. new assignees). Returns the usernames that received keys.
   */
  async distribute(id: string, userIds?: readonly string[]): Promise<string[]> {
    const me = this.need();
    const report = this.open(id);
    const targets = report.doc.members.filter((m) => m.id !== me.info.id
      && (!m.hasKey || (report.internalKey !== undefined && !m.hasInternalKey))
      && (userIds === undefined || userIds.includes(m.id)));
    const roster = await this.verifiedRoster();
    const keys = targets.flatMap((m) => {
      const pk = memberKey(m, roster, report.doc.channelId);
      if (!pk) return [];
      return [{
        keyId: m.keyId,
        sealedKey: sealKey(report.key, pk),
        ...(report.internalKey ? { sealedInternalKey: sealKey(report.internalKey, pk) } : {}),
      }];
    });
    if (keys.length === 0) return [];
    await api(this.http, 'POST', `/api/reports/${encodeURIComponent(id)}/keys`, { keys } satisfies KeysBody);
    const given = new Set(keys.map((k) => k.keyId));
    for (const m of report.doc.members) {
      if (!given.has(m.keyId)) continue;
      m.hasKey = true;
      if (report.internalKey) m.hasInternalKey = true;
    }
    return report.doc.members.filter((m) => given.has(m.keyId)).map((m) => m.username);
  }

  /**
   * The sweep after sign-in: for every report this member holds the key of and another member of
   * its channel lacks (a new member, a reset user), seals K (and Ki) to them. Reports are not
   * opened or decrypted for it; only the two keys are unsealed, in this worker. Returns how many
   * reports were shared and with whom.
   */
  async sweep(): Promise<{ reports: number; usernames: string[] }> {
    const me = this.need();
    const usernames = new Set<string>();
    let reports = 0;
    let cursor: string | null = null;
    // Read and verified once per sweep: keys go only to the members it names, in the report's channel.
    const roster = await this.verifiedRoster();
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page: KeyDistributionPage = await api<KeyDistributionPage>(this.http, 'GET', `/api/key-distribution?limit=50${query}`);
      for (const r of page.reports) {
        const key = attempt(() => openSealedKey(r.sealedKey, me.secrets.box));
        if (!key) continue; // an envelope this member cannot open: nothing to hand on
        const content = attempt(() => decryptReportContent(key, r.id, r.content));
        if (!content) {
          key.fill(0);
          continue; // content that does not open cannot say whom the reporter left out: hand nothing on
        }
        const internalKey = r.sealedInternalKey ? attempt(() => openSealedKey(r.sealedInternalKey!, me.secrets.box)) ?? undefined : undefined;
        const targets = readers(r.members, content.excluded)
          .filter((m) => m.id !== me.info.id && (!m.hasKey || (internalKey !== undefined && !m.hasInternalKey)));
        const keys = targets.flatMap((m) => {
          const pk = memberKey(m, roster, r.channelId);
          return pk ? [{ keyId: m.keyId, sealedKey: sealKey(key, pk), ...(internalKey ? { sealedInternalKey: sealKey(internalKey, pk) } : {}) }] : [];
        });
        key.fill(0);
        internalKey?.fill(0);
        if (keys.length === 0) continue;
        await api(this.http, 'POST', `/api/reports/${encodeURIComponent(r.id)}/keys`, { keys } satisfies KeysBody);
        reports += 1;
        const given = new Set(keys.map((k) => k.keyId));
        for (const m of targets) if (given.has(m.keyId)) usernames.add(m.username);
      }
      cursor = page.nextCursor;
      // A page whose every report was handed on is gone from the next query; the cursor still moves on.
    } while (cursor !== null);
    return { reports, usernames: [...usernames].sort() };
  }

  /** Encrypts a message to the reporter under K (author "reviewer") and sends it. */
  async sendMessage(id: string, text: string): Promise<{ id: string; createdAt: string }> {
    const report = this.open(id);
    // Version 2 (PROTOCOL.md §9): the id in the AD, and `prev` naming the last message this console saw.
    const { body, hash } = sealMessage(report.key, id, 'reviewer', text, report.lastSeen);
    const sent = await api<{ id: string; createdAt: string }>(this.http, 'POST', `/api/reports/${encodeURIComponent(id)}/messages`, body);
    report.lastSeen = hash;
    return sent;
  }

  /** Encrypts an internal note under Ki and sends it; never readable by the reporter. */
  async addNote(id: string, text: string): Promise<{ id: string; createdAt: string }> {
    const report = this.open(id);
    if (!report.internalKey) throw new Error('the internal key is not available yet');
    return api(this.http, 'POST', `/api/reports/${encodeURIComponent(id)}/notes`, encryptNote(report.internalKey, id, text));
  }

  /**
   * Keeps a closed report until `retainUntil` (YYYY-MM-DD); the reason goes with it as an internal
   * note under Ki, so the server stores it encrypted and audits only the dates.
   */
  async extendRetention(id: string, retainUntil: string, reason: string): Promise<{ report: ListItem; note: { id: string; createdAt: string } }> {
    const report = this.open(id);
    if (!report.internalKey) throw new Error('the internal key is not available yet');
    return api(this.http, 'POST', `/api/reports/${encodeURIComponent(id)}/retention`, { retainUntil, note: encryptNote(report.internalKey, id, reason) });
  }

  /**
   * Downloads an attachment's encrypted stream and decrypts it chunk by chunk as it arrives.
   * A damaged or truncated stream throws (SBX_DECRYPT_FAILED, SBX_STREAM_*): never a partial file.
   */
  async decryptAttachment(id: string, attachmentId: string, onProgress: (p: AttachmentProgress) => void = () => undefined): Promise<DecryptedFile> {
    const report = this.open(id);
    const row = report.doc.attachments.find((a) => a.id === attachmentId);
    if (!row) throw new Error('no such attachment');
    const meta = decryptAttachmentMeta(report.key, id, attachmentId, row.meta);
    const fileKey = fromB64u(meta.key, 32, 'attachment key');
    const res = await send(this.http, 'GET', `/api/reports/${encodeURIComponent(id)}/attachments/${encodeURIComponent(attachmentId)}`);
    const total = row.size;
    let received = 0;
    async function* pieces(): AsyncGenerator<Uint8Array> {
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        received += value.length;
        onProgress({ received, total });
        yield value;
      }
    }
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let size = 0;
    try {
      for await (const plain of decryptAttachment(fileKey, pieces())) {
        parts.push(plain as Uint8Array<ArrayBuffer>);
        size += plain.length;
      }
    } finally {
      fileKey.fill(0);
    }
    if (size !== meta.size) throw new SealboxCryptoError('SBX_STREAM_INVALID', 'the file does not have the size its details give');
    return { blob: new Blob(parts, { type: meta.type || 'application/octet-stream' }), name: meta.name, type: meta.type, size };
  }

  /** "Export case": the open report, read afresh, decrypted and zipped here (see case-export.ts). */
  async exportCase(id: string, options: CaseExportOptions, onProgress: (p: AttachmentProgress) => void = () => undefined): Promise<CaseArchive> {
    const me = this.need();
    const report = this.open(id);
    return exportCase(this.http, id, { key: report.key, internalKey: report.internalKey, box: me.secrets.box }, options,
      (p) => onProgress({ received: p.done, total: p.total }));
  }

  /** This member's fingerprint (PROTOCOL.md §9), from the keys this worker holds: what colleagues compare before approving. */
  myFingerprint(): string {
    const me = this.need();
    return memberFingerprint(me.secrets.box.publicKey, me.secrets.sign.publicKey);
  }

  /** The unit fingerprint of the verified roster's root: what the organisation publishes. */
  async unitFingerprint(): Promise<string> {
    this.need();
    return fingerprintOf((await verifiedRoster(this.http)).state.rootSignPublicKey);
  }

  /** The fingerprints of members' listed keys, computed here (null for keys that are not keys): never a text of the server's. */
  memberFingerprints(members: ReadonlyArray<Pick<MemberToApprove, 'boxPublicKey' | 'signPublicKey'>>): Array<string | null> {
    return members.map((m) => attempt(() => fingerprintOfKeys(m)));
  }

  /**
   * Approves a member awaiting approval in a channel (PROTOCOL.md §9): verifies the roster, checks
   * that this member is in the channel's roster with their current keys (and is not the member
   * concerned), and signs an `add` (or a `rekey` after a reset) of exactly the listed keys with
   * this member's signing key. Returns the fingerprint of the keys it signed.
   */
  async approveMember(member: MemberToApprove): Promise<Approval> {
    const me = this.need();
    if (member.userId === me.info.id) throw new ApprovalError('SBX_SELF_APPROVAL', 'nobody approves their own keys');
    return signApproval(this.http, member, me.secrets.sign, (state) => {
      // Else the server refuses the entry anyway; this says why before anything is signed.
      if (!namesMember(state, member.channelId, me.info.id, toB64u(me.secrets.box.publicKey), toB64u(me.secrets.sign.publicKey))) {
        throw new ApprovalError('SBX_NOT_APPROVED_SELF', 'you are not approved in this channel yourself');
      }
    });
  }

  /**
   * Approves a member with the unit's root key (the first member of a channel, or when no member is
   * left): derives it from the typed recovery secret, checks it is the verified roster's root, signs
   * and appends. Every secret byte is zeroed before this returns, also on failure; nothing is kept.
   */
  async approveWithRecoverySecret(secretText: string, member: MemberToApprove): Promise<Approval> {
    this.need();
    let recoverySecretKey: Uint8Array;
    try {
      recoverySecretKey = parseRecoverySecret(secretText).secretKey;
    } catch {
      // The parser's message may quote a typed character: never passed on.
      throw new ApprovalError('SBX_RECOVERY_SECRET_TYPO', 'this is not a recovery secret');
    }
    const root = rootKeysOf(recoverySecretKey);
    recoverySecretKey.fill(0);
    try {
      return await signApproval(this.http, member, root, (state) => {
        if (toB64u(state.rootSignPublicKey) !== toB64u(root.publicKey)) {
          throw new ApprovalError('SBX_WRONG_RECOVERY_SECRET', 'this is not this unit\'s recovery secret');
        }
      });
    } finally {
      root.secretKey.fill(0);
    }
  }

  /** Forgets the open report's keys (leaving its page). */
  closeReport(): void {
    if (!this.report) return;
    this.report.key.fill(0);
    this.report.internalKey?.fill(0);
    this.report = undefined;
  }

  /** Zeroes every key this vault holds: the idle lock and signing out. */
  wipe(): void {
    this.closeReport();
    if (this.me) wipeSecrets(this.me.secrets);
    if (this.pending) wipeSecrets(this.pending.secrets);
    this.setupRoot?.secretKey.fill(0);
    this.me = undefined;
    this.pending = undefined;
    this.setupRoot = undefined;
  }
}

/** The inbox fields of a report document. */
function itemOf(doc: ReportDoc): ListItem {
  return {
    id: doc.id, channelId: doc.channelId, receivedAt: doc.receivedAt, status: doc.status, severity: doc.severity, category: doc.category,
    office: doc.office, process: doc.process, outcome: doc.outcome, assignees: doc.assignees, unread: doc.unread,
    acknowledgedAt: doc.acknowledgedAt, closedAt: doc.closedAt, acknowledgeBy: doc.acknowledgeBy, feedbackBy: doc.feedbackBy,
    deleteAt: doc.deleteAt,
  };
}

