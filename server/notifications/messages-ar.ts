// العربية (Arabic): the words of the notification e-mails (mail-text.ts lays them out, as for English
// and French in messages.ts): content-free, about channel ids, counts and days only.
import type { MailWords } from './mail-text.js';

export const ar: MailWords = {
  newReport: {
    subject: 'Sealbox: بلاغ جديد في القناة {channel}',
    arrived: 'وصل بلاغ جديد إلى القناة {channel}.',
    open: 'افتح لوحة المراجعة لقراءته:',
    why: 'لا تذكر هذه الرسالة شيئًا عن مضمون البلاغ. تصلك لأن إشعاراتك مضبوطة على «فورًا»؛ ويمكنك تغيير ذلك من «حسابي» في لوحة المراجعة. والملخص اليومي يُخفي وقت وصول البلاغات على نحو أفضل.',
  },
  digest: {
    subject: 'Sealbox: الملخص اليومي',
    title: 'الملخص اليومي ليوم {day}.',
    received: 'البلاغات الجديدة منذ الملخص السابق: {n}',
    due: 'البلاغات التي ينقضي موعد الإقرار باستلامها غدًا ({dueDay}): {n}',
    noChannel: 'لست عضوًا في أي قناة',
    open: 'افتح لوحة المراجعة:',
    why: 'يُرسَل هذا الملخص كل يوم، حتى إن لم يكن هناك جديد، كي لا يدل وقت الرسالة على وقت وصول أي بلاغ. ولا يذكر أبدًا مضمون أي بلاغ.',
  },
  reminder: {
    subjectOne: 'Sealbox: بلاغ ينقضي غدًا موعد الإقرار باستلامه',
    subjectMany: 'Sealbox: بلاغات ينقضي غدًا موعد الإقرار باستلامها: {n}',
    due: 'البلاغات التي لم يُقَرّ باستلامها بعد وينقضي موعدها غدًا ({dueDay}): {n}',
    none: 'لا يوجد',
    open: 'أقِرّ باستلامها في لوحة المراجعة:',
    why: 'لا تذكر هذه الرسالة شيئًا عن مضمون البلاغات.',
  },
};
