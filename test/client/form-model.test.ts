// The form model: empty values, zod validation in questionnaire order, and the answers object.
import t from 'tap';
import { emptyValues, fieldByPath, isEmergency, toAnswers, validate, type FormValues } from '../../client/report/form-model.js';
import { questionnaireRef } from '../../domain/questionnaire.js';
import { defaultQuestionnaire as q } from '../../domain/defaults/questionnaire.js';
import type { Questionnaire } from '../../client/report/types.js';

t.test('an empty form needs exactly the category and the description', async (t) => {
  const values = emptyValues(q);
  t.same(values.people, [{ name: '', role: '', badge: '' }], 'one empty entry per repeatable group');
  t.equal(values['identity.name'], '');
  const r = validate(q, values, false);
  t.same(r.ok ? [] : r.errors, [{ path: 'category', key: 'error.required' }, { path: 'description', key: 'error.required' }]);
  t.equal(questionnaireRef(q), 'customs-default@1');
});

t.test('valid answers: trimmed, empty ones dropped, yes/no as booleans, identity apart', async (t) => {
  const values: FormValues = {
    ...emptyValues(q), category: 'BRIBERY', description: '  He asked for money.\n\n', danger: 'yes', ongoing: 'no', dateFrom: '2026-11-01',
    people: [{ name: ' X ', role: '', badge: '' }, { name: '', role: '', badge: '' }], 'identity.name': 'Me', 'identity.contact': '',
  };
  const without = validate(q, values, false);
  t.ok(without.ok);
  t.same(without.ok && without.answers, { category: 'BRIBERY', description: '  He asked for money.', danger: true, dateFrom: '2026-11-01', ongoing: false, people: [{ name: 'X' }] });
  const withId = validate(q, values, true);
  t.same(withId.ok && withId.answers.identity, { name: 'Me' }, 'the identity goes only when turned on');
  t.same(toAnswers(q, { ...values, 'identity.name': '' }, true).identity, undefined, 'an empty identity section sends nothing');
  t.ok(isEmergency(q, values));
  t.notOk(isEmergency(q, { ...values, danger: 'no' }));
});

t.test('bad answers get their own messages, in form order', async (t) => {
  const values: FormValues = {
    ...emptyValues(q), category: 'NOT_A_CODE', description: 'x'.repeat(20001), process: 'bogus', dateFrom: '2026-02-30', dateTo: 'soon',
    people: [{ name: 'y'.repeat(201), role: '', badge: '' }], 'identity.name': 'z'.repeat(300),
  };
  const r = validate(q, values, true);
  t.same(r.ok ? [] : r.errors, [
    { path: 'category', key: 'error.required' },
    { path: 'description', key: 'error.tooLong', max: 20000 },
    { path: 'process', key: 'error.invalidChoice' },
    { path: 'dateFrom', key: 'error.invalidDate' },
    { path: 'dateTo', key: 'error.invalidDate' },
    { path: 'people.0.name', key: 'error.tooLong', max: 200 },
    { path: 'identity.name', key: 'error.tooLong', max: 200 },
  ]);
  const order = validate(q, { ...emptyValues(q), category: 'OTHER', description: 'd', dateFrom: '2026-03-02', dateTo: '2026-03-01' }, false);
  t.same(order.ok ? [] : order.errors, [{ path: 'dateTo', key: 'error.dateOrder' }]);
  t.equal(fieldByPath(q, 'people.0.badge')?.maxLength, 50);
  t.equal(fieldByPath(q, 'identity.contact')?.id, 'contact');
  t.equal(fieldByPath(q, 'nowhere'), undefined);
});

t.test('other field types an administrator may use: multiselect, number, required yes/no, date', async (t) => {
  const custom: Questionnaire = {
    id: 'custom', version: 3, sections: [{
      id: 's', title: { en: 'S' }, fields: [
        { id: 'tags', type: 'multiselect', required: true, label: { en: 'Tags' }, options: [{ value: 'a', label: { en: 'A' } }, { value: 'b', label: { en: 'B' } }] },
        { id: 'count', type: 'number', required: true, label: { en: 'Count' } },
        { id: 'sure', type: 'yesno', required: true, label: { en: 'Sure?' } },
        { id: 'when', type: 'date', required: true, label: { en: 'When' } },
        { id: 'note', type: 'text', label: { en: 'Note' } },
        { id: 'single', type: 'group', label: { en: 'Single' }, fields: [{ id: 'x', type: 'text', label: { en: 'X' } }] },
      ],
    }],
  };
  const empty = validate(custom, emptyValues(custom), false);
  t.same(empty.ok ? [] : empty.errors.map((e) => `${e.path}:${e.key}`), ['tags:error.required', 'count:error.required', 'sure:error.required', 'when:error.required']);
  const bad = validate(custom, { ...emptyValues(custom), tags: ['c'], count: 'many', sure: 'maybe', when: '2026-1-1' }, false);
  t.same(bad.ok ? [] : bad.errors.map((e) => `${e.path}:${e.key}`), ['tags.0:error.invalidChoice', 'count:error.invalidNumber', 'sure:error.required', 'when:error.invalidDate']);
  const good = validate(custom, { ...emptyValues(custom), tags: ['a', 'b'], count: '3,5', sure: 'no', when: '2026-01-01', note: 'n', single: [{ x: 'v' }] }, false);
  t.same(good.ok && good.answers, { tags: ['a', 'b'], count: '3,5', sure: false, when: '2026-01-01', note: 'n', single: [{ x: 'v' }] });
  t.same(toAnswers(custom, { tags: 'oops' as unknown as string[], single: 'oops' }, false), {}, 'values of the wrong shape are dropped');
});
