// Making a new instance: data folder, server secret, database, default channels, recovery key.
import {
  FIRST_PREV, fingerprintOf, formatRecoverySecret, generateRecoveryKeyPair, keyIdOf, rootKeysOf, signEntry, toB64u, type SignedEntry,
} from '../crypto/index.js';
import { openDatabase } from '../db/connection.js';
import { createRepositories } from '../db/repositories/index.js';
import { defaultChannels } from './channels-default.js';
import { createDataFolder, dataPaths, isInitialised } from './instance.js';
import { defaultQuestionnaire } from '../domain/defaults/questionnaire.js';
import { PROCESSES } from '../domain/categories.js';
import { ACK_TEMPLATE_SETTING, OFFICES_SETTING, PROCESSES_SETTING, RECOVERY_KEY_SETTING } from '../domain/settings.js';
import { iso, systemClock, type Clock } from './time.js';
import { withTranslations } from '../domain/defaults/translations/index.js';

/** The acknowledgement a new instance offers reviewers, in every language of the reporting page. */
export const DEFAULT_ACKNOWLEDGEMENT: Record<string, string> = withTranslations(
  'Thank you. We have received your report and will look into it. You can follow its progress and answer our questions here with your receipt code.',
  'Merci. Nous avons bien reçu votre signalement et allons l’examiner. Vous pouvez suivre son traitement et répondre à nos questions ici avec votre code de reçu.',
);

export interface InitResult {
  /** Shown once, for offline keeping; undefined when the setup page will make the key instead. */
  recoverySecret?: string;
  recoveryKeyId?: string;
  /** The root's fingerprint (PROTOCOL.md §9), for the organisation to publish. */
  unitFingerprint?: string;
}

/**
 * The roster's root entry (seq 0) for a recovery key pair, signed by the root key derived from its
 * secret; and the unit fingerprint an organisation publishes.
 */
export function rootEntry(recovery: { publicKey: Uint8Array; secretKey: Uint8Array }, at: string): { entry: SignedEntry; unitFingerprint: string } {
  const root = rootKeysOf(recovery.secretKey);
  try {
    const entry = signEntry({
      v: 1, seq: 0, prev: FIRST_PREV, at, by: keyIdOf(root.publicKey), op: 'root',
      root: { signPublicKey: toB64u(root.publicKey) }, recovery: { boxPublicKey: toB64u(recovery.publicKey) },
    }, root.secretKey);
    return { entry, unitFingerprint: fingerprintOf(root.publicKey) };
  } finally {
    root.secretKey.fill(0);
  }
}

export class AlreadyInitialisedError extends Error {
  constructor(dir: string) {
    super(`${dir} already holds a Sealbox instance; refusing to touch it`);
  }
}


export function initInstance(dir: string, options: { recoveryKey: boolean; clock?: Clock }): InitResult {
  const paths = dataPaths(dir);
  if (isInitialised(paths)) throw new AlreadyInitialisedError(dir);
  createDataFolder(paths);
  const db = openDatabase(paths.database);
  try {
    const repos = createRepositories(db);
    const now = iso((options.clock ?? systemClock).now());
    let result: InitResult = {};
    db.transaction(() => {
      for (const c of defaultChannels) repos.channels.upsert({ ...c, questionnaire: defaultQuestionnaire, createdAt: now, updatedAt: now });
      repos.settings.set(OFFICES_SETTING, []);
      repos.settings.set(PROCESSES_SETTING, PROCESSES.map((p) => p.value));
      repos.settings.set(ACK_TEMPLATE_SETTING, DEFAULT_ACKNOWLEDGEMENT);
      if (options.recoveryKey) {
        const pair = generateRecoveryKeyPair();
        repos.settings.set(RECOVERY_KEY_SETTING, toB64u(pair.publicKey));
        // The roster's first entry, signed by the root that only this recovery secret gives.
        const root = rootEntry(pair, now);
        repos.roster.append(root.entry);
        result = { recoverySecret: formatRecoverySecret(pair.secretKey), recoveryKeyId: keyIdOf(pair.publicKey), unitFingerprint: root.unitFingerprint };
        pair.secretKey.fill(0);
      }
      repos.audit.append({ at: now, actor: 'system', action: 'instance.init', target: null, details: { channels: defaultChannels.map((c) => c.id), recoveryKey: options.recoveryKey } });
    });
    return result;
  } finally {
    db.close();
  }
}
