import { parseConnectedAppsInputs, renderConnectedAppsStep } from '../../cards/connected-apps-step.js';
import { validateConnectedApplications } from '../../setup/rules/validation.js';
import { changeModeOf, type FormStep } from './form-step.js';

export const connectedAppsStep: FormStep = {
  step: 'connectedApps',
  previous: 'keyVault',
  next: 'review',
  render: (draft, identity, errors, words, notice) => renderConnectedAppsStep({ identity, values: draft.content.connectedApplications, errors, notice, change: changeModeOf(draft) }, words),
  read: (draft, inputs) => ({
    ...draft,
    content: { ...draft.content, connectedApplications: parseConnectedAppsInputs(inputs, draft.content.connectedApplications) },
  }),
  validate: (content) => validateConnectedApplications(content.connectedApplications),
};
