import template from './notice.json' with { type: 'json' };
import type { Words } from '../i18n/translations.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';

/** A card that only says something: what replaces a card whose flow has ended. `title` and `text` come in the reader's words. */
export function renderNotice(title: string, text: string, words: Words): AdaptiveCardJson {
  return expandTemplate(template, { title, text }, words);
}
