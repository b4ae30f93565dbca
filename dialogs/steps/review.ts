import { parseReviewInputs, renderReviewStep } from '../../cards/review-step.js';
import { validateSetupContent } from '../../setup/validation.js';
import type { FormStep } from './form-step.js';

export const reviewStep: FormStep = {
  step: 'review',
  previous: 'connectedApps',
  render: (draft, identity, errors, notice) => renderReviewStep({ identity, content: draft.content, dryRun: draft.dryRun, errors, notice }),
  read: (draft, inputs) => ({ ...draft, dryRun: parseReviewInputs(inputs, draft.dryRun).dryRun }),
  validate: (content, context) => validateSetupContent(content, context),
};
