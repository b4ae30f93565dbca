import template from './key-vault-step.json' with { type: 'json' };
import { ITEM_TYPES, type KeyVaultReference } from '../setup/model/content.js';
import { cardActions } from './card-action.js';
import { choiceInput, choicesOf, errorAt, fieldView, stepHeader, textInput, type CardInputs, type ChangeMode, type ErrorMap, type Notice } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import type { CardIdentity } from './setup-actions.js';

export interface KeyVaultStepView {
  identity: CardIdentity;
  values: KeyVaultReference;
  errors: ErrorMap;
  notice?: Notice;
  /** A change: the reference's name and vault URI are fixed (shown, not asked). */
  change?: ChangeMode;
}

const ITEMS = 'keyVault.items';
const CHAINS = 'keyVault.chains';

/** "1 · root CA", "2 · intermediate", "3 · end-user certificate". */
function memberLabel(member: number, count: number): string {
  const role = member === 0 ? 'root CA' : member === count - 1 ? 'end-user certificate' : 'intermediate';
  return `${member + 1} · ${count === 1 ? 'certificate' : role}`;
}

/** Step 2: the Key Vault reference, its items by name, and ordered certificate chains. */
export function renderKeyVaultStep(view: KeyVaultStepView): AdaptiveCardJson {
  const { values, errors } = view;
  const field = (id: string, value: string) => fieldView(errors, id, value);
  const act = cardActions(view.identity, 'keyVault');
  const certificateNames = [...new Set(values.items.filter((item) => item.type === 'Certificate' && item.name !== '').map((item) => item.name))];
  return expandTemplate(template, {
    ...stepHeader('keyVault', view.notice, view.change),
    referenceFixed: view.change !== undefined,
    name: field('keyVault.name', values.name),
    description: field('keyVault.description', values.description),
    keyVaultUri: field('keyVault.keyVaultUri', values.keyVaultUri),
    storageSasSecretName: field('keyVault.storageSasSecretName', values.storageSasSecretName),
    itemTypes: choicesOf(ITEM_TYPES),
    itemsError: errorAt(errors, ITEMS),
    items: values.items.map((item, index) => ({
      name: field(`${ITEMS}[${index}].name`, item.name),
      type: field(`${ITEMS}[${index}].type`, item.type),
      description: field(`${ITEMS}[${index}].description`, item.description),
      remove: act.remove('Remove', 'items', index),
    })),
    addItem: act.add('Add item', 'items'),
    chainsError: errorAt(errors, CHAINS),
    chains: values.chains.map((chain, index) => {
      const path = `${CHAINS}[${index}]`;
      const count = chain.certificates.length;
      return {
        name: field(`${path}.name`, chain.name),
        description: field(`${path}.description`, chain.description),
        certificatesError: errorAt(errors, `${path}.certificates`),
        members: chain.certificates.map((certificate, member) => {
          const names = certificate === '' || certificateNames.includes(certificate) ? certificateNames : [...certificateNames, certificate];
          return {
            label: memberLabel(member, count),
            certificate: field(`${path}.certificates[${member}]`, certificate),
            hasChoices: names.length > 0,
            choices: choicesOf(names),
            actions: [
              ...(member > 0 ? [act.move('chainCertificates', index, member, 'up')] : []),
              ...(member < count - 1 ? [act.move('chainCertificates', index, member, 'down')] : []),
              act.remove('Remove', 'chainCertificates', index, member),
            ],
          };
        }),
        addCertificate: act.add('Add certificate to chain', 'chainCertificates', index),
        remove: act.remove('Remove chain', 'chains', index),
      };
    }),
    addChain: act.add('Add chain', 'chains'),
    back: act.back(),
    next: act.next(),
    cancel: act.cancel(),
  });
}

/** The reference with the submitted values laid over `previous` (rows as in `previous`). */
export function parseKeyVaultInputs(inputs: CardInputs, previous: KeyVaultReference): KeyVaultReference {
  const text = (id: string, value: string) => textInput(inputs, id, value);
  return {
    name: text('keyVault.name', previous.name),
    description: text('keyVault.description', previous.description),
    keyVaultUri: text('keyVault.keyVaultUri', previous.keyVaultUri),
    storageSasSecretName: text('keyVault.storageSasSecretName', previous.storageSasSecretName),
    items: previous.items.map((item, index) => ({
      name: text(`${ITEMS}[${index}].name`, item.name),
      description: text(`${ITEMS}[${index}].description`, item.description),
      type: choiceInput(inputs, `${ITEMS}[${index}].type`, ITEM_TYPES, item.type),
    })),
    chains: previous.chains.map((chain, index) => ({
      name: text(`${CHAINS}[${index}].name`, chain.name),
      description: text(`${CHAINS}[${index}].description`, chain.description),
      certificates: chain.certificates.map((certificate, member) => text(`${CHAINS}[${index}].certificates[${member}]`, certificate)),
    })),
  };
}
