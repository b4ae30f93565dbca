import { ENGLISH } from '../../../i18n/translations.js';
import { readSetupSubmission } from '../../../cards/card-action.js';
import { parseKeyVaultInputs, renderKeyVaultStep, type KeyVaultStepView } from '../../../cards/key-vault-step.js';
import { emptySetupContent, type KeyVaultReference } from '../../../setup/model/content.js';
import { cardProblems, cardText } from '../../harness/card-check.js';
import {
  actionData, actionsWith, blankStrings, errorTexts, executeValue, identity, inputById, inputIds, inputsOf, isErrorText,
  nodeAfterInput, nodesOf, submitValue, submittedValues, withFallbacks, type CardNode,
} from './card-walk.js';

const values = (): KeyVaultReference => ({
  name: 'contoso-kv',
  description: 'EU signing',
  keyVaultUri: 'https://contoso-einvoicing.vault.azure.net/',
  storageSasSecretName: 'storage-sas-token',
  items: [
    { name: 'storage-sas-token', type: 'Secret', description: 'Blob SAS URL' },
    { name: 'root-ca', type: 'Certificate', description: '' },
    { name: 'issuing-ca', type: 'Certificate', description: '' },
    { name: 'signer', type: 'Certificate', description: 'Qualified signing certificate' },
  ],
  chains: [
    { name: 'eu-signing', description: 'Signing chain', certificates: ['root-ca', 'issuing-ca', 'signer'] },
    { name: 'ssl', description: '', certificates: ['retired-ca'] },
  ],
});
const render = (view: Partial<KeyVaultStepView> = {}) => renderKeyVaultStep({ identity, values: values(), errors: {}, ...view }, ENGLISH);

