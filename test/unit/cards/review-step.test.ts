import { readSetupSubmission } from '../../../cards/card-action.js';
import { parseReviewInputs, renderReviewStep, type ReviewStepView } from '../../../cards/review-step.js';
import { emptySetupContent, type SetupContent } from '../../../setup/model/content.js';
import { cardProblems, cardText } from '../../harness/card-check.js';
import { actionData, actionsWith, executeValue, identity, inputById, inputsOf, nodesOf, submitValue, submittedValues, withFallbacks, type CardNode } from './card-walk.js';
import { ENGLISH } from '../../../i18n/translations.js';

const content = (): SetupContent => ({
  environment: {
    name: 'contoso-uat', description: 'UAT for Contoso Europe',
    users: [{ userId: 'alice', email: 'alice@contoso.com' }, { userId: 'bo', email: 'bo@contoso.com' }],
    externalApplications: [{ name: 'gateway', objectId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' }],
    numberSequences: [{ name: 'EINV-FR', description: '' }],
    dataverseEndpointUri: '',
  },
  keyVault: {
    name: 'contoso-kv', description: '', keyVaultUri: 'https://contoso-einvoicing.vault.azure.net/', storageSasSecretName: 'storage-sas-token',
    items: [{ name: 'storage-sas-token', type: 'Secret', description: '' }, { name: 'root-ca', type: 'Certificate', description: '' }, { name: 'signer', type: 'Certificate', description: '' }],
    chains: [{ name: 'eu-signing', description: '', certificates: ['root-ca', 'signer'] }],
  },
  connectedApplications: [{ name: 'Contoso Finance', type: 'Dynamics 365 Finance', applicationUrl: 'https://contoso.operations.dynamics.com', tenant: 'contoso.onmicrosoft.com' }],
});
const render = (view: Partial<ReviewStepView> = {}) => renderReviewStep({ identity, content: content(), dryRun: false, errors: {}, ...view }, ENGLISH);
/** The label/value rows of the sections: a ColumnSet of a label column and a value column each. */
const rows = (card: unknown): CardNode[] =>
  nodesOf(card).filter((node) => node.type === 'ColumnSet' && (node.columns as CardNode[]).every((column) => typeof column.width === 'number'));
const facts = (card: unknown): [string, string][] =>
  rows(card).map((row) => {
    const [label, value] = (row.columns as CardNode[]).map((column) => String((column.items as CardNode[])[0].text));
    return [label, value];
  });

describe('review step card', () => {
  test('passes the Adaptive Cards parser, full and empty, also without Universal Actions', () => {
    expect(cardProblems(render())).toEqual([]);
    expect(cardProblems(withFallbacks(render()))).toEqual([]);
    expect(cardProblems(renderReviewStep({ identity, content: emptySetupContent(), dryRun: true, errors: {} }, ENGLISH))).toEqual([]);
  });

  test('starts with the step header and the notice', () => {
    const [header, notice] = render({ notice: { tone: 'good', text: 'Everything checks out.' } }).body as CardNode[];
    expect(header).toMatchObject({ text: 'Step 4 of 4 · Review' });
    expect(notice).toMatchObject({ type: 'Container', style: 'good', items: [{ text: 'Everything checks out.' }] });
  });

  test('summarises each section as facts, lists in plain words', () => {
    expect(facts(render())).toEqual([
      ['Name', 'contoso-uat'],
      ['Description', 'UAT for Contoso Europe'],
      ['Users', 'alice (alice@contoso.com), bo (bo@contoso.com)'],
      ['External applications', 'gateway (3f2504e0-4f89-41d3-9a0c-0305e82c3301)'],
      ['Number sequences', 'EINV-FR'],
      ['Dataverse', 'None'],
      ['Name', 'contoso-kv'],
      ['URI', 'https://contoso-einvoicing.vault.azure.net/'],
      ['SAS secret name', 'storage-sas-token'],
      ['Items', 'storage-sas-token (Secret), root-ca (Certificate), signer (Certificate)'],
      ['Chain', 'eu-signing: root-ca → signer'],
      ['Contoso Finance', 'Dynamics 365 Finance · https://contoso.operations.dynamics.com · contoso.onmicrosoft.com'],
    ]);
  });

  test('says None for every empty value, text or list, and never anything else', () => {
    const empty = facts(renderReviewStep({ identity, content: emptySetupContent(), dryRun: false, errors: {} }, ENGLISH));
    expect(empty).toEqual(expect.arrayContaining([['Description', 'None'], ['Dataverse', 'None'], ['External applications', 'None'], ['Chains', 'None'], ['Applications', 'None']]));
    expect(empty.map(([, value]) => value).filter((value) => /^(—|-|none|n\/a)$/i.test(value) && value !== 'None')).toEqual([]);
  });

  test('every section lays out its labels in a column of the same width (same proportions in every row)', () => {
    const widths = rows(render()).map((row) => (row.columns as CardNode[]).map((column) => column.width));
    expect(widths.length).toBe(12);
    expect(new Set(widths.map((pair) => JSON.stringify(pair)))).toEqual(new Set([JSON.stringify([2, 3])]));
    expect(nodesOf(render()).filter((node) => node.type === 'FactSet')).toEqual([]);
  });

  test('names the dry run once: the toggle has its title and no separate label', () => {
    const text = cardText(render());
    expect(text.match(/Dry run/g)).toHaveLength(1);
    expect(inputById(render(), 'dryRun')?.label).toBeUndefined();
  });

  test('has an Edit per section that sends no inputs', () => {
    const edits = actionsWith(render(), { verb: 'setup.edit' });
    expect(edits.map((action) => [action.title, actionData(action).section, action.associatedInputs])).toEqual([
      ['Edit', 'environment', 'none'], ['Edit', 'keyVault', 'none'], ['Edit', 'connectedApps', 'none'],
    ]);
    expect(actionData(edits[1])).toEqual({ verb: 'setup.edit', draft: identity.draft, rev: identity.rev, card: 'review', section: 'keyVault' });
  });

  test('offers the dry run as a true/false toggle holding the current choice', () => {
    const toggle = inputById(render({ dryRun: true }), 'dryRun');
    expect(toggle).toMatchObject({ type: 'Input.Toggle', title: 'Dry run: verify everything, record nothing', value: 'true', valueOn: 'true', valueOff: 'false' });
    expect(inputById(render(), 'dryRun')?.value).toBe('false');
    expect(inputsOf(render()).map((input) => input.id)).toEqual(['dryRun']);
  });

  test('ends with Submit for approval (positive, sending the toggle) and Cancel', () => {
    const actions = render().actions as CardNode[];
    expect(actions.map((action) => [action.title, action.verb, action.style, action.associatedInputs ?? 'auto'])).toEqual([
      ['Submit for approval', 'setup.submit', 'positive', 'auto'], ['Cancel', 'setup.cancel', undefined, 'none'],
    ]);
  });

  test('lists errors in red at the top, before the first section, saying which section', () => {
    const card = render({ errors: { 'environment.name': 'contoso-uat is already taken.', 'keyVault.items[1].name': 'root-ca is listed twice.' } });
    const body = card.body as CardNode[];
    expect(body.slice(1, 3)).toEqual([
      expect.objectContaining({ text: 'Service environment: contoso-uat is already taken.', color: 'Attention' }),
      expect.objectContaining({ text: 'Key Vault: root-ca is listed twice.', color: 'Attention' }),
    ]);
    expect(cardText(body[3])).toContain('Service environment');
    expect(cardProblems(card)).toEqual([]);
  });

  test('shows at most ten error lines, summarising the rest', () => {
    const errors = Object.fromEntries(Array.from({ length: 14 }, (_, index) => [`keyVault.items[${index}].name`, `Item ${index} is missing.`]));
    const lines = (render({ errors }).body as CardNode[]).filter((node) => node.color === 'Attention').map((node) => node.text);
    expect(lines).toHaveLength(10);
    expect(lines[8]).toBe('Key Vault: Item 8 is missing.');
    expect(lines[9]).toBe('…and 5 more problems: use Edit to fix them.');
  });
});

describe('parseReviewInputs', () => {
  test('reads the toggle back from a Submit for approval click, through either action shape', () => {
    const card = render({ dryRun: true });
    const submit = actionsWith(card, { verb: 'setup.submit' })[0];
    for (const payload of [executeValue(submit, submittedValues(card)), submitValue(submit, submittedValues(card))]) {
      const submission = readSetupSubmission(payload);
      expect(parseReviewInputs(submission?.inputs ?? {}, false)).toEqual({ dryRun: true });
    }
    expect(parseReviewInputs({ dryRun: 'false' }, true)).toEqual({ dryRun: false });
  });

  test('keeps the previous choice when the toggle is not sent or holds anything else', () => {
    expect(parseReviewInputs({}, true)).toEqual({ dryRun: true });
    expect(parseReviewInputs({ dryRun: 'yes' }, false)).toEqual({ dryRun: false });
    expect(parseReviewInputs({ dryRun: true }, false)).toEqual({ dryRun: false });
  });
});
