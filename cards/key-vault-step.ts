import template from './key-vault-step.json' with { type: 'json' };
import { ITEM_TYPES, type KeyVaultReference } from '../setup/model/content.js';
import { cardActions } from './card-action.js';
import { choiceInput, choicesOf, errorAt, fieldView, stepHeader, textInput, type CardInputs, type ChangeMode, type ErrorMap, type Notice } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import type { CardIdentity } from './setup-actions.js';
import type { Words } from '../i18n/translations.js';
import type { MessageKey } from '../i18n/message-keys.js';

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
function memberLabel(member: number, count: number, words: Words): string {
  const role = count === 1 ? 'certificate' : member === 0 ? 'root' : member === count - 1 ? 'endUser' : 'intermediate';
  return words.t('cards.keyVaultStep.member', { number: member + 1, role });
}

/** An item type (a code: Secret, Certificate) as the reader says it. */
const ITEM_TYPE_KEYS: Record<string, MessageKey> = { Secret: 'cards.itemType.Secret', Certificate: 'cards.itemType.Certificate' };

export function itemTypeWord(type: string, words: Words): string {
  const key = ITEM_TYPE_KEYS[type];
  return key ? words.t(key) : type;
}

/** Step 2: the Key Vault reference, its items by name, and ordered certificate chains. */
export function renderKeyVaultStep(view: KeyVaultStepView, words: Words): AdaptiveCardJson {
  const { values, errors } = view;
  const field = (id: string, value: string) => fieldView(errors, id, value);
  const act = cardActions(view.identity, 'keyVault', words);
  const remove = words.t('cards.button.remove');
  const certificateNames = [...new Set(values.items.filter((item) => item.type === 'Certificate' && item.name !== '').map((item) => item.name))];
  return expandTemplate(template, {
    w: {
      neverPaste: words.t('cards.keyVaultStep.neverPaste'),
      referenceName: words.t('cards.keyVaultStep.referenceName'),
      keyVaultUri: words.t('cards.keyVaultStep.keyVaultUri'),
      referenceKept: words.t('cards.keyVaultStep.referenceKept'),
      referenceNameRequired: words.t('cards.keyVaultStep.referenceNameRequired'),
      description: words.t('cards.keyVaultStep.description'),
      descriptionPlaceholder: words.t('cards.keyVaultStep.descriptionPlaceholder'),
      keyVaultUriRequired: words.t('cards.keyVaultStep.keyVaultUriRequired'),
      sasSecretName: words.t('cards.keyVaultStep.sasSecretName'),
      sasSecretNameRequired: words.t('cards.keyVaultStep.sasSecretNameRequired'),
      items: words.t('cards.keyVaultStep.items'),
      itemName: words.t('cards.keyVaultStep.itemName'),
      itemType: words.t('cards.keyVaultStep.itemType'),
      itemDescription: words.t('cards.keyVaultStep.itemDescription'),
      itemDescriptionPlaceholder: words.t('cards.keyVaultStep.itemDescriptionPlaceholder'),
      chains: words.t('cards.keyVaultStep.chains'),
      chainsHint: words.t('cards.keyVaultStep.chainsHint'),
      chainName: words.t('cards.keyVaultStep.chainName'),
      chainDescription: words.t('cards.keyVaultStep.chainDescription'),
      chainDescriptionPlaceholder: words.t('cards.keyVaultStep.chainDescriptionPlaceholder'),
    },
    ...stepHeader('keyVault', view.notice, view.change, words),
    referenceFixed: view.change !== undefined,
    name: field('keyVault.name', values.name),
    description: field('keyVault.description', values.description),
    keyVaultUri: field('keyVault.keyVaultUri', values.keyVaultUri),
    storageSasSecretName: field('keyVault.storageSasSecretName', values.storageSasSecretName),
    itemTypes: choicesOf(ITEM_TYPES, (type) => itemTypeWord(type, words)),
    itemsError: errorAt(errors, ITEMS),
    items: values.items.map((item, index) => ({
      name: field(`${ITEMS}[${index}].name`, item.name),
      type: field(`${ITEMS}[${index}].type`, item.type),
      description: field(`${ITEMS}[${index}].description`, item.description),
      remove: act.remove(remove, 'items', index),
    })),
    addItem: act.add(words.t('cards.keyVaultStep.addItem'), 'items'),
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
          const label = memberLabel(member, count, words);
          return {
            label,
            noChoices: words.t('cards.keyVaultStep.noCertificates', { label }),
            certificate: field(`${path}.certificates[${member}]`, certificate),
            hasChoices: names.length > 0,
            choices: choicesOf(names),
            actions: [
              ...(member > 0 ? [act.move('chainCertificates', index, member, 'up')] : []),
              ...(member < count - 1 ? [act.move('chainCertificates', index, member, 'down')] : []),
              act.remove(remove, 'chainCertificates', index, member),
            ],
          };
        }),
        addCertificate: act.add(words.t('cards.keyVaultStep.addCertificate'), 'chainCertificates', index),
        remove: act.remove(words.t('cards.keyVaultStep.removeChain'), 'chains', index),
      };
    }),
    addChain: act.add(words.t('cards.keyVaultStep.addChain'), 'chains'),
    back: act.back(),
    next: act.next(),
    cancel: act.cancel(),
  }, words);
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
