import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { SetupCardKind } from '../cards/setup-actions.js';
import { DraftPromptDialog } from './draft-prompt-dialog.js';
import { FormStepDialog } from './form-step-dialog.js';
import { DIALOG_IDS } from './ids.js';
import type { SetupDialogDeps, StepOutcome } from './setup-context.js';
import { connectedAppsStep } from './steps/connected-apps.js';
import { environmentStep } from './steps/environment.js';
import { keyVaultStep } from './steps/key-vault.js';
import { reviewStep } from './steps/review.js';

const DIALOG_FOR: Readonly<Record<SetupCardKind, string>> = {
  environment: DIALOG_IDS.environment,
  keyVault: DIALOG_IDS.keyVault,
  connectedApps: DIALOG_IDS.connectedApps,
  review: DIALOG_IDS.review,
  resumeOffer: DIALOG_IDS.resumeOffer,
  confirmDiscard: DIALOG_IDS.confirmDiscard,
};

/** Where to enter the flow: the card to show first. */
export type SetupDialogOptions = Extract<StepOutcome, { show: SetupCardKind }>;

/**
 * The setup conversation: a loop that shows one card at a time — the four steps of the form,
 * plus the resume and discard questions — each card replacing the one clicked. It builds a
 * request and submits it; it never executes anything.
 */
export class SetupDialog extends ComponentDialog {
  constructor(deps: SetupDialogDeps) {
    super(DIALOG_IDS.setup);
    this.addDialog(new FormStepDialog(DIALOG_IDS.environment, environmentStep, deps));
    this.addDialog(new FormStepDialog(DIALOG_IDS.keyVault, keyVaultStep, deps));
    this.addDialog(new FormStepDialog(DIALOG_IDS.connectedApps, connectedAppsStep, deps));
    this.addDialog(new FormStepDialog(DIALOG_IDS.review, reviewStep, deps));
    this.addDialog(new DraftPromptDialog(DIALOG_IDS.resumeOffer, 'resumeOffer', deps));
    this.addDialog(new DraftPromptDialog(DIALOG_IDS.confirmDiscard, 'confirmDiscard', deps));
    this.addDialog(
      new WaterfallDialog(DIALOG_IDS.loop, [
        async (step: WaterfallStepContext<SetupDialogOptions>) => {
          const { show, notice, returnTo } = step.options;
          return step.beginDialog(DIALOG_FOR[show], { notice, returnTo });
        },
        async (step: WaterfallStepContext<SetupDialogOptions>) => {
          const outcome = step.result as StepOutcome | undefined;
          if (outcome && 'show' in outcome) return step.replaceDialog(DIALOG_IDS.loop, outcome);
          return step.endDialog(outcome);
        },
      ]),
    );
    this.initialDialogId = DIALOG_IDS.loop;
  }
}
