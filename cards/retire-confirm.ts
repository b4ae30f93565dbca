import template from './retire-confirm.json' with { type: 'json' };
import type { EnvironmentStatus } from '../setup/registry/registry.js';
import type { Words } from '../i18n/translations.js';
import type { Notice } from './form-view.js';
import { listOrNone, TONE_STYLES } from './form-view.js';
import { ENVIRONMENT_VERBS, environmentAction } from './environment-actions.js';
import { environmentStatusWord } from './registry-cards.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import type { ChangeLineView } from './change-lines.js';

export interface RetireConfirmView {
  environment: string;
  status: EnvironmentStatus;
  /** The version the card shows: Submit for approval asks to retire exactly this version. */
  revision: number;
  applications: readonly string[];
  notice?: Notice;
}

/** `retire contoso-uat`: what retiring does, before anyone is asked; Submit for approval or Keep it. */
export function renderRetireConfirm(view: RetireConfirmView, words: Words): AdaptiveCardJson {
  const { environment, applications } = view;
  const lines: ChangeLineView[] = [
    ...(applications.length > 0
      ? [{ text: words.t('cards.retireConfirm.unlinks', { count: applications.length, applications: applications.join(', ') }), style: 'attention' as const }]
      : []),
    { text: words.t('cards.retireConfirm.marksRetired', { environment }), style: 'warning' },
    { text: words.t('cards.retireConfirm.keepsHistory', { command: `history ${environment}` }), style: 'good' },
  ];
  return expandTemplate(
    template,
    {
      w: {
        heading: words.t('cards.retireConfirm.heading', { environment }),
        status: words.t('cards.retireConfirm.status'),
        version: words.t('cards.retireConfirm.version'),
        applications: words.t('cards.retireConfirm.applications'),
        once: words.t('cards.retireConfirm.once'),
      },
      environment,
      notice: view.notice ? { text: view.notice.text, style: TONE_STYLES[view.notice.tone] } : { text: '', style: 'default' },
      status: environmentStatusWord(view.status, words),
      revision: String(view.revision),
      applications: listOrNone([...applications], words),
      lines,
      afterwards: words.t('cards.retireConfirm.afterwards', { environment }),
      actions: [
        environmentAction(words.t('cards.button.submitForApproval'), { verb: ENVIRONMENT_VERBS.retire, environment, v: view.revision }, 'destructive'),
        environmentAction(words.t('cards.retireConfirm.keep'), { verb: ENVIRONMENT_VERBS.keep, environment, v: view.revision }),
      ],
    },
    words,
  );
}
