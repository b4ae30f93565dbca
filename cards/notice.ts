import template from './notice.json' with { type: 'json' };
import { expandTemplate, type AdaptiveCardJson } from './render.js';

/** A card that only says something: what replaces a card whose flow has ended. */
export function renderNotice(title: string, text = ''): AdaptiveCardJson {
  return expandTemplate(template, { title, text });
}
