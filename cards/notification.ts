import template from './notification.json' with { type: 'json' };
import { expandTemplate, type AdaptiveCardJson } from './render.js';

export interface NotificationView {
  requestId: string;
  headline: string;
  detail: string;
  tone: 'default' | 'good' | 'warning' | 'attention';
}

const COLOR = { default: 'Default', good: 'Good', warning: 'Warning', attention: 'Attention' } as const;

/** One compact line-card per request event, linking the request id. */
export function renderNotification(view: NotificationView): AdaptiveCardJson {
  return expandTemplate(template, { ...view, color: COLOR[view.tone] });
}
