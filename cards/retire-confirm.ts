import template from './retire-confirm.json' with { type: 'json' };
import type { Notice } from './form-view.js';
import { listOrNone, TONE_STYLES } from './form-view.js';
import { ENVIRONMENT_VERBS, environmentAction } from './environment-actions.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import type { ChangeLineView } from './change-lines.js';

export interface RetireConfirmView {
  environment: string;
  status: string;
  /** The version the card shows: Submit for approval asks to retire exactly this version. */
  revision: number;
  applications: readonly string[];
  notice?: Notice;
}

/** `retire contoso-uat`: what retiring does, before anyone is asked; Submit for approval or Keep it. */
export function renderRetireConfirm(view: RetireConfirmView): AdaptiveCardJson {
  const { environment, applications } = view;
  const lines: ChangeLineView[] = [
    ...(applications.length > 0
      ? [{ text: `**− Unlinks** ${applications.length} application${applications.length === 1 ? '' : 's'} from it: ${applications.join(', ')}`, style: 'attention' as const }]
      : []),
    { text: `**~ Marks it Retired**: Finance can no longer use ${environment}, and it can no longer be changed`, style: 'warning' },
    { text: `**Keeps** its history (history ${environment}) and its record: nothing is deleted`, style: 'good' },
  ];
  return expandTemplate(template, {
    environment,
    notice: view.notice ? { text: view.notice.text, style: TONE_STYLES[view.notice.tone] } : { text: '', style: 'default' },
    status: view.status,
    revision: String(view.revision),
    applications: listOrNone([...applications]),
    lines,
    afterwards: `The request goes to the approvers like any other (same rules, quorum and expiry). In Finance, stop using ${environment} in Electronic document parameters once it is retired.`,
    actions: [
      environmentAction('Submit for approval', { verb: ENVIRONMENT_VERBS.retire, environment, v: view.revision }, 'destructive'),
      environmentAction('Keep it', { verb: ENVIRONMENT_VERBS.keep, environment, v: view.revision }),
    ],
  });
}
