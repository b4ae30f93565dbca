import template from './submitted.json' with { type: 'json' };
import { cardDateTime } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';

export interface SubmittedView {
  requestId: string;
  environmentName: string;
  requesterName: string;
  submittedAt: string;
  keyVaultName: string;
  itemCount: number;
  connectedAppCount: number;
  dryRun: boolean;
}

/** The request card right after submission: "SR-0042 · Waiting for approval", who, when, summary. */
export function renderSubmitted(view: SubmittedView): AdaptiveCardJson {
  return expandTemplate(template, {
    ...view,
    submittedAt: cardDateTime(view.submittedAt),
    environmentName: view.environmentName || '—',
    keyVaultName: view.keyVaultName || '—',
    itemCount: String(view.itemCount),
    connectedAppCount: String(view.connectedAppCount),
  });
}
