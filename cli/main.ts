// The operator CLI (PROTOCOL.md §7): `sealbox init | serve | user add | export | audit | recover |
// roster | backup | restore | purge`. This file reads the command line, says the usage and holds what every
// command shares; each command is a file under commands/, except the two that decrypt (export and
// recover), which are under decrypting/ (see the top of those files).
//
// A command's module is loaded only when it runs (the import() calls in main), so the decrypting
// code is not even loaded for the other commands (`serve` among them). What the commands share is
// in common.ts.
import { ready } from '../crypto/index.js';
import { CliError, USAGE, type Io } from './common.js';

export { CliError, safeName, type Io } from './common.js';

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  await ready;
  try {
    switch (command) {
      case 'init': return await (await import('./commands/init.js')).cmdInit(rest, io);
      case 'serve': return await (await import('./commands/serve.js')).cmdServe(rest, io);
      case 'user':
        if (rest[0] !== 'add') throw new CliError(`user takes "add"\n\n${USAGE}`, 2);
        return await (await import('./commands/user-add.js')).cmdUserAdd(rest.slice(1), io);
      case 'export': return await (await import('./decrypting/export.js')).cmdExport(rest, io);
      case 'audit': return await (await import('./commands/audit.js')).cmdAudit(rest, io);
      case 'recover': return await (await import('./decrypting/recover.js')).cmdRecover(rest, io);
      case 'roster': return await (await import('./commands/roster.js')).cmdRoster(rest, io);
      case 'backup': return await (await import('./commands/backup.js')).cmdBackup(rest, io);
      case 'restore': return await (await import('./commands/backup.js')).cmdRestore(rest, io);
      case 'purge': return await (await import('./commands/purge.js')).cmdPurge(rest, io);
      case undefined: case 'help': case '--help': case '-h':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default: throw new CliError(`unknown command "${command}"\n\n${USAGE}`, 2);
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`sealbox: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
