import template from './notification.json' with { type: 'json' };
import { expandTemplate, type AdaptiveCardJson } from './render.js';

export interface NotificationView {
  requestId: string;
  headline: string;
  detail: string;
  tone: 'default' | 'good' | 'warning' | 'attention';
}

/** Container styles, which keep their contrast in every theme (coloured text does not). */
const STYLE = { default: 'default', good: 'good', warning: 'warning', attention: 'attention' } as const;

/** One compact line-card per request event, linking the request id. */
export function renderNotification(view: NotificationView): AdaptiveCardJson {
  return expandTemplate(template, { ...view, style: STYLE[view.tone] });
}
