// A conversation as its readers open it (PROTOCOL.md §9): versions 1 and 2 side by side, a
// warning exactly where a message names one the reader was not given, and nothing the server
// sends (a false version, a swapped id, a ciphertext that is not base64url) making it throw.
import t from 'tap';
import {
  encryptMessage, generateReportKey, messageHash, newId, NO_PREVIOUS_MESSAGE, openConversation, ready, sealMessage,
  type Author, type WireMessage,
} from '../../crypto/index.js';

await ready;
const key = generateReportKey();
const reportId = newId();

/** A conversation of version 2 messages, each naming the one before it, as honest senders write it. */
function chain(...texts: Array<[Author, string]>): WireMessage[] {
  let prev = NO_PREVIOUS_MESSAGE;
  return texts.map(([author, text]) => {
    const { body, hash } = sealMessage(key, reportId, author, text, prev);
    prev = hash;
    return { ...body, author, version: 2 as const };
  });
}

t.test('an empty conversation: nothing to warn of, and the first message names no previous one', async (t) => {
  t.same(openConversation(key, reportId, []), { messages: [], next: NO_PREVIOUS_MESSAGE });
});

t.test('a whole chain opens with no warning; the next message names the last', async (t) => {
  const messages = chain(['reporter', 'first'], ['reviewer', 'second'], ['reporter', 'third']);
  const opened = openConversation(key, reportId, messages);
  t.same(opened.messages.map((m) => [m.text, m.missingBefore]), [['first', false], ['second', false], ['third', false]]);
  t.equal(opened.next, messageHash(messages[2]!));
});

t.test('a dropped message: the one after it is marked, and only that one', async (t) => {
  const [a, b, c, d] = chain(['reporter', 'a'], ['reviewer', 'b'], ['reporter', 'c'], ['reviewer', 'd']);
  const opened = openConversation(key, reportId, [a!, c!, d!]);
  t.same(opened.messages.map((m) => [m.text, m.missingBefore]), [['a', false], ['c', true], ['d', false]]);
  t.same(openConversation(key, reportId, [b!, c!]).messages.map((m) => m.missingBefore), [true, false], 'the first one withheld');
  // The tail cannot be seen to go: nothing after it names it. The sender's own next message will.
  t.same(openConversation(key, reportId, [a!, b!]).messages.map((m) => m.missingBefore), [false, false]);
});

t.test('version 1 messages open beside version 2, count as given, and never warn', async (t) => {
  const old = { ...encryptMessage(key, reportId, 'reporter', 'from before 1.1'), id: newId(), author: 'reporter' as const, version: 1 as const };
  const { body } = sealMessage(key, reportId, 'reviewer', 'a reply', messageHash(old));
  const opened = openConversation(key, reportId, [old, { ...body, author: 'reviewer', version: 2 }]);
  t.same(opened.messages.map((m) => [m.text, m.missingBefore]), [['from before 1.1', false], ['a reply', false]]);
  t.same(openConversation(key, reportId, [{ ...body, author: 'reviewer', version: 2 }]).messages[0]!.missingBefore, true, 'the version 1 message withheld');
});

t.test('what the server says about a message cannot make it open as something else', async (t) => {
  const [a, b] = chain(['reporter', 'a'], ['reviewer', 'b']);
  const v1 = { ...encryptMessage(key, reportId, 'reporter', 'old'), id: newId(), author: 'reporter' as const, version: 1 as const };
  const lies: Array<[string, WireMessage]> = [
    ['a version 2 message called version 1', { ...a!, version: 1 }],
    ['a version 1 message called version 2', { ...v1, version: 2 }],
    ['a version 2 message under another id', { ...a!, id: newId() }],
    ['a version 2 message under the other author', { ...a!, author: 'reviewer' }],
  ];
  for (const [what, m] of lies) {
    t.same(openConversation(key, reportId, [m]).messages.map((o) => o.text), [null], what);
  }
  const other = openConversation(key, newId(), [a!, b!]);
  t.same(other.messages.map((m) => m.text), [null, null], 'another report');
  // An unreadable message is still there: the one after it names it and is not marked.
  t.same(openConversation(key, reportId, [{ ...a!, version: 1 }, b!]).messages.map((m) => m.missingBefore), [false, false]);
});

t.test('a ciphertext that is not even base64url: unreadable, never a throw', async (t) => {
  const [a] = chain(['reporter', 'a']);
  const broken = { ...a!, ciphertext: '!!not base64url!!' };
  const opened = openConversation(key, reportId, [a!, broken]);
  t.same(opened.messages.map((m) => [m.text, m.missingBefore]), [['a', false], [null, false]]);
  t.equal(opened.next, NO_PREVIOUS_MESSAGE, 'nothing to name after a message with no hash');
});

t.test('sealMessage: a fresh 16-byte id each time, bound into the AD; the hash it returns is what the next message names', async (t) => {
  const one = sealMessage(key, reportId, 'reporter', 'same', NO_PREVIOUS_MESSAGE);
  const two = sealMessage(key, reportId, 'reporter', 'same', NO_PREVIOUS_MESSAGE);
  t.match(one.body.id, /^[A-Za-z0-9_-]{22}$/);
  t.not(one.body.id, two.body.id);
  t.equal(one.hash, messageHash(one.body));
  t.throws(() => sealMessage(key, reportId, 'reporter', 'x', 'AAAA'), { code: 'SBX_BAD_LENGTH' }, 'a prev that is not 32 bytes');
});
