import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { wordsOf } from './turn-words.js';
import { renderConfirmDiscard, renderResumeOffer } from '../cards/draft-prompts.js';
import type { Notice } from '../cards/form-view.js';
import { renderNotice } from '../cards/notice.js';
import { SETUP_VERBS } from '../cards/setup-actions.js';
import type { SetupStep } from '../setup/model/draft.js';
import { senderObjectIdOf } from '../turn/activity-identity.js';
import { turnLogger } from '../turn/turn-logger.js';
import { presentCard } from './card-presenter.js';
import { requesterOf } from './requester.js';
import { checkClick, showDraftCard, staleNotice, type SetupDialogDeps, type StepOutcome } from './setup-context.js';

export interface PromptOptions {
  notice?: Notice;
  /** For confirmDiscard: the step to return to on "Keep editing". */
  returnTo?: SetupStep;
}

interface PromptState {
  returnTo?: SetupStep;
}

/** The two questions about a whole draft: resume it or start over; discard it or keep it. */
export class DraftPromptDialog extends Dialog<PromptOptions> {
  constructor(
    dialogId: string,
    private readonly kind: 'resumeOffer' | 'confirmDiscard',
    private readonly deps: SetupDialogDeps,
  ) {
    super(dialogId);
  }

  override async beginDialog(dc: DialogContext, options?: PromptOptions): Promise<DialogTurnResult> {
    const draft = await this.deps.drafts.get(senderObjectIdOf(dc.context.activity) ?? '');
    if (!draft) return dc.endDialog({ finished: 'abandoned' } satisfies StepOutcome);
    (dc.activeDialog?.state as PromptState).returnTo = options?.returnTo ?? draft.value.step;
    const environmentName = draft.value.content.environment.name;
    await showDraftCard(dc.context, this.deps, draft, {}, (value, identity) =>
      this.kind === 'resumeOffer'
        ? renderResumeOffer({ identity, environmentName, step: value.step, updatedAt: value.updatedAt }, wordsOf(dc.context))
        : renderConfirmDiscard({ identity, environmentName }, wordsOf(dc.context)),
    );
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const checked = await checkClick(dc.context, this.deps, this.kind);
    if (!checked.ok) {
      if (checked.outcome === 'ended') return dc.endDialog({ finished: 'abandoned' } satisfies StepOutcome);
      if (checked.outcome === 'stale' && checked.draft) return dc.endDialog({ show: checked.draft.value.step, notice: staleNotice(wordsOf(dc.context)) } satisfies StepOutcome);
      return Dialog.EndOfTurn;
    }
    const { draft, action } = checked;
    const state = dc.activeDialog?.state as PromptState;
    const log = turnLogger(dc.context, this.deps.logger);
    switch (action.verb) {
      case SETUP_VERBS.resume:
        return dc.endDialog({ show: draft.value.step } satisfies StepOutcome);
      case SETUP_VERBS.startOver: {
        const requester = requesterOf(dc.context);
        if (!requester) break;
        await this.deps.drafts.start(requester, dc.context.activity.conversation.id);
        log.info({ event: 'draft_restarted' }, 'setup draft started over');
        return dc.endDialog({ show: 'environment' } satisfies StepOutcome);
      }
      case SETUP_VERBS.discard:
        await this.deps.drafts.discard(draft);
        log.info({ event: 'draft_discarded' }, 'setup draft discarded');
        const words = wordsOf(dc.context);
        await presentCard(dc.context, renderNotice(words.t('cards.notice.discarded.title'), words.t('cards.notice.discarded.text', { command: 'setup' }), words));
        return dc.endDialog({ finished: 'discarded' } satisfies StepOutcome);
      case SETUP_VERBS.keep:
        return dc.endDialog({ show: state.returnTo ?? draft.value.step } satisfies StepOutcome);
      default:
        break;
    }
    return dc.endDialog({ show: draft.value.step, notice: staleNotice(wordsOf(dc.context)) } satisfies StepOutcome);
  }
}
