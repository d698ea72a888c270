// Property-based: 1,000 mutations of valid reporter requests (dropped, duplicated and retyped
// fields; huge, empty, unicode and non-base64 strings; negative, fractional and huge numbers;
// random JSON, content types and bytes). No answer is a 5xx, every 4xx has the protocol's error
// shape with an SBX_ code, and a refused request changes nothing the server keeps.
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { newId, PARAMS, solvePow, toB64u } from '../../../crypto/index.js';
import type { Challenge } from '../../../db/schema.js';
import { TokenBuckets } from '../../../server/limits.js';
import { addMs, iso } from '../../../server/time.js';
import { fingerprint, setup, TestReporter } from './reporter-fixtures.js';

/** Runs per endpoint: 1,000 in all. */
const RUNS = { submissions: 150, reports: 300, messages: 200, attachments: 200, pieces: 150 };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

// ---------------------------------------------------------------------------------------------
// Values and mutations.

const weirdString = fc.oneof(
  fc.constantFrom('', ' ', 'A'.repeat(70_000), 'A'.repeat(1_500_000), 'é'.repeat(3000), '\u0000', '\ud800', '💥'.repeat(200), '====', '!!!!', '+/+/', 'AAAA=',
    '../../etc/passwd', '%2e%2e%2f', '<script>alert(1)</script>', '__proto__', 'null', '{}', '\n\r\t', 'Receipt x'),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.uint8Array({ maxLength: 120 }).map((b) => toB64u(b)),
  fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b).toString('base64')),
  fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((b) => `${toB64u(b)}!`),
);
const weirdNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, -0, 0.5, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 41, 528, 1e-300),
);
const anyValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: weirdString },
  { weight: 2, arbitrary: weirdNumber },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}, [[]], { nonce: '', ciphertext: '' }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>, { minLength: 200, maxLength: 400 }) },
);
const newKey = fc.oneof(fc.constantFrom('extra', '__proto__', 'constructor', 'prototype', '', 'a'.repeat(1000), 'nonce', 'ciphertext', 'keys'), fc.string({ maxLength: 10 }));

interface Mutation {
  op: 'drop' | 'dup' | 'retype' | 'string' | 'number' | 'add' | 'nest';
  pick: number;
  value: Json;
  key: string;
}
const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('drop', 'dup', 'retype', 'string', 'number', 'add', 'nest'),
  pick: fc.nat(),
  value: anyValue,
  key: newKey,
});

function pathsOf(value: Json, at: Path = []): Path[] {
  const out: Path[] = at.length > 0 ? [at] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]));
  return out;
}

function parentOf(root: Json, path: Path): [Json[] | { [key: string]: Json }, string | number] {
  let node = root as Json;
  for (const step of path.slice(0, -1)) node = (node as Record<string | number, Json>)[step]!;
  return [node as Json[] | { [key: string]: Json }, path.at(-1)!];
}

/**
 * Applies mutations to a copy of `base` and returns JSON text. Duplicated keys cannot live in an
 * object, so they are kept aside and written into the text after the object's own keys.
 */
function mutate(base: Json, mutations: Mutation[]): string {
  const root = structuredClone(base) as Json;
  const dups = new Map<object, [string, Json][]>();
  for (const m of mutations) {
    const paths = pathsOf(root);
    if (paths.length === 0) break;
    const path = paths[m.pick % paths.length]!;
    const [parent, key] = parentOf(root, path);
    const current = (parent as Record<string | number, Json>)[key]!;
    const set = (v: Json) => ((parent as Record<string | number, Json>)[key] = v);
    switch (m.op) {
      case 'drop':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key as string];
        break;
      case 'dup':
        if (Array.isArray(parent)) parent.push(m.pick % 2 === 0 ? current : m.value);
        else dups.set(parent, [...(dups.get(parent) ?? []), [key as string, m.pick % 2 === 0 ? current : m.value]]);
        break;
      case 'retype':
        set(m.value);
        break;
      case 'string':
        set(typeof m.value === 'string' ? m.value : JSON.stringify(m.value));
        break;
      case 'number':
        set(typeof m.value === 'number' ? m.value : -m.pick - 0.5);
        break;
      case 'add': {
        const target = current !== null && typeof current === 'object' && !Array.isArray(current) && m.pick % 2 === 0 ? current : (root as { [key: string]: Json });
        if (target && typeof target === 'object' && !Array.isArray(target)) {
          if (m.key === '__proto__') dups.set(target, [...(dups.get(target) ?? []), [m.key, m.value]]);
          else target[m.key] = m.value;
        }
        break;
      }
      case 'nest':
        set(m.pick % 2 === 0 ? [current] : { value: current });
        break;
    }
  }
  const write = (v: Json): string => {
    if (Array.isArray(v)) return `[${v.map(write).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      const own = Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${write(x)}`);
      const extra = (dups.get(v) ?? []).map(([k, x]) => `${JSON.stringify(k)}:${write(x)}`);
      return `{${[...own, ...extra].join(',')}}`;
    }
    return JSON.stringify(v) ?? 'null';
  };
  return write(root);
}

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz', 'application/octet-stream', 'application/offset+octet-stream', 'application/json; charset=utf-16',
  'APPLICATION/JSON', 'application/json, text/plain', '*/*', 'application/xml', 'application/', ';', 'application/json;;',
];
const contentType = fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.string({ unit: 'binary-ascii', maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)));

