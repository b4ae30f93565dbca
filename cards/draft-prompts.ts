/** The small cards around a draft: the offer to resume it, and the confirmation before discarding it. */
import resumeTemplate from './resume-offer.json' with { type: 'json' };
import discardTemplate from './confirm-discard.json' with { type: 'json' };
import { SETUP_STEPS, STEP_TITLES, stepNumber, type SetupStep } from '../setup/model/draft.js';
import { cardActions } from './card-action.js';
import { cardDateTime } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import { SETUP_VERBS, type CardIdentity } from './setup-actions.js';

export interface ResumeOfferView {
  identity: CardIdentity;
  environmentName: string;
  step: SetupStep;
  updatedAt: string;
}

export interface ConfirmDiscardView {
  identity: CardIdentity;
  environmentName: string;
}

const NO_NAME = '(no name yet)';

/** "You have an unfinished setup": Resume or Start over. */
export function renderResumeOffer(view: ResumeOfferView): AdaptiveCardJson {
  const act = cardActions(view.identity, 'resumeOffer');
  return expandTemplate(resumeTemplate, {
    environmentName: view.environmentName || NO_NAME,
    step: `Step ${stepNumber(view.step)} of ${SETUP_STEPS.length} · ${STEP_TITLES[view.step]}`,
    updatedAt: cardDateTime(view.updatedAt),
    resume: act.plain('Resume', SETUP_VERBS.resume, { style: 'positive', inputs: 'none' }),
    startOver: act.plain('Start over', SETUP_VERBS.startOver),
  });
}

/** "Discard this setup draft?": Discard draft (destructive) or Keep editing. */
export function renderConfirmDiscard(view: ConfirmDiscardView): AdaptiveCardJson {
  const act = cardActions(view.identity, 'confirmDiscard');
  return expandTemplate(discardTemplate, {
    environmentName: view.environmentName || 'this setup',
    discard: act.plain('Discard draft', SETUP_VERBS.discard, { style: 'destructive', inputs: 'none' }),
    keep: act.plain('Keep editing', SETUP_VERBS.keep),
  });
}
