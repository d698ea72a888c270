// `sealbox serve [--init]`: both apps (server/server.ts), until SIGINT or SIGTERM.
import { loadConfig } from '../../server/config.js';
import { initInstance } from '../../server/init.js';
import { dataPaths, isInitialised } from '../../server/instance.js';
import { CliError, dataDir, parse, type Io } from '../common.js';

export async function cmdServe(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { init: { type: 'boolean' } });
  const dir = dataDir(values, io);
  const paths = dataPaths(dir);
  if (!isInitialised(paths)) {
    if (!values.init) throw new CliError(`${dir} holds no Sealbox instance; run "sealbox init" or "sealbox serve --init"`);
    // The first administrator makes the recovery key in the setup page, in their browser.
    initInstance(dir, { recoveryKey: false });
    io.stdout.write(`Initialised a new instance in ${dir}\n`);
  }
  const { startServer } = await import('../../server/server.js');
  const server = await startServer(loadConfig({ ...io.env, SEALBOX_DATA_DIR: dir }));
  io.stdout.write(`Reporting page: ${server.services.config.publicUrl ?? server.reporterUrl}/\nReview console: ${server.services.config.consoleUrl ?? server.consoleUrl}/\n`);
  const { setupLink } = await import('../../server/setup-link.js');
  const link = setupLink(server.services, server.consoleUrl);
  if (link) io.stdout.write(`\nNo administrator yet. Open this one-time link to create the first one (valid 24 hours):\n  ${link}\n`);
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      void server.close().then(resolveStop);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
