// Whom a report's key must be sealed to (PROTOCOL.md §5 and §9), callable without HTTP: every
// current recipient of the channel and the recovery key, each once; where the channel allows it the
// reporter may leave recipients out, but not all of them. This keeps a report from being readable
// by nobody, or by someone the unit never chose. What it returns, whom the reporter left out, the
// server then keeps from the report for good: without that record, the next key hand-over in any
// console would give a left-out member the key.
import { DomainError } from './errors.js';

export interface SealingRules {
  /** The channel's current recipients. */
  members: ReadonlyArray<{ id: string; keyId: string }>;
  /** The instance's recovery key id, when it has one. */
  recoveryKeyId: string | undefined;
  allowRecipientExclusion: boolean;
}

/**
 * Checks the key ids a submission sealed `K` to and, when the page says so, whom it left out;
 * returns the user ids left out. Any mismatch is SBX_RECIPIENTS_MISMATCH.
 */
export function leftOutBy(rules: SealingRules, keyIds: readonly string[], declared: readonly string[] | undefined): string[] {
  const members = new Set(rules.members.map((m) => m.keyId));
  const seen = new Set<string>();
  const mismatch = (message: string) => new DomainError('SBX_RECIPIENTS_MISMATCH', message);
  for (const keyId of keyIds) {
    if (seen.has(keyId)) throw mismatch('A recipient appears twice');
    seen.add(keyId);
    if (!members.has(keyId) && keyId !== rules.recoveryKeyId) throw mismatch('A key is sealed to someone who is not a recipient of this channel');
  }
  if (rules.recoveryKeyId && !seen.has(rules.recoveryKeyId)) throw mismatch('The report key must be sealed to the recovery key');
  const missing = [...members].filter((id) => !seen.has(id));
  if (missing.length > 0 && !rules.allowRecipientExclusion) throw mismatch('The report key must be sealed to every recipient of the channel');
  if (members.size > 0 && missing.length === members.size) throw mismatch('At least one recipient must receive the report');
  const leftOut = rules.members.filter((m) => !seen.has(m.keyId)).map((m) => m.id);
  // The page says whom it left out: exactly the members it did not seal to, so that the record
  // matches what the reporter saw and the content says. An older page says nothing: then every
  // member it did not seal to is left out.
  if (declared !== undefined && (new Set(declared).size !== declared.length || declared.length !== leftOut.length || !declared.every((id) => leftOut.includes(id)))) {
    throw mismatch('excluded must list exactly the channel members the report key is not sealed to');
  }
  return leftOut;
}
