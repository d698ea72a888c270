// Español: the notification e-mails, as in messages.ts (English and French): content-free, built
// only from channel ids, counts and days.
import { lines, total, type MailCatalogue } from './mail-text.js';

export const es: MailCatalogue = {
  newReport: (channelId, inboxUrl) => ({
    subject: `Sealbox: una nueva denuncia en el canal ${channelId}`,
    text: [
      `Ha llegado una nueva denuncia al canal ${channelId}.`,
      '',
      'Abra la consola de revisión para leerla:',
      inboxUrl,
      '',
      'Este mensaje no dice nada del contenido de la denuncia. Lo recibe porque sus notificaciones están configuradas como «De inmediato»; puede cambiarlo en «Mi cuenta», en la consola. Un resumen diario oculta mejor cuándo llegan las denuncias.',
    ].join('\n'),
  }),
  digest: (d) => ({
    subject: 'Sealbox: resumen diario',
    text: [
      `Resumen diario del ${d.day}.`,
      '',
      `Denuncias nuevas desde el resumen anterior: ${total(d.received)}`,
      lines(d.received, 'no pertenece a ningún canal'),
      '',
      `Denuncias cuyo plazo de acuse de recibo vence mañana (${d.dueDay}): ${total(d.due)}`,
      lines(d.due, 'no pertenece a ningún canal'),
      '',
      'Abra la consola de revisión:',
      d.inboxUrl,
      '',
      'Este resumen se envía todos los días, también cuando no hay nada nuevo, para que la hora de un mensaje no revele cuándo llegó una denuncia. Nunca dice lo que contiene una denuncia.',
    ].join('\n'),
  }),
  reminder: (r) => {
    const n = total(r.due);
    return {
      subject: n === 1 ? 'Sealbox: el plazo de acuse de recibo de una denuncia vence mañana' : `Sealbox: el plazo de acuse de recibo de ${n} denuncias vence mañana`,
      text: [
        `Denuncias aún sin acuse de recibo cuyo plazo vence mañana (${r.dueDay}): ${n}`,
        lines(r.due.filter((c) => c.n > 0), 'ninguna'),
        '',
        'Acuse recibo en la consola de revisión:',
        r.inboxUrl,
        '',
        'Este mensaje no dice nada del contenido de las denuncias.',
      ].join('\n'),
    };
  },
};