describe('Key Vault step card', () => {
  test('passes the Adaptive Cards parser, also as a client without Universal Actions sees it', () => {
    const card = render({ notice: { tone: 'attention', text: 'Fix the fields marked in red.' } });
    expect(cardProblems(card)).toEqual([]);
    expect(cardProblems(withFallbacks(card))).toEqual([]);
    expect(cardProblems(renderKeyVaultStep({ identity, values: emptySetupContent().keyVault, errors: {} }, ENGLISH))).toEqual([]);
  });

  test('starts with the step header, the notice, then the one-line warning never to paste a secret', () => {
    const [header, notice, warning] = render({ notice: { tone: 'good', text: 'Item added.' } }).body as CardNode[];
    expect(header).toMatchObject({ text: 'Step 2 of 4 · Key Vault' });
    expect(notice).toMatchObject({ type: 'Container', style: 'good', items: [{ text: 'Item added.' }] });
    expect(warning).toMatchObject({
      type: 'Container',
      items: [{ type: 'TextBlock', text: '⚠️ **Never paste a secret here** — give the names of the items in Key Vault, not their values.' }],
    });
  });

  test('the never-paste-a-secret warning keeps its contrast in every theme: a warning container, not coloured text', () => {
    const warning = (render().body as CardNode[])[1];
    expect(warning).toMatchObject({ type: 'Container', style: 'warning' });
    for (const node of nodesOf(warning)) expect(node.color).toBeUndefined();
  });

  test('names every input by its validation path and fills it with the current value', () => {
    const card = render();
    expect(inputIds(card)).toEqual([
      'keyVault.name', 'keyVault.description', 'keyVault.keyVaultUri', 'keyVault.storageSasSecretName',
      ...[0, 1, 2, 3].flatMap((index) => [`keyVault.items[${index}].name`, `keyVault.items[${index}].type`, `keyVault.items[${index}].description`]),
      'keyVault.chains[0].name', 'keyVault.chains[0].description',
      'keyVault.chains[0].certificates[0]', 'keyVault.chains[0].certificates[1]', 'keyVault.chains[0].certificates[2]',
      'keyVault.chains[1].name', 'keyVault.chains[1].description', 'keyVault.chains[1].certificates[0]',
    ]);
    expect(inputById(card, 'keyVault.keyVaultUri')?.value).toBe('https://contoso-einvoicing.vault.azure.net/');
    expect(inputById(card, 'keyVault.items[3].type')).toMatchObject({ type: 'Input.ChoiceSet', value: 'Certificate' });
    expect(inputById(card, 'keyVault.chains[0].certificates[1]')).toMatchObject({ type: 'Input.ChoiceSet', value: 'issuing-ca' });
  });

  test('requires the reference name, URI and SAS secret name client-side, never a list row', () => {
    const card = render();
    expect(inputsOf(card).every((input) => typeof input.label === 'string' && input.label !== '')).toBe(true);
    const required = inputsOf(card).filter((input) => input.isRequired === true);
    expect(required.map((input) => input.id)).toEqual(['keyVault.name', 'keyVault.keyVaultUri', 'keyVault.storageSasSecretName']);
    expect(required.every((input) => typeof input.errorMessage === 'string')).toBe(true);
    expect(inputById(card, 'keyVault.keyVaultUri')?.placeholder).toBe('https://contoso-einvoicing.vault.azure.net/');
    expect(inputById(card, 'keyVault.storageSasSecretName')?.placeholder).toBe('storage-sas-token');
  });

  test('offers Secret and Certificate as item types', () => {
    expect(inputById(render(), 'keyVault.items[0].type')?.choices).toEqual([
      { title: 'Secret', value: 'Secret' }, { title: 'Certificate', value: 'Certificate' },
    ]);
  });

  test('lets chain members pick among the Certificate items, keeping a member that is no longer one', () => {
    const card = render();
    const names = (id: string) => (inputById(card, id)?.choices as CardNode[]).map((choice) => choice.value);
    expect(names('keyVault.chains[0].certificates[0]')).toEqual(['root-ca', 'issuing-ca', 'signer']);
    expect(names('keyVault.chains[1].certificates[0]')).toEqual(['root-ca', 'issuing-ca', 'signer', 'retired-ca']);
  });

  test('labels chain members root CA first and end-user certificate last', () => {
    const card = render();
    expect([0, 1, 2].map((member) => inputById(card, `keyVault.chains[0].certificates[${member}]`)?.label)).toEqual([
      '1 · root CA', '2 · intermediate', '3 · end-user certificate',
    ]);
    expect(cardText(card)).toContain('root CA first → end-user certificate last');
  });

  test('asks for a Certificate item first instead of an empty picker when there is none', () => {
    const card = renderKeyVaultStep({
      identity, errors: {},
      values: { ...values(), items: [{ name: 'storage-sas-token', type: 'Secret', description: '' }], chains: [{ name: 'c', description: '', certificates: [''] }] },
    }, ENGLISH);
    expect(inputById(card, 'keyVault.chains[0].certificates[0]')).toBeUndefined();
    expect(cardText(card)).toContain('1 · certificate: add an item of type Certificate first.');
    expect(cardProblems(card)).toEqual([]);
  });

  test('puts each server error right under its input, and list errors under their heading', () => {
    const errors = {
      'keyVault.keyVaultUri': 'Use https://contoso-einvoicing.vault.azure.net/.',
      'keyVault.items[2].name': 'Use letters, digits and hyphens, starting with a letter.',
      'keyVault.chains[0].certificates[1]': 'issuing-ca is not a Certificate item.',
      'keyVault.items': 'Add the storage SAS token secret as an item.',
      'keyVault.chains[0].certificates': 'Put the root CA first.',
    };
    const card = render({ errors });
    for (const id of ['keyVault.keyVaultUri', 'keyVault.items[2].name', 'keyVault.chains[0].certificates[1]']) {
      expect(isErrorText(nodeAfterInput(card, id))).toBe(true);
      expect(nodeAfterInput(card, id)?.text).toBe(errors[id as keyof typeof errors]);
    }
    const nodes = nodesOf(card);
    const itemsHeading = nodes.findIndex((node) => node.text === 'Certificates and secrets');
    expect(nodes[itemsHeading + 1]).toMatchObject({ text: 'Add the storage SAS token secret as an item.', color: 'Attention' });
    expect(nodeAfterInput(card, 'keyVault.chains[0].description')).toMatchObject({ text: 'Put the root CA first.', color: 'Attention' });
    expect(errorTexts(render({ errors: { 'environment.name': 'x', 'keyVault.items[7].name': 'y' } }))).toEqual([]);
  });

  test('offers Add item, Add chain, Add certificate to chain per chain, and a Remove per item, chain and member', () => {
    const card = render();
    expect(actionsWith(card, { verb: 'setup.add', list: 'items' })[0]?.title).toBe('Add item');
    expect(actionsWith(card, { verb: 'setup.add', list: 'chains' })[0]?.title).toBe('Add chain');
    expect(actionsWith(card, { verb: 'setup.add', list: 'chainCertificates' }).map((action) => [action.title, actionData(action).index])).toEqual([
      ['Add certificate to chain', 0], ['Add certificate to chain', 1],
    ]);
    expect(actionsWith(card, { verb: 'setup.remove', list: 'items' }).map((action) => actionData(action).index)).toEqual([0, 1, 2, 3]);
    expect(actionsWith(card, { verb: 'setup.remove', list: 'chains' }).map((action) => actionData(action).index)).toEqual([0, 1]);
    expect(actionData(actionsWith(card, { verb: 'setup.remove', list: 'chainCertificates', index: 0, member: 2 })[0])).toEqual({
      verb: 'setup.remove', draft: identity.draft, rev: identity.rev, card: 'keyVault', list: 'chainCertificates', index: 0, member: 2,
    });
  });

  test('moves chain members up and down, with no Up on the first and no Down on the last', () => {
    const moves = actionsWith(render(), { verb: 'setup.move' }).map((action) => {
      const data = actionData(action);
      return [action.title, data.list, data.index, data.member, data.direction];
    });
    expect(moves).toEqual([
      ['Down', 'chainCertificates', 0, 0, 'down'],
      ['Up', 'chainCertificates', 0, 1, 'up'],
      ['Down', 'chainCertificates', 0, 1, 'down'],
      ['Up', 'chainCertificates', 0, 2, 'up'],
    ]);
  });

  test('ends with Back (no inputs), Next (positive) and Cancel (no inputs), each with a Submit fallback', () => {
    const actions = render().actions as CardNode[];
    expect(actions.map((action) => [action.title, action.verb, action.associatedInputs ?? 'auto', action.style])).toEqual([
      ['Back', 'setup.back', 'none', undefined], ['Next', 'setup.next', 'auto', 'positive'], ['Cancel', 'setup.cancel', 'none', undefined],
    ]);
    for (const action of nodesOf(render()).filter((node) => node.type === 'Action.Execute')) {
      expect(action.fallback).toEqual({ ...action, type: 'Action.Submit', verb: undefined, fallback: undefined });
    }
  });
});

