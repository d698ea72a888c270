// The case transcript: answers laid out by the questionnaire, the conversation, notes, history
// and files; every piece of attacker-controlled text escaped (a <script> in an answer comes out
// as text); a page that could run nothing even if it were not; SHA256SUMS in sha256sum's format.
import t from 'tap';
import { en } from '../../client/console/i18n/en.js';
import { ar } from '../../client/console/i18n/ar.js';
import { fr } from '../../client/console/i18n/fr.js';
import { localText } from '../../domain/text.js';
import {
  caseArchiveName, caseFilePath, caseTranscript, escapeHtml, safeFileName, sha256Sums, utcTime, type CaseRecord,
} from '../../domain/case-transcript.js';
import { defaultQuestionnaire } from '../../domain/defaults/questionnaire.js';

const categoryField = defaultQuestionnaire.sections[0]!.fields.find((f) => f.id === 'category')!;

const EVIL = '<script>alert(1)</script>';
const ATTR = '" onmouseover="alert(2)';

function record(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    report: {
      id: 'AAAAAAAAAAAAAAAAAAAAAA', channelId: 'staff', status: 'closed', severity: 'high', category: 'EXTORTION', office: `Port ${EVIL}`,
      process: 'examination', outcome: 'substantiated', receivedAt: '2026-11-28T16:00:00.000Z', acknowledgedAt: '2026-11-29T09:30:12.345Z',
      closedAt: null, acknowledgeBy: '2026-12-05T16:00:00.000Z', feedbackBy: '2027-02-28T09:30:12.345Z',
    },
    channelTitle: `Staff ${EVIL}`,
    questionnaire: defaultQuestionnaire,
    content: {
      locale: 'en', questionnaire: 'customs-default@1',
      answers: {
        category: 'EXTORTION', description: `They asked for money ${EVIL}\nsecond line`, danger: false, process: 'examination',
        people: [{ name: `Officer ${ATTR}`, role: 'Examiner' }, { role: 'Supervisor', nickname: 'Big <b>boss</b>' }],
        identity: { name: 'Jane Reporter' }, legacy: { nested: `<img src=x onerror=alert(3)>` }, empty: '',
      },
    },
    messages: [
      { author: 'reporter', createdAt: '2026-11-28T16:00:00.000Z', text: `From the reporter ${EVIL}`, missingBefore: false },
      { author: 'reviewer', createdAt: '2026-11-29T09:30:00.000Z', text: 'Thank you', missingBefore: false },
      { author: 'reporter', createdAt: '2026-11-30T10:00:00.000Z', text: null, missingBefore: true },
    ],
    notes: [
      { author: `alice${EVIL}`, createdAt: '2026-11-29T10:00:00.000Z', text: `Check the roster ${EVIL}` },
      { author: null, createdAt: '2026-11-29T11:00:00.000Z', text: null },
    ],
    history: [
      { seq: 5, at: '2026-11-28T16:00:00.000Z', actor: 'reporter', actorName: null, action: 'report.received', details: { channelId: 'staff' } },
      { seq: 9, at: '2026-11-29T09:30:12.345Z', actor: 'user:abc', actorName: 'alice', action: 'report.triage', details: { status: ['new', 'acknowledged'], office: [null, `Port ${EVIL}`] } },
      { seq: 12, at: '2026-11-30T08:00:00.000Z', actor: 'user:gone', actorName: null, action: 'report.view', details: {} },
    ],
    files: [
      { id: 'f1', name: `ledger ${EVIL}.txt`, type: 'text/plain', size: 12, state: 'ok', path: caseFilePath('f1', `ledger ${EVIL}.txt`), sha256: 'ab'.repeat(32) },
      { id: 'f2', name: 'broken.pdf', type: 'application/pdf', size: 99, state: 'damaged', path: null, sha256: null },
      { id: 'f3', name: 'half.mov', type: '', size: 5, state: 'incomplete', path: null, sha256: null },
    ],
    exportedBy: 'alice',
    exportedAt: '2026-12-01T12:34:56.789Z',
    ...overrides,
  };
}

