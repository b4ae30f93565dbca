import { parseEnvironmentInputs, renderEnvironmentStep } from '../../cards/environment-step.js';
import { validateEnvironment } from '../../setup/rules/validation.js';
import { changeModeOf, type FormStep } from './form-step.js';

export const environmentStep: FormStep = {
  step: 'environment',
  next: 'keyVault',
  render: (draft, identity, errors, words, notice) => renderEnvironmentStep({ identity, values: draft.content.environment, errors, notice, change: changeModeOf(draft) }, words),
  read: (draft, inputs) => ({ ...draft, content: { ...draft.content, environment: parseEnvironmentInputs(inputs, draft.content.environment) } }),
  validate: (content, context) => validateEnvironment(content.environment, context),
};
