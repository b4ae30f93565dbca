/** The small cards around a draft: the offer to resume it, and the confirmation before discarding it. */
import resumeTemplate from './resume-offer.json' with { type: 'json' };
import discardTemplate from './confirm-discard.json' with { type: 'json' };
import type { SetupStep } from '../setup/model/draft.js';
import type { Words } from '../i18n/translations.js';
import { cardActions } from './card-action.js';
import { cardDateTime, stepOfLine } from './form-view.js';
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

/** "You have an unfinished setup": Resume or Start over. */
export function renderResumeOffer(view: ResumeOfferView, words: Words): AdaptiveCardJson {
  const act = cardActions(view.identity, 'resumeOffer', words);
  return expandTemplate(
    resumeTemplate,
    {
      w: {
        heading: words.t('cards.resumeOffer.heading'),
        environment: words.t('cards.resumeOffer.environment'),
        stoppedAt: words.t('cards.resumeOffer.stoppedAt'),
        lastChanged: words.t('cards.resumeOffer.lastChanged', { when: cardDateTime(view.updatedAt) }),
        pickUp: words.t('cards.resumeOffer.pickUp'),
      },
      environmentName: view.environmentName || words.t('cards.resumeOffer.noName'),
      step: stepOfLine(view.step, words),
      resume: act.plain(words.t('cards.resumeOffer.resume'), SETUP_VERBS.resume, { style: 'positive', inputs: 'none' }),
      startOver: act.plain(words.t('cards.resumeOffer.startOver'), SETUP_VERBS.startOver),
    },
    words,
  );
}

/** "Discard this setup draft?": Discard draft (destructive) or Keep editing. */
export function renderConfirmDiscard(view: ConfirmDiscardView, words: Words): AdaptiveCardJson {
  const act = cardActions(view.identity, 'confirmDiscard', words);
  const lost = view.environmentName
    ? words.t('cards.confirmDiscard.lost', { environment: view.environmentName })
    : words.t('cards.confirmDiscard.lostUnnamed');
  return expandTemplate(
    discardTemplate,
    {
      w: { heading: words.t('cards.confirmDiscard.heading'), lost },
      discard: act.plain(words.t('cards.confirmDiscard.discard'), SETUP_VERBS.discard, { style: 'destructive', inputs: 'none' }),
      keep: act.plain(words.t('cards.confirmDiscard.keep'), SETUP_VERBS.keep),
    },
    words,
  );
}
