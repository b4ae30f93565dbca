import template from './notification.json' with { type: 'json' };
import type { Words } from '../i18n/translations.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';

export interface NotificationView {
  requestId: string;
  headline: string;
  detail: string;
  tone: 'default' | 'good' | 'warning' | 'attention';
}

/** Container styles, which keep their contrast in every theme (coloured text does not). */
const STYLE = { default: 'default', good: 'good', warning: 'warning', attention: 'attention' } as const;

/** One compact line-card per request event, linking the request id (the button sends the English `status` keyword, which always works). */
export function renderNotification(view: NotificationView, words: Words): AdaptiveCardJson {
  return expandTemplate(template, { ...view, style: STYLE[view.tone], w: { status: words.t('cards.notification.status', { requestId: view.requestId }) } }, words);
}
