// Bundles the browser apps (client/report, client/console) with esbuild into dist/public/<app>/:
// content-hashed scripts and styles, an index.html that names them, no inline script or style.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const apps = ['report', 'console'];
const production = process.env.NODE_ENV !== 'development';

for (const app of apps) {
  const src = join('client', app);
  const entry = ['main.tsx', 'main.ts'].map((f) => join(src, f)).find(existsSync);
  if (!entry) continue;
  const out = join('dist', 'public', app);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // The worker (client/<app>/worker/: the code that holds keys) is an entry point of its own.
  const worker = join(src, 'worker', 'main.ts');
  const result = await build({
    entryPoints: { main: entry, ...(existsSync(worker) ? { worker } : {}) },
    bundle: true,
    format: 'esm',
    splitting: false,
    target: ['es2022', 'chrome100', 'firefox102', 'safari15'],
    minify: production,
    sourcemap: false,
    outdir: out,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.svg': 'file', '.woff2': 'file', '.png': 'file' },
    define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
    // libsodium's Node fallback requires these; the browser build never reaches them.
    external: ['crypto', 'path', 'fs'],
    logLevel: 'warning',
  });
  const files = Object.keys(result.metafile.outputs).map((f) => basename(f));
  const script = files.find((f) => f.startsWith('main-') && f.endsWith('.js'));
  const style = files.find((f) => f.startsWith('main-') && f.endsWith('.css'));
  const workerScript = files.find((f) => f.startsWith('worker-') && f.endsWith('.js'));
  let html = readFileSync(join(src, 'index.html'), 'utf8')
    .replace('%SCRIPT%', `/${script}`)
    .replace('%STYLE%', style ? `/${style}` : '')
    .replace('%WORKER%', workerScript ? `/${workerScript}` : '');
  writeFileSync(join(out, 'index.html'), html);
  console.log(`built ${app}: ${files.join(', ')}`);
}
