// Español: the words of the notification e-mails (mail-text.ts lays them out, as for English
// and French in messages.ts): content-free, about channel ids, counts and days only.
import type { MailWords } from './mail-text.js';

export const es: MailWords = {
  newReport: {
    subject: 'Sealbox: una nueva denuncia en el canal {channel}',
    arrived: 'Ha llegado una nueva denuncia al canal {channel}.',
    open: 'Abra la consola de revisión para leerla:',
    why: 'Este mensaje no dice nada del contenido de la denuncia. Lo recibe porque sus notificaciones están configuradas como «De inmediato»; puede cambiarlo en «Mi cuenta», en la consola. Un resumen diario oculta mejor cuándo llegan las denuncias.',
  },
  digest: {
    subject: 'Sealbox: resumen diario',
    title: 'Resumen diario del {day}.',
    received: 'Denuncias nuevas desde el resumen anterior: {n}',
    due: 'Denuncias cuyo plazo de acuse de recibo vence mañana ({dueDay}): {n}',
    noChannel: 'no pertenece a ningún canal',
    open: 'Abra la consola de revisión:',
    why: 'Este resumen se envía todos los días, también cuando no hay nada nuevo, para que la hora de un mensaje no revele cuándo llegó una denuncia. Nunca dice lo que contiene una denuncia.',
  },
  reminder: {
    subjectOne: 'Sealbox: el plazo de acuse de recibo de una denuncia vence mañana',
    subjectMany: 'Sealbox: el plazo de acuse de recibo de {n} denuncias vence mañana',
    due: 'Denuncias aún sin acuse de recibo cuyo plazo vence mañana ({dueDay}): {n}',
    none: 'ninguna',
    open: 'Acuse recibo en la consola de revisión:',
    why: 'Este mensaje no dice nada del contenido de las denuncias.',
  },
  awaitingApproval: {
    subject: 'Sealbox: alguien espera aprobación en el canal {channel}',
    waiting: 'Alguien espera aprobación en el canal {channel}: un miembro nuevo, o un miembro cuyas claves se restablecieron. No recibe ninguna denuncia del canal hasta que un miembro lo apruebe.',
    open: 'Inicie sesión en la consola de revisión para comparar las huellas con esa persona y aprobarla:',
    why: 'Este mensaje no nombra ninguna denuncia ni a ninguna persona. Compare la huella que muestra la consola con la propia persona, en persona o por teléfono, antes de aprobar.',
  },
};
