// العربية (Arabic): the notification e-mails, as in messages.ts (English and French): content-free, built
// only from channel ids, counts and days. Terms as in the console (لوحة المراجعة, صندوق الوارد,
// الإقرار بالاستلام). The reminder's plural subject puts the count after a colon, which reads
// correctly for every number.
import { lines, total, type MailCatalogue } from './mail-text.js';

export const ar: MailCatalogue = {
  newReport: (channelId, inboxUrl) => ({
    subject: `Sealbox: بلاغ جديد في القناة ${channelId}`,
    text: [
      `وصل بلاغ جديد إلى القناة ${channelId}.`,
      '',
      'افتح لوحة المراجعة لقراءته:',
      inboxUrl,
      '',
      'لا تذكر هذه الرسالة شيئًا عن مضمون البلاغ. تصلك لأن إشعاراتك مضبوطة على «فورًا»؛ ويمكنك تغيير ذلك من «حسابي» في لوحة المراجعة. والملخص اليومي يُخفي وقت وصول البلاغات على نحو أفضل.',
    ].join('\n'),
  }),
  digest: (d) => ({
    subject: 'Sealbox: الملخص اليومي',
    text: [
      `الملخص اليومي ليوم ${d.day}.`,
      '',
      `البلاغات الجديدة منذ الملخص السابق: ${total(d.received)}`,
      lines(d.received, 'لست عضوًا في أي قناة'),
      '',
      `البلاغات التي ينقضي موعد الإقرار باستلامها غدًا (${d.dueDay}): ${total(d.due)}`,
      lines(d.due, 'لست عضوًا في أي قناة'),
      '',
      'افتح لوحة المراجعة:',
      d.inboxUrl,
      '',
      'يُرسَل هذا الملخص كل يوم، حتى إن لم يكن هناك جديد، كي لا يدل وقت الرسالة على وقت وصول أي بلاغ. ولا يذكر أبدًا مضمون أي بلاغ.',
    ].join('\n'),
  }),
  reminder: (r) => {
    const n = total(r.due);
    return {
      subject: n === 1 ? 'Sealbox: بلاغ ينقضي غدًا موعد الإقرار باستلامه' : `Sealbox: بلاغات ينقضي غدًا موعد الإقرار باستلامها: ${n}`,
      text: [
        `البلاغات التي لم يُقَرّ باستلامها بعد وينقضي موعدها غدًا (${r.dueDay}): ${n}`,
        lines(r.due.filter((c) => c.n > 0), 'لا يوجد'),
        '',
        'أقِرّ باستلامها في لوحة المراجعة:',
        r.inboxUrl,
        '',
        'لا تذكر هذه الرسالة شيئًا عن مضمون البلاغات.',
      ].join('\n'),
    };
  },
};
