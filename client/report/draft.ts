// What the reporter is writing, held in memory only (never in the browser's storage): the answers,
// whom they leave out, the files they picked; and the words every screen uses for a channel.
import { localText } from '../../domain/text.js';
import { emptyValues, type FormValues } from './form-model.js';
import type { Channel } from './types.js';

/** A file the reporter picked, with an id the page keys it by. */
export interface PickedFile {
  id: string;
  file: File;
}

let counter = 0;
export const pickId = (): string => `f${++counter}`;

export interface Draft {
  values: FormValues;
  includeIdentity: boolean;
  /** User ids of recipients the reporter left out. */
  excluded: string[];
  files: PickedFile[];
  strip: boolean;
}

export function newDraft(channel: Channel): Draft {
  return { values: emptyValues(channel.questionnaire), includeIdentity: false, excluded: [], files: [], strip: true };
}

export const channelTitle = (channel: Channel, locale: string): string => localText(channel.title, locale) || channel.id;
