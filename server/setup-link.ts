// The one-time link `serve` prints while the instance has no administrator.
import { createSetupToken } from './routes/console/setup.js';
import type { Services } from './services.js';

export function setupLink(services: Services, consoleUrl: string): string | undefined {
  const token = createSetupToken(services);
  return token ? `${services.config.consoleUrl ?? consoleUrl}/#/setup/${token}` : undefined;
}