/** What is sent in place of a valid JSON body. */
type BodyPlan =
  | { kind: 'mutated'; mutations: Mutation[]; type?: string }
  | { kind: 'retyped'; type: string }
  | { kind: 'json'; value: Json }
  | { kind: 'bytes'; bytes: Uint8Array; type: string }
  | { kind: 'truncated'; at: number };

const bodyPlan: fc.Arbitrary<BodyPlan> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('mutated' as const), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mutated' as const), mutations: fc.array(mutation, { minLength: 0, maxLength: 2 }), type: contentType }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retyped' as const), type: contentType }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json> }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 3000 }), type: contentType }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncated' as const), at: fc.nat() }) },
);

function bodyOf(base: Json, plan: BodyPlan): { payload: string | Buffer; type: string } {
  switch (plan.kind) {
    case 'mutated':
      return { payload: mutate(base, plan.mutations), type: plan.type ?? 'application/json' };
    case 'retyped':
      return { payload: JSON.stringify(base), type: plan.type };
    case 'json':
      return { payload: JSON.stringify(plan.value), type: 'application/json' };
    case 'bytes':
      return { payload: Buffer.from(plan.bytes), type: plan.type };
    case 'truncated': {
      const text = JSON.stringify(base);
      return { payload: text.slice(0, plan.at % text.length), type: 'application/json' };
    }
  }
}

/** The receipt header: usually the right one, sometimes missing, malformed or someone else's. */
const authPlan = fc.oneof(
  { weight: 12, arbitrary: fc.constant<{ kind: 'valid' }>({ kind: 'valid' }) },
  { weight: 1, arbitrary: fc.constant<{ kind: 'missing' }>({ kind: 'missing' }) },
  { weight: 1, arbitrary: fc.constant<{ kind: 'unknown' }>({ kind: 'unknown' }) },
  { weight: 1, arbitrary: weirdString.filter((s) => /^[\x20-\x7e]*$/.test(s) && s.length < 8000).map((value) => ({ kind: 'raw' as const, value })) },
);
type AuthPlan = { kind: 'valid' } | { kind: 'missing' } | { kind: 'unknown' } | { kind: 'raw'; value: string };

function authOf(r: TestReporter, plan: AuthPlan): Record<string, string> {
  switch (plan.kind) {
    case 'valid':
      return r.auth;
    case 'missing':
      return {};
    case 'unknown':
      return { authorization: `Receipt ${toB64u(randomBytes(32))}` };
    case 'raw':
      return { authorization: plan.value };
  }
}

// ---------------------------------------------------------------------------------------------

