// `npm run bench [-- --only NAME]`: runs the benchmark sections in order and prints one table each.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { formatSection, type Section } from './table.js';

interface SectionModule {
  run(): Promise<Section>;
}

/** Every section, in order. To add one: a module exporting `run(): Promise<Section>`, and one line here. */
const SECTIONS: Array<{ name: string; load: () => Promise<SectionModule> }> = [
  { name: 'crypto', load: () => import('./crypto.js') },
  { name: 'browser', load: () => import('./browser.js') },
  { name: 'roster', load: () => import('./roster.js') },
  { name: 'console', load: () => import('./console.js') },
  { name: 'server', load: () => import('./server.js') },
  { name: 'scale', load: () => import('./scale.js') },
  { name: 'load', load: () => import('./load.js') },
];

function usage(): string {
  return `usage: npm run bench [-- --only NAME]   (sections: ${SECTIONS.map((s) => s.name).join(', ')})`;
}

function parseArgs(argv: string[]): { only?: string } {
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--only' && i + 1 < argv.length) only = argv[++i];
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log(usage());
      process.exit(0);
    } else {
      console.error(`unknown argument "${arg}"\n${usage()}`);
      process.exit(2);
    }
  }
  if (only !== undefined && !SECTIONS.some((s) => s.name === only)) {
    console.error(`no section named "${only}"\n${usage()}`);
    process.exit(2);
  }
  return only === undefined ? {} : { only };
}

const { only } = parseArgs(process.argv.slice(2));
const cpus = os.cpus();
console.log(`Sealbox benchmark, ${new Date().toISOString().slice(0, 10)}`);
console.log(`Machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, `
  + `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.arch()}`);
console.log(`Node ${process.version} (V8 ${process.versions.v8}, OpenSSL ${process.versions.openssl})`);

let failed = false;
for (const { name, load } of SECTIONS) {
  if (only !== undefined && name !== only) continue;
  // Progress goes to stderr so that stdout holds only the tables.
  process.stderr.write(`running ${name}…\n`);
  const start = performance.now();
  try {
    const section = await (await load()).run();
    console.log(`\n${formatSection(section)}`);
    process.stderr.write(`${name} took ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
  } catch (err) {
    // One broken section (a server that will not start, no browser) must not hide the others.
    failed = true;
    console.error(`\nsection ${name} failed:`, err);
  }
}
process.exitCode = failed ? 1 : 0;
