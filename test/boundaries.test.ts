// The rooms and what each may touch (README "Layout"), checked over the module graph the
// TypeScript compiler reads: every import and re-export of every source file, resolved to a file
// or a package. A forbidden import fails with the file, the line and the rule it breaks.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import t from 'tap';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const ROOMS = ['crypto', 'domain', 'db', 'server', 'cli', 'client', 'scripts', 'bench'];

export interface Edge {
  from: string;
  /** A project file (relative to the root) or a package name (`zod`, `node:fs`). */
  to: string;
  line: number;
  /** `import type` / `export type`: no code crosses. */
  typeOnly: boolean;
  /** The names imported (for `import { a, b }`); `*` for a namespace or a whole re-export. */
  names: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveSpecifier(from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec.startsWith('node:') ? spec : spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
  const base = resolve(dirname(join(ROOT, from)), spec).replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return relative(ROOT, candidate);
    } catch { /* the next candidate */ }
  }
  return relative(ROOT, base);
}

/** Every import, re-export and dynamic `import()` of one file. */
export function edgesOf(file: string, text = readFileSync(join(ROOT, file), 'utf8')): Edge[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const edges: Edge[] = [];
  const add = (spec: ts.Expression | undefined, node: ts.Node, typeOnly: boolean, names: string[]) => {
    if (!spec || !ts.isStringLiteral(spec)) return;
    edges.push({ from: file, to: resolveSpecifier(file, spec.text), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, typeOnly, names });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const allTypes = !!clause?.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly) && !clause?.name);
      const names = named ? named.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text) : ['*'];
      add(node.moduleSpecifier, node, allTypes, names);
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      const allTypes = node.isTypeOnly || (!!named && named.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier, node, allTypes, named ? named.map((e) => (e.propertyName ?? e.name).text) : ['*']);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], node, false, ['*']);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const room = (path: string): string => path.split('/')[0]!;
const inside = (path: string, folder: string): boolean => path === folder || path.startsWith(`${folder}/`);

/** The crypto operations that read what a reporter or a reviewer wrote: only a browser, or the CLI's marked room, may call them. */
export const DECRYPTING = [
  'openSealedKey', 'openKeyBundle', 'decryptReportContent', 'decryptMessage', 'decryptMessageV2', 'openConversation', 'decryptNote', 'decryptAttachmentMeta',
  'AttachmentDecryptor', 'decryptAttachment', 'decryptAttachmentBytes',
];

/** A rule: the edges it forbids, and what it says about each. */
export interface Rule {
  name: string;
  forbids(edge: Edge): boolean;
}

export const RULES: Rule[] = [
  { name: 'crypto/ imports nothing of the project', forbids: (e) => room(e.from) === 'crypto' && ROOMS.includes(room(e.to)) && room(e.to) !== 'crypto' },
  {
    name: 'domain/ imports only domain/, crypto/ and zod',
    forbids: (e) => room(e.from) === 'domain' && !['domain', 'crypto', 'zod'].includes(room(e.to)),
  },
  { name: 'client/ never imports server/, db/ or the CLI', forbids: (e) => room(e.from) === 'client' && ['server', 'db', 'cli'].includes(room(e.to)) },
  { name: 'server/ never imports client/ or the CLI', forbids: (e) => room(e.from) === 'server' && ['client', 'cli'].includes(room(e.to)) },
  { name: 'db/ imports only db/, domain/ and crypto/ of the project', forbids: (e) => room(e.from) === 'db' && ROOMS.includes(room(e.to)) && !['db', 'domain', 'crypto'].includes(room(e.to)) },
  {
    name: 'page code never imports the worker\'s key code (client/<app>/worker/)',
    forbids: (e) => {
      const app = /^client\/(report|console)\//.exec(e.from)?.[1];
      return !!app && !inside(e.from, `client/${app}/worker`) && inside(e.to, `client/${app}/worker`) && !e.typeOnly;
    },
  },
  {
    name: 'only the CLI\'s marked room (cli/decrypting/) and the browsers\' workers decrypt outside crypto/',
    forbids: (e) => room(e.to) === 'crypto' && !e.typeOnly && ['server', 'db', 'domain', 'cli'].includes(room(e.from))
      && !inside(e.from, 'cli/decrypting') && e.names.some((n) => DECRYPTING.includes(n)),
  },
];

export function violations(edges: Edge[], rules = RULES): string[] {
  return edges.flatMap((e) => rules.filter((r) => r.forbids(e)).map((r) => `${e.from}:${e.line} imports ${e.to}: ${r.name}`));
}