t.test('every piece of decrypted text is escaped', async (t) => {
  const page = caseTranscript(record(), en, 'en');
  t.notMatch(page, /<script/i, 'no script element, from any answer, message, note, name or label');
  t.notMatch(page, /<img/i);
  t.notMatch(page, /<b>boss/);
  t.notMatch(page, /" onmouseover=/, 'no attribute can be broken out of');
  t.match(page, 'They asked for money &lt;script&gt;alert(1)&lt;/script&gt;', 'the answer is there, as text');
  t.match(page, 'From the reporter &lt;script&gt;');
  t.match(page, 'Check the roster &lt;script&gt;');
  t.match(page, 'alice&lt;script&gt;');
  t.match(page, 'Officer &quot; onmouseover=&quot;alert(2)');
  t.match(page, 'Staff &lt;script&gt;');
  t.match(page, 'Port &lt;script&gt;');
  t.match(page, 'Big &lt;b&gt;boss&lt;/b&gt;');
  t.match(page, '&lt;img src=x onerror=alert(3)&gt;');
  t.equal(escapeHtml(`<>&"'`), '&lt;&gt;&amp;&quot;&#39;');
  t.match(page, `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'">`,
    'and the page would run nothing even if an escape were missed');
});

t.test('the answers by the questionnaire, then the rest', async (t) => {
  const page = caseTranscript(record(), en, 'en');
  t.match(page, /<h1>Case AAAAAAAAAAAAAAAAAAAAAA<\/h1>/);
  t.match(page, /Confidential\./);
  t.match(page, 'Exported by alice on 2026-12-01 12:34 (UTC).');
  t.match(page, /<dt>Category<\/dt><dd dir="auto">Extortion: threats, invented fees, goods held until someone pays<\/dd>/, 'choices by their label');
  t.match(page, /<dt>Is anyone in immediate danger to life or safety\?<\/dt><dd dir="auto">No<\/dd>/);
  t.match(page, /<dt>Process involved<\/dt><dd dir="auto">Physical examination<\/dd>/);
  t.match(page, /<dt>People involved<\/dt><dd dir="auto"><ol><li><dl class="entry"><div><dt>Name<\/dt>/, 'groups as numbered entries');
  t.match(page, /<dt>nickname<\/dt><dd dir="auto">Big &lt;b&gt;boss/, 'a field the group does not know is kept');
  t.match(page, /<section class="identity"><h3>[^<]+<\/h3>\n<p>The reporter’s identity/, 'the identity section with its warning');
  t.match(page, /<h3>Other answers<\/h3>[\s\S]*<dt>legacy<\/dt><dd dir="auto">\{&quot;nested&quot;/, 'unknown answers as they came');
  t.notMatch(page, /<dt>empty<\/dt>/, 'empty answers are left out');
  t.match(page, /<tr><th scope="row">Status<\/th><td>Closed<\/td><\/tr>/);
  t.match(page, /<tr><th scope="row">Process<\/th><td>Physical examination<\/td><\/tr>/);
  t.match(page, /<tr><th scope="row">Acknowledged<\/th><td>2026-11-29 09:30<\/td><\/tr>/);
  t.match(page, /<tr><th scope="row">Closed<\/th><td>—<\/td><\/tr>/);
  t.match(page, /Integrity unit · 2026-11-29 09:30/);
  t.match(page, /This message could not be decrypted\./);
  t.equal(page.split('At least one message before this one is missing').length - 1, 1, 'the one message after a gap is marked, no other');
  t.match(page, /A former member · 2026-11-29 11:00/);
  t.match(page, /This note could not be decrypted\./);
  t.match(page, /<td>2026-11-29 09:30<\/td><td>alice<\/td><td><code>report.triage<\/code><\/td><td><code>status: &quot;new&quot; → &quot;acknowledged&quot;; office: null → &quot;Port &lt;script&gt;/);
  t.match(page, /<td>A reporter<\/td><td><code>report.received<\/code>/);
  t.match(page, /<td>user:gone<\/td>/, 'an actor without a name, as the trail has it');
  t.equal(caseFilePath('f1', `ledger ${EVIL}.txt`), 'files/f1-script_.txt', 'the name made safe (the "/" of "</script>" ends a folder)');
  t.match(page, '<td dir="auto">ledger &lt;script&gt;alert(1)&lt;/script&gt;.txt</td>', 'the name as the reporter gave it, escaped');
  t.match(page, '<a href="files/f1-script_.txt">files/f1-script_.txt</a>', 'linked to its copy in the export');
  t.match(page, `<code>${'ab'.repeat(32)}</code>`);
  t.match(page, /This file could not be decrypted; it is not in the export\./);
  t.match(page, /This file was not uploaded completely\./);
  t.match(page, /unknown type/);
});

t.test('what could not be read says so', async (t) => {
  const page = caseTranscript(record({ content: null, notes: null, messages: [], files: [], history: [], questionnaire: undefined }), en, 'en');
  t.match(page, /The report’s content could not be decrypted/);
  t.match(page, /The internal notes are not in this export/);
  t.match(page, /No messages yet\./);
  t.match(page, /No files\./);
  const bare = caseTranscript(record({ questionnaire: undefined, notes: [] }), en, 'en');
  t.match(bare, /<h3>Other answers<\/h3>[\s\S]*<dt>description<\/dt><dd dir="auto">They asked for money &lt;script&gt;/, 'without a questionnaire, every answer as it came');
  t.match(bare, /No notes yet\./);
  const unset = caseTranscript(record({ report: { ...record().report, process: null, office: null, category: null, outcome: null, severity: 'weird' } }), en, 'en');
  t.match(unset, /<tr><th scope="row">Process<\/th><td>—<\/td><\/tr>/);
  t.match(unset, /<tr><th scope="row">Severity<\/th><td>weird<\/td><\/tr>/, 'a code without a name is shown as it is');
  const other = caseTranscript(record({ report: { ...record().report, process: 'own_process' } }), en, 'en');
  t.match(other, /<td>own_process<\/td>/);
});

t.test('in French', async (t) => {
  const page = caseTranscript(record(), { ...en, ...fr }, 'fr');
  t.match(page, /<html lang="fr" dir="ltr">/);
  t.match(page, /<h1>Dossier AAAAAAAAAAAAAAAAAAAAAA<\/h1>/);
  t.match(page, /<dt>Catégorie<\/dt><dd dir="auto">Extorsion : menaces/);
  t.match(page, /Exporté par alice le 2026-12-01 12:34 \(UTC\)\./);
  t.match(page, /<dd dir="auto">Non<\/dd>/);
});

t.test('in Arabic, right to left', async (t) => {
  const page = caseTranscript(record(), { ...en, ...ar }, 'ar');
  t.match(page, /<html lang="ar" dir="rtl">/);
  t.ok(page.includes(`<dt>${localText(categoryField.label, 'ar')}</dt><dd dir="auto">${localText(categoryField.options!.find((o) => o.value === 'EXTORTION')!.label, 'ar').split(':')[0]}`), 'the questionnaire in Arabic');
  t.ok(page.includes(ar['transcript.received']), 'the transcript in Arabic');
});

t.test('names, checksums and times', async (t) => {
  t.equal(safeFileName('../../etc/passwd'), 'passwd');
  t.equal(safeFileName('C:\\Users\\x\\photo.jpg'), 'photo.jpg');
  t.equal(safeFileName('.hidden'), '_hidden');
  t.equal(safeFileName('a<b>c:d?.txt'), 'a_b_c_d_.txt');
  t.equal(safeFileName('line\nbreak\u007f.txt'), 'line_break_.txt');
  t.equal(safeFileName(''), 'attachment');
  t.equal(safeFileName('dir/'), 'attachment');
  t.equal(safeFileName('x'.repeat(300)).length, 120);
  t.equal(safeFileName('تقرير.pdf'), 'تقرير.pdf', 'other scripts are kept');
  t.equal(caseFilePath('abc', '../x.txt'), 'files/abc-x.txt');
  t.equal(caseArchiveName('abc'), 'sealbox-case-abc.zip');
  t.equal(sha256Sums([{ path: 'transcript.html', sha256: '00'.repeat(32) }, { path: 'files/a-b.txt', sha256: 'ff'.repeat(32) }]),
    `${'00'.repeat(32)}  transcript.html\n${'ff'.repeat(32)}  files/a-b.txt\n`);
  t.equal(utcTime('2026-11-28T16:05:59.999Z'), '2026-11-28 16:05');
});
