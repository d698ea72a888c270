// `sealbox init [--recovery-key-out FILE]`: a new instance in the data folder (server/init.ts).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AlreadyInitialisedError, initInstance } from '../../server/init.js';
import { CliError, dataDir, parse, print, type Io } from '../common.js';

export async function cmdInit(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { 'recovery-key-out': { type: 'string' } });
  const dir = dataDir(values, io);
  let result;
  try {
    result = initInstance(dir, { recoveryKey: true });
  } catch (error) {
    if (error instanceof AlreadyInitialisedError) throw new CliError(error.message);
    throw error;
  }
  const out = values['recovery-key-out'];
  if (out) writeFileSync(out, `${result.recoverySecret}\n`, { mode: 0o600, flag: 'wx' });
  const shown = out ? undefined : result.recoverySecret;
  print(io, !!values.json, {
    dataDir: dir, recoveryKeyId: result.recoveryKeyId, unitFingerprint: result.unitFingerprint,
    ...(out ? { recoveryKeyFile: resolve(out) } : { recoverySecret: shown }),
  },
    `Initialised ${dir} with channels staff and public.\n` +
    (out ? `Recovery key written to ${resolve(out)}: keep it offline, then delete that file.\n`
      : `Recovery key (shown once; write it down and keep it offline; it opens every report):\n\n  ${shown}\n\n`) +
    `Unit fingerprint (publish it: on your website, on posters; reporters and outside watchers check the roster against it):\n\n  ${result.unitFingerprint}\n`);
  return 0;
}