/** Every project file reachable by value imports from `entries`. */
export function reachable(graph: Map<string, Edge[]>, entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const e of graph.get(file) ?? []) if (!e.typeOnly && graph.has(e.to)) queue.push(e.to);
  }
  return seen;
}

/** Import cycles among project files (value imports), each as the files around it. */
export function cycles(graph: Map<string, Edge[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const e of graph.get(file) ?? []) {
      if (e.typeOnly || !graph.has(e.to)) continue;
      if (state.get(e.to) === 'open') found.push(stack.slice(stack.indexOf(e.to)));
      else if (!state.has(e.to)) walk(e.to);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) walk(file);
  return found;
}

const files = ROOMS.flatMap((r) => sourceFiles(join(ROOT, r))).map((f) => relative(ROOT, f));
const graph = new Map(files.map((f) => [f, edgesOf(f)]));

t.test('every room imports only what it may', async (t) => {
  t.ok(files.length > 150, `${files.length} source files read`);
  t.same(violations([...graph.values()].flat()), [], 'no forbidden import');
});

t.test('nothing the server runs can read a report: no decrypting operation is reachable from its entry points', async (t) => {
  const served = reachable(graph, ['server/server.ts', 'server/app.ts', 'cli/commands/serve.ts']);
  t.ok(served.size > 40, `${served.size} files reachable from the server`);
  t.same([...served].filter((f) => inside(f, 'cli/decrypting') || inside(f, 'client')), [], 'neither the CLI\'s decrypting room nor browser code');
  const decrypting = [...served].filter((f) => room(f) !== 'crypto').flatMap((f) => graph.get(f)!.filter((e) => room(e.to) === 'crypto' && !e.typeOnly && e.names.some((n) => DECRYPTING.includes(n)))
    .map((e) => `${f}:${e.line} imports ${e.names.filter((n) => DECRYPTING.includes(n)).join(', ')}`));
  t.same(decrypting, [], 'no decrypting operation');
});

t.test('no import cycles', async (t) => {
  t.same(cycles(graph).map((c) => c.join(' → ')), []);
});

t.test('the rules catch what they are for', async (t) => {
  // Each rule, shown one forbidden import (and that it tells its file and line).
  const forbidden: Array<[string, string]> = [
    ['crypto/aead.ts', "import { ROLES } from '../domain/vocabulary.js';"],
    ['domain/triage.ts', "import { readFileSync } from 'node:fs';"],
    ['domain/triage.ts', "import { services } from '../server/services.js';"],
    ['client/console/inbox.tsx', "import { REPORT_STATUSES } from '../../db/schema.js';"],
    ['client/report/landing.tsx', "import { x } from '../../server/recipients.js';"],
    ['server/app.ts', "import { en } from '../client/console/i18n/en.js';"],
    ['server/app.ts', "import { main } from '../cli/main.js';"],
    ['db/schema.ts', "import { x } from '../server/config.js';"],
    ['client/console/report-view.tsx', "import { Vault } from './worker/vault.js';"],
    ['server/routes/console/reports.ts', "import { decryptReportContent } from '../../../crypto/index.js';"],
    ['cli/commands/purge.ts', "import { openSealedKey } from '../../crypto/index.js';"],
  ];
  for (const [file, line] of forbidden) {
    const found = violations(edgesOf(file, `// a test\n${line}\n`));
    t.equal(found.length, 1, `${file}: ${line}`);
    t.match(found[0], `${file}:2 imports`);
  }
  // And lets through what is allowed.
  const allowed: Array<[string, string]> = [
    ['client/console/report-view.tsx', "import type { ReportView } from './worker/vault.js';"],
    ['cli/decrypting/export.ts', "import { decryptReportContent } from '../../crypto/index.js';"],
    ['server/users.ts', "import { decryptBytes } from '../crypto/index.js';"],
    ['domain/questionnaire-schema.ts', "import * as z from 'zod/mini';"],
  ];
  for (const [file, line] of allowed) t.same(violations(edgesOf(file, `${line}\n`)), [], `${file}: ${line}`);
  const loop = new Map<string, Edge[]>([
    ['a.ts', [{ from: 'a.ts', to: 'b.ts', line: 1, typeOnly: false, names: ['*'] }]],
    ['b.ts', [{ from: 'b.ts', to: 'a.ts', line: 1, typeOnly: false, names: ['*'] }]],
  ]);
  t.same(cycles(loop), [['a.ts', 'b.ts']], 'a cycle is found');
  t.same(reachable(loop, ['a.ts']), new Set(['a.ts', 'b.ts']));
});
