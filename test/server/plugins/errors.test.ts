// The error handler: one shape `{statusCode, code, error, message}` with an SBX_ code for every
// error; Fastify's own 4xx mapped to the protocol's codes; a bare 500 that logs no message.
import { DomainError, type ErrorCode } from '../../../domain/errors.js';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from '@fastify/type-provider-zod';
import Fastify, { type InjectOptions } from 'fastify';
import t from 'tap';
import { z } from 'zod';
import { HttpError, rateLimited } from '../../../server/errors.js';
import { loggerOptions } from '../../../server/logger.js';
import { errorBody, errors } from '../../../server/plugins/errors.js';
import { LogCapture } from '../../helpers/instance.js';

async function app() {
  const log = new LogCapture();
  const a = Fastify({ logger: loggerOptions('info', log), bodyLimit: 100 }).withTypeProvider<ZodTypeProvider>();
  a.setValidatorCompiler(validatorCompiler);
  a.setSerializerCompiler(serializerCompiler);
  await a.register(errors);
  a.post('/json', { schema: { body: z.object({ name: z.string().max(5), n: z.number().int() }).strict() } }, async () => ({ ok: true }));
  a.get('/query', { schema: { querystring: z.object({ q: z.string().min(3) }) } }, async () => ({ ok: true }));
  a.get('/http-error', async () => {
    // A code outside the domain's table still goes out as given (the handler does not check it).
    throw new HttpError(418, 'SBX_TEAPOT' as ErrorCode, 'a teapot', { 'x-extra': 'yes' });
  });
  a.get('/domain-error', async () => {
    throw new DomainError('SBX_REPORT_CLOSED', 'a rule of the domain');
  });
  a.get('/limited', async () => {
    throw rateLimited(0.2);
  });
  a.get('/limited-long', async () => {
    throw rateLimited(61.5);
  });
  a.get('/boom', async () => {
    throw new Error('SECRET-MARKER in a library message');
  });
  a.get('/status-4xx', async () => {
    throw Object.assign(new Error('SECRET-MARKER'), { statusCode: 409, code: 'SOME_LIB_CONFLICT' });
  });
  a.get('/status-5xx', async () => {
    throw Object.assign(new Error('SECRET-MARKER'), { statusCode: 503 });
  });
  t.teardown(() => a.close());
  return { a, log };
}

const shape = (res: { json(): unknown }) => Object.keys(res.json() as object).sort();

t.test('errorBody has the protocol shape and Fastify’s reason phrases', async (t) => {
  t.same(errorBody(404, 'SBX_NOT_FOUND', 'm'), { statusCode: 404, code: 'SBX_NOT_FOUND', error: 'Not Found', message: 'm' });
  t.same(errorBody(599, 'SBX_X', 'm'), { statusCode: 599, code: 'SBX_X', error: 'Error', message: 'm' });
});

t.test('HttpError: status, code, message and extra headers', async (t) => {
  const { a } = await app();
  const res = await a.inject({ method: 'GET', url: '/http-error' });
  t.equal(res.statusCode, 418);
  t.same(res.json(), { statusCode: 418, code: 'SBX_TEAPOT', error: 'Error', message: 'a teapot' });
  t.equal(res.headers['x-extra'], 'yes');
  const domain = await a.inject({ method: 'GET', url: '/domain-error' });
  t.same(domain.json(), { statusCode: 409, code: 'SBX_REPORT_CLOSED', error: 'Conflict', message: 'a rule of the domain' }, 'a domain error travels with its code\'s status');
  const limited = await a.inject({ method: 'GET', url: '/limited' });
  t.equal(limited.statusCode, 429);
  t.equal(limited.headers['retry-after'], '1', 'Retry-After is at least one second');
  t.same(limited.json(), { statusCode: 429, code: 'SBX_RATE_LIMITED', error: 'Too Many Requests', message: 'Too many requests; try again later' });
  t.equal((await a.inject({ method: 'GET', url: '/limited-long' })).headers['retry-after'], '62', 'rounded up to whole seconds');
});

t.test('schema errors: 400 SBX_INVALID_REQUEST naming the field and the rule, never the value', async (t) => {
  const { a } = await app();
  const res = await a.inject({ method: 'POST', url: '/json', payload: { name: 'SECRET-MARKER', n: 1 } });
  t.equal(res.statusCode, 400);
  t.match(res.json(), { statusCode: 400, code: 'SBX_INVALID_REQUEST', error: 'Bad Request', message: /^body\.name: / });
  t.notMatch(res.body, /SECRET-MARKER/, 'the value is not echoed');
  const extra = await a.inject({ method: 'POST', url: '/json', payload: { name: 'a', n: 1, SECRET_MARKER: 1 } });
  t.equal(extra.json().code, 'SBX_INVALID_REQUEST');
  const q = await a.inject({ method: 'GET', url: '/query?q=x' });
  t.match(q.json(), { statusCode: 400, code: 'SBX_INVALID_REQUEST', message: /^querystring\.q: / });
});

t.test('Fastify’s own errors map to the protocol’s codes', async (t) => {
  const { a } = await app();
  const json = { 'content-type': 'application/json' };
  const cases: [string, InjectOptions, number, string][] = [
    ['too large', { method: 'POST', url: '/json', headers: json, payload: JSON.stringify({ name: 'x'.repeat(200), n: 1 }) }, 413, 'SBX_TOO_LARGE'],
    ['bad JSON', { method: 'POST', url: '/json', headers: json, payload: '{"name":' }, 400, 'SBX_INVALID_JSON'],
    ['empty JSON', { method: 'POST', url: '/json', headers: json, payload: '' }, 400, 'SBX_INVALID_JSON'],
    ['media type', { method: 'POST', url: '/json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' }, 415, 'SBX_UNSUPPORTED_MEDIA_TYPE'],
    ['content length', { method: 'POST', url: '/json', headers: { ...json, 'content-length': '3' }, payload: '{"name":"a","n":1}' }, 400, 'SBX_INVALID_REQUEST'],
    ['prototype poisoning', { method: 'POST', url: '/json', headers: json, payload: '{"__proto__":{"x":1}}' }, 400, 'SBX_INVALID_JSON'],
    ['unknown route', { method: 'GET', url: '/nope' }, 404, 'SBX_ROUTE_NOT_FOUND'],
    ['another library’s 4xx', { method: 'GET', url: '/status-4xx' }, 409, 'SBX_INVALID_REQUEST'],
  ];
  for (const [what, req, status, code] of cases) {
    const res = await a.inject(req);
    t.equal(res.statusCode, status, `${what}: ${status}`);
    t.equal(res.json().code, code, `${what}: ${code}`);
    t.same(shape(res), ['code', 'error', 'message', 'statusCode'], `${what}: the shape`);
    t.notMatch(res.body, /SECRET-MARKER/, `${what}: no library message`);
  }
});

t.test('an unexpected error is a bare 500; the log has its name, never its message', async (t) => {
  const { a, log } = await app();
  for (const url of ['/boom', '/status-5xx']) {
    const res = await a.inject({ method: 'GET', url });
    t.equal(res.statusCode, 500);
    t.same(res.json(), { statusCode: 500, code: 'SBX_INTERNAL', error: 'Internal Server Error', message: 'Internal Server Error' });
  }
  t.match(log.text, /"errName":"Error"/);
  t.match(log.text, /unexpected error/);
  t.notMatch(log.text, /SECRET-MARKER/, 'the message (it may quote input) is not logged');
});
