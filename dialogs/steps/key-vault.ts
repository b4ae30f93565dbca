import { parseKeyVaultInputs, renderKeyVaultStep } from '../../cards/key-vault-step.js';
import { validateKeyVault } from '../../setup/rules/validation.js';
import { changeModeOf, type FormStep } from './form-step.js';

export const keyVaultStep: FormStep = {
  step: 'keyVault',
  previous: 'environment',
  next: 'connectedApps',
  render: (draft, identity, errors, words, notice) => renderKeyVaultStep({ identity, values: draft.content.keyVault, errors, notice, change: changeModeOf(draft) }, words),
  read: (draft, inputs) => ({ ...draft, content: { ...draft.content, keyVault: parseKeyVaultInputs(inputs, draft.content.keyVault) } }),
  validate: (content, context) => validateKeyVault(content.keyVault, context),
};
