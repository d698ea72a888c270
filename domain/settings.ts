// The instance's settings, once: every key the server keeps in its settings table, each with the
// zod schema its value must meet. The settings repository reads and writes through these, so a
// value that does not fit its schema reads as absent instead of reaching a caller as the wrong type.
import { z } from 'zod';

/** A page text: plain (English) or per locale. */
const pageText = z.union([z.string().max(4000), z.record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/), z.string().max(4000))]);

export const SETTINGS = {
  /** The instance recovery key (base64url of the X25519 public key): a recipient of every report. */
  recoveryPublicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  /** The acknowledgement message reviewers send, per locale. */
  acknowledgementTemplate: z.record(z.string(), z.string()),
  /** The customs offices triage may name. */
  offices: z.array(z.string()),
  /** The processes triage may name (codes of domain/categories.ts, or the administrator's own). */
  processes: z.array(z.string()),
  /** The reporting page's <noscript> text. */
  noscriptText: pageText,
  /** The emergency contacts the reporting page shows. */
  emergencyContacts: pageText,
  /** `{ day, reportSeq }` of the last daily mail run: a restart on the same day sends nothing again. */
  'notifications.daily': z.object({ day: z.string(), reportSeq: z.number().int() }),
  /** Attachment files whose rows are gone and whose bytes are still to be zeroed and unlinked. */
  'retention.pending_blobs': z.array(z.string()),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]>;

export const RECOVERY_KEY_SETTING = 'recoveryPublicKey' satisfies SettingKey;
export const ACK_TEMPLATE_SETTING = 'acknowledgementTemplate' satisfies SettingKey;
export const OFFICES_SETTING = 'offices' satisfies SettingKey;
export const PROCESSES_SETTING = 'processes' satisfies SettingKey;
export const NOSCRIPT_SETTING = 'noscriptText' satisfies SettingKey;
export const EMERGENCY_SETTING = 'emergencyContacts' satisfies SettingKey;
export const DAILY_SETTING = 'notifications.daily' satisfies SettingKey;
export const PENDING_BLOBS_SETTING = 'retention.pending_blobs' satisfies SettingKey;

/** The stored value if it fits its schema, else undefined (as for a missing one). */
export function settingValue<K extends SettingKey>(key: K, stored: unknown): SettingValue<K> | undefined {
  if (stored === undefined) return undefined;
  const parsed = SETTINGS[key].safeParse(stored);
  return parsed.success ? (parsed.data as SettingValue<K>) : undefined;
}