describe('parseKeyVaultInputs', () => {
  test('reads back what the card sends when a chain member is moved, through either action shape', () => {
    const card = render();
    const up = actionsWith(card, { verb: 'setup.move', direction: 'up', member: 2 })[0];
    for (const payload of [executeValue(up, submittedValues(card)), submitValue(up, submittedValues(card))]) {
      const submission = readSetupSubmission(payload);
      expect(submission?.action).toMatchObject({ verb: 'setup.move', list: 'chainCertificates', index: 0, member: 2, direction: 'up' });
      expect(parseKeyVaultInputs(submission?.inputs ?? {}, blankStrings(values()))).toEqual(values());
    }
  });

  test('takes a changed item type, and keeps the previous type for a value outside Secret/Certificate', () => {
    const previous = values();
    const parsed = parseKeyVaultInputs({ 'keyVault.items[0].type': 'Certificate', 'keyVault.items[1].type': 'Password' }, previous);
    expect(parsed.items.map((item) => item.type)).toEqual(['Certificate', 'Certificate', 'Certificate', 'Certificate']);
  });

  test('trims, keeps previous values for keys not sent, and ignores unknown keys and non-strings', () => {
    const previous = values();
    expect(parseKeyVaultInputs({}, previous)).toEqual(previous);
    const parsed = parseKeyVaultInputs({
      'keyVault.name': ' contoso-kv2 ', 'keyVault.chains[0].certificates[2]': ' root-ca', 'keyVault.chains[0].certificates[5]': 'x',
      'keyVault.items[0].name': ['storage'], 'keyVault.secretValue': 'hunter2',
    }, previous);
    expect(parsed).toEqual({
      ...previous,
      name: 'contoso-kv2',
      chains: [{ ...previous.chains[0], certificates: ['root-ca', 'issuing-ca', 'root-ca'] }, previous.chains[1]],
    });
  });
});
