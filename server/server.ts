// Runs both apps: makes the services, listens, schedules maintenance and closes gracefully.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { ready } from '../crypto/index.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { scheduleMaintenance } from './maintenance.js';
import { createServices, type Services } from './services.js';

export interface RunningServer {
  services: Services;
  reporter: FastifyInstance;
  console: FastifyInstance;
  reporterUrl: string;
  consoleUrl: string;
  close(): Promise<void>;
}

/** The built pages (dist/public/<kind>), found from the sources or from dist/. */
export function pagesDir(kind: 'report' | 'console'): string | undefined {
  const candidates = [new URL(`../public/${kind}`, import.meta.url), new URL(`../dist/public/${kind}`, import.meta.url)].map((u) => fileURLToPath(u));
  return candidates.find((dir) => existsSync(`${dir}/index.html`));
}

export async function startServer(config: Config): Promise<RunningServer> {
  await ready;
  const services = createServices(config);
  const reportPages = pagesDir('report');
  const consolePages = pagesDir('console');
  const reporter = await buildApp('reporter', services, reportPages ? { pagesDir: reportPages } : {});
  const consoleApp = await buildApp('console', services, consolePages ? { pagesDir: consolePages } : {});
  const reporterUrl = await reporter.listen({ host: config.host, port: config.reportPort });
  const consoleUrl = await consoleApp.listen({ host: config.host, port: config.consolePort });
  services.notifier.useLogger(reporter.log);
  const stopMaintenance = scheduleMaintenance(services, (error) => reporter.log.error({ errName: (error as Error).name }, 'maintenance failed'));
  let closed = false;
  return {
    services, reporter, console: consoleApp, reporterUrl, consoleUrl,
    close: async () => {
      if (closed) return;
      closed = true;
      stopMaintenance();
      await Promise.all([reporter.close(), consoleApp.close()]);
      services.close();
    },
  };
}