t.test('1,000 mutations of valid reporter requests: no 5xx, the error shape, nothing changed on refusal', async (t) => {
  const s = await setup(t);
  const { app, services } = s;
  // The abuse ceilings are tested elsewhere; here they would only turn most runs into 429s.
  const wide = () => new TokenBuckets(services.clock, 1e9, 1e9);
  Object.assign(services.limits, { submissions: wide(), unknownReceipts: wide(), followupWrites: wide(), reporterGlobal: wide() });

  const seen = new Map<string, Map<number, number>>();
  const failures: string[] = [];
  /** Sends one request and checks the three properties; returns the response. */
  async function check(endpoint: string, req: InjectOptions) {
    const before = fingerprint(services);
    const res = await app.inject(req);
    const tally = seen.get(endpoint) ?? new Map<number, number>();
    tally.set(res.statusCode, (tally.get(res.statusCode) ?? 0) + 1);
    seen.set(endpoint, tally);
    const where = `${endpoint} → ${res.statusCode} ${res.body.slice(0, 200)}`;
    if (res.statusCode >= 500) throw new Error(`a 5xx: ${where}`);
    if (res.statusCode >= 400) {
      let body: Record<string, unknown>;
      try {
        body = res.json();
      } catch {
        throw new Error(`a 4xx without a JSON body: ${where}`);
      }
      const keys = Object.keys(body).sort().join(',');
      if (keys !== 'code,error,message,statusCode') throw new Error(`not the error shape (${keys}): ${where}`);
      if (body.statusCode !== res.statusCode || typeof body.error !== 'string' || typeof body.message !== 'string') throw new Error(`a malformed error: ${where}`);
      if (typeof body.code !== 'string' || !body.code.startsWith('SBX_')) throw new Error(`no SBX_ code: ${where}`);
      if (fingerprint(services) !== before) throw new Error(`a refused request changed the database or the blobs: ${where}`);
    }
    return res;
  }
  const times: string[] = [];
  async function run(name: string, numRuns: number, property: fc.IAsyncProperty<unknown>) {
    const started = Date.now();
    try {
      await fc.assert(property, { numRuns });
    } catch (error) {
      const cause = (error as Error).cause as Error | undefined;
      failures.push(`${name}: ${(error as Error).message}${cause ? `\nCause: ${cause.message}` : ''}`);
    }
    times.push(`${name} ${numRuns} runs in ${Date.now() - started} ms`);
  }

  // POST /api/submissions
  await run('submissions', RUNS.submissions, fc.asyncProperty(bodyPlan, fc.constantFrom('staff', 'public', 'nope'), async (plan, channelId) => {
    const { payload, type } = bodyOf({ channelId }, plan);
    await check('POST /api/submissions', { method: 'POST', url: '/api/submissions', payload, headers: { 'content-type': type } });
  }));

  // POST /api/reports: a fresh challenge and receipt for every run. The challenges are made as
  // POST /api/submissions makes them, twenty to a transaction (one fsync, not twenty), and the
  // unused ones are deleted as they go, so that the fingerprint stays small.
  const { channels, recoveryKey } = await new TestReporter(app).channels();
  const stock: Challenge[] = [];
  const spent: string[] = [];
  const nextChallenge = (channelId: string): Challenge => {
    if (stock.length === 0) {
      const expiresAt = iso(addMs(services.clock.now(), services.config.challengeTtlMs));
      services.db.transaction(() => {
        for (const id of spent.splice(0)) services.repos.challenges.delete(id);
        for (let i = 0; i < 20; i++) {
          stock.push(services.repos.challenges.create({ reportId: newId(), channelId: 'staff', salt: randomBytes(16), bits: services.config.powBits, expiresAt, used: false }));
        }
      });
    }
    const ch = stock.pop()!;
    spent.push(ch.reportId);
    // The channel is chosen per run; the row is made for staff and moved if need be.
    if (channelId !== ch.channelId) services.db.sqlite.prepare('UPDATE challenges SET channel_id = ? WHERE report_id = ?').run(channelId, ch.reportId);
    return { ...ch, channelId };
  };
  await run('reports', RUNS.reports, fc.asyncProperty(bodyPlan, fc.constantFrom('staff', 'public'), async (plan, channelId) => {
    const r = new TestReporter(app);
    const ch = nextChallenge(channelId);
    const nonce = solvePow(ch.salt, ch.bits);
    const recipients = [...channels.find((c) => c.id === channelId)!.recipients, ...(recoveryKey ? [recoveryKey] : [])];
    const base = r.buildReport(channelId, ch.reportId, nonce, { summary: 'fuzz' }, recipients) as unknown as Json;
    const { payload, type } = bodyOf(base, plan);
    await check('POST /api/reports', { method: 'POST', url: '/api/reports', payload, headers: { 'content-type': type } });
  }));

  // POST /api/followup/messages
  const writer = new TestReporter(app);
  if ((await writer.submit('staff', { summary: 'fuzz' })).statusCode !== 201) throw new Error('setup failed');
  await run('messages', RUNS.messages, fc.asyncProperty(bodyPlan, authPlan, async (plan, auth) => {
    const { payload, type } = bodyOf(writer.message('fuzz') as unknown as Json, plan);
    await check('POST /api/followup/messages', { method: 'POST', url: '/api/followup/messages', payload, headers: { ...authOf(writer, auth), 'content-type': type } });
  }));

  // POST /api/followup/attachments: a new reporter before one reaches the per-report maximum.
  let declarer = writer;
  const fresh = async () => {
    const r = new TestReporter(app);
    if ((await r.submit('public', { summary: 'fuzz' })).statusCode !== 201) throw new Error('setup failed');
    return r;
  };
  const attachmentsOf = (r: TestReporter) => services.repos.attachments.listForReport(r.reportId).length;
  await run('attachments', RUNS.attachments, fc.asyncProperty(bodyPlan, authPlan, fc.nat({ max: 300_000 }), async (plan, auth, plain) => {
    if (attachmentsOf(declarer) >= 90) declarer = await fresh();
    const attachmentId = toB64u(randomBytes(16));
    const meta = declarer.message('{"v":1}');
    const chunks = Math.max(1, Math.ceil(plain / PARAMS.chunkSize));
    const base = { attachmentId, size: PARAMS.streamHeaderBytes + plain + chunks * PARAMS.streamChunkOverhead, meta } as unknown as Json;
    const { payload, type } = bodyOf(base, plan);
    await check('POST /api/followup/attachments', { method: 'POST', url: '/api/followup/attachments', payload, headers: { ...authOf(declarer, auth), 'content-type': type } });
  }));

  // PATCH pieces of an upload in progress; a new upload when one completes.
  let uploader = await fresh();
  let upload = { id: '', size: 0 };
  const startUpload = async () => {
    if (attachmentsOf(uploader) >= 90) uploader = await fresh();
    const d = await uploader.declareAttachment('f', 't', new Uint8Array(20_000));
    if (d.res.statusCode !== 201) throw new Error('setup failed');
    upload = { id: d.attachmentId, size: d.stream.length };
  };
  await startUpload();
  const piece = fc.record({
    offset: fc.oneof(
      { weight: 6, arbitrary: fc.constant<'right'>('right') },
      { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }).map((d) => ({ delta: d })) },
      { weight: 1, arbitrary: fc.oneof(weirdString, weirdNumber.map(String)).filter((s) => /^[\x20-\x7e]*$/.test(s) && s.length < 8000).map((raw) => ({ raw })) },
      { weight: 1, arbitrary: fc.constant<'missing'>('missing') },
    ),
    length: fc.oneof(fc.nat({ max: 6000 }), fc.constantFrom(0, 1, 20_100, 30_000)),
    type: fc.oneof({ weight: 6, arbitrary: fc.constant('application/offset+octet-stream') }, { weight: 1, arbitrary: contentType }),
    auth: authPlan,
    id: fc.oneof({ weight: 8, arbitrary: fc.constant<'right'>('right') }, { weight: 1, arbitrary: weirdString.filter((s) => s.length < 300).map((raw) => ({ raw })) }),
  });
  await run('pieces', RUNS.pieces, fc.asyncProperty(piece, async (p) => {
    const row = services.repos.attachments.get(upload.id)!;
    if (row.complete) await startUpload();
    const received = services.repos.attachments.get(upload.id)!.received;
    const offset = p.offset === 'right' ? String(received) : p.offset === 'missing' ? undefined : 'delta' in p.offset ? String(received + p.offset.delta) : p.offset.raw;
    // Lone surrogates cannot be percent-encoded (URIError): they become U+FFFD.
    const id = p.id === 'right' ? upload.id : encodeURIComponent(p.id.raw.replace(/[\ud800-\udfff]/g, '\ufffd'));
    const headers: Record<string, string> = { ...authOf(uploader, p.auth), 'content-type': p.type };
    if (offset !== undefined) headers['upload-offset'] = offset;
    await check('PATCH /api/followup/attachments/:id', { method: 'PATCH', url: `/api/followup/attachments/${id}`, headers, payload: randomBytes(p.length) });
  }));

  const summary = [...seen].map(([e, tally]) => `${e}: ${[...tally].sort(([a], [b]) => a - b).map(([code, n]) => `${code}×${n}`).join(' ')}`).join('\n');
  t.comment(summary);
  t.comment(times.join('; '));
  t.same(failures, [], 'every property held');
  const total = [...seen.values()].reduce((n, tally) => n + [...tally.values()].reduce((a, b) => a + b, 0), 0);
  t.ok(total >= 1000, `${total} requests checked`);
  // The runs reached the success paths too, not only the refusals.
  for (const endpoint of seen.keys()) t.ok([...seen.get(endpoint)!.keys()].some((c) => c < 300), `${endpoint}: some runs were accepted`);
});
