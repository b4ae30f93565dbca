import { parseReviewInputs, renderReviewStep } from '../../cards/review-step.js';
import { changeOrigin, type SetupDraft } from '../../setup/model/draft.js';
import { diffSetup } from '../../setup/model/setup-diff.js';
import { validateSetupContent } from '../../setup/rules/validation.js';
import type { FormStep } from './form-step.js';

/** For a change: the environment, its version, and the difference the review shows. */
function changeView(draft: SetupDraft) {
  const change = changeOrigin(draft.origin);
  return change ? { environment: change.environment, baseRevision: change.baseRevision, diff: diffSetup(change.before, draft.content) } : undefined;
}

export const reviewStep: FormStep = {
  step: 'review',
  previous: 'connectedApps',
  render: (draft, identity, errors, words, notice) => renderReviewStep({ identity, content: draft.content, dryRun: draft.dryRun, errors, notice, change: changeView(draft) }, words),
  read: (draft, inputs) => ({ ...draft, dryRun: parseReviewInputs(inputs, draft.dryRun).dryRun }),
  validate: (content, context) => validateSetupContent(content, context),
};
