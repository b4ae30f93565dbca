import { ENGLISH } from '../../../i18n/translations.js';
import { readSetupSubmission } from '../../../cards/card-action.js';
import { parseEnvironmentInputs, renderEnvironmentStep, type EnvironmentStepView } from '../../../cards/environment-step.js';
import { emptySetupContent, type ServiceEnvironment } from '../../../setup/model/content.js';
import { cardProblems, cardText } from '../../harness/card-check.js';
import {
  actionData, actionsWith, blankStrings, errorTexts, executeValue, identity, inputById, inputIds, inputsOf, isErrorText,
  nodeAfterInput, nodesOf, realisticContent, submitValue, submittedValues, withFallbacks, type CardNode,
} from './card-walk.js';

const values = (): ServiceEnvironment => realisticContent().environment;
const render = (view: Partial<EnvironmentStepView> = {}) => renderEnvironmentStep({ identity, values: values(), errors: {}, ...view }, ENGLISH);
const moreOptions = (card: unknown): CardNode | undefined => nodesOf(card).find((node) => node.id === 'moreOptions');

describe('environment step card', () => {
  test('passes the Adaptive Cards parser, also as a client without Universal Actions sees it', () => {
    const card = render({ notice: { tone: 'good', text: 'Draft saved.' } });
    expect(cardProblems(card)).toEqual([]);
    expect(cardProblems(withFallbacks(card))).toEqual([]);
    expect(cardProblems(renderEnvironmentStep({ identity, values: emptySetupContent().environment, errors: {} }, ENGLISH))).toEqual([]);
  });

  test('starts with the step header and then the notice, on a container styled by its tone (not coloured text)', () => {
    const [header, notice] = render({ notice: { tone: 'warning', text: 'Someone else changed this draft.' } }).body as CardNode[];
    expect(header).toMatchObject({ type: 'TextBlock', text: 'Step 1 of 4 · Service environment' });
    expect(notice).toMatchObject({ type: 'Container', style: 'warning', items: [{ type: 'TextBlock', text: 'Someone else changed this draft.' }] });
    expect((notice.items as CardNode[])[0].color).toBeUndefined();
  });

  test('shows no notice line when there is none', () => {
    expect(nodesOf(render()).filter((node) => node.type === 'TextBlock' && node.color !== undefined)).toEqual([]);
  });

  test('names every input by its validation path and fills it with the current value', () => {
    const card = render();
    const environment = values();
    expect(inputIds(card)).toEqual([
      'environment.name', 'environment.description',
      ...environment.users.flatMap((_, index) => [`environment.users[${index}].userId`, `environment.users[${index}].email`]),
      'environment.externalApplications[0].name', 'environment.externalApplications[0].objectId',
      'environment.externalApplications[1].name', 'environment.externalApplications[1].objectId',
      'environment.numberSequences[0].name', 'environment.numberSequences[0].description',
      'environment.numberSequences[1].name', 'environment.numberSequences[1].description',
      'environment.dataverseEndpointUri',
    ]);
    expect(inputById(card, 'environment.name')?.value).toBe(environment.name);
    expect(inputById(card, 'environment.users[3].email')?.value).toBe(environment.users[3].email);
    expect(inputById(card, 'environment.externalApplications[1].objectId')?.value).toBe(environment.externalApplications[1].objectId);
  });

  test('shows typed values exactly as typed, even ones that look like template bindings or markup', () => {
    const odd = ['${name}', '{{DATE(2025-01-01T00:00:00Z)}}', '"quoted" <b>bold</b>\nline', 'Zoë — 東京'];
    const card = renderEnvironmentStep({
      identity, errors: {},
      values: { ...values(), name: odd[0], description: odd[1], users: [{ userId: odd[2], email: odd[3] }] },
    }, ENGLISH);
    expect(['environment.name', 'environment.description', 'environment.users[0].userId', 'environment.users[0].email'].map((id) => inputById(card, id)?.value)).toEqual(odd);
    expect(cardProblems(card)).toEqual([]);
  });

  test('labels every input, requires only the name client-side, and shows examples as placeholders', () => {
    const card = render();
    expect(inputsOf(card).every((input) => typeof input.label === 'string' && input.label !== '')).toBe(true);
    expect(inputsOf(card).filter((input) => input.isRequired === true).map((input) => input.id)).toEqual(['environment.name']);
    expect(inputById(card, 'environment.name')?.errorMessage).toBeTruthy();
    expect(inputById(card, 'environment.users[0].userId')?.placeholder).toBe('alias');
    expect(inputById(card, 'environment.users[0].email')?.placeholder).toBe('name@contoso.com');
  });

  test('puts each server error right under its input', () => {
    const errors = {
      'environment.name': 'The environment name contoso-uat is already taken.',
      'environment.users[2].email': 'Enter an email like name@contoso.com.',
      'environment.externalApplications[0].objectId': 'Enter the object ID as a GUID.',
      'environment.dataverseEndpointUri': 'Use https://contoso.crm.dynamics.com/api/data/v9.1/.',
    };
    const card = render({ errors });
    for (const [id, message] of Object.entries(errors)) {
      const next = nodeAfterInput(card, id);
      expect(isErrorText(next)).toBe(true);
      expect(next).toMatchObject({ text: message, size: 'Small', wrap: true });
    }
    expect(errorTexts(card)).toHaveLength(4);
    expect(cardProblems(card)).toEqual([]);
  });

  test('puts an error about the user list under the list heading', () => {
    const nodes = nodesOf(render({ errors: { 'environment.users': 'Add at least one user.' } }));
    const heading = nodes.findIndex((node) => node.text === 'Users who may deploy Globalization features');
    expect(nodes[heading + 1]).toMatchObject({ text: 'Add at least one user.', color: 'Attention' });
  });

  test('ignores errors for paths the card does not show', () => {
    const card = render({ errors: { 'keyVault.name': 'Taken.', 'environment.users[9].email': 'No such row.', 'environment.status': 'Published.' } });
    expect(errorTexts(card)).toEqual([]);
  });

  test('keeps the more options hidden in a toggled container on a fresh draft, not in a ShowCard', () => {
    const card = renderEnvironmentStep({ identity, values: emptySetupContent().environment, errors: {} }, ENGLISH);
    expect(moreOptions(card)).toMatchObject({ type: 'Container', isVisible: false });
    const toggle = nodesOf(card).find((node) => node.type === 'Action.ToggleVisibility');
    expect(toggle).toMatchObject({ title: 'More options', targetElements: ['moreOptions'] });
    expect(nodesOf(card).some((node) => node.type === 'Action.ShowCard')).toBe(false);
    expect(nodesOf(moreOptions(card)).some((node) => node.type === 'Input.Text' && node.id === 'environment.dataverseEndpointUri')).toBe(true);
    expect(cardText(moreOptions(card))).toContain('Microsoft must approve each external application');
  });

  test.each<[string, Partial<ServiceEnvironment>, Record<string, string>]>([
    ['a Dataverse URI', { dataverseEndpointUri: 'https://contoso.crm.dynamics.com/api/data/v9.1/' }, {}],
    ['an external application', { externalApplications: [{ name: '', objectId: '' }] }, {}],
    ['a number sequence', { numberSequences: [{ name: 'EINV', description: '' }] }, {}],
    ['an error inside', {}, { 'environment.dataverseEndpointUri': 'Use https.' }],
  ])('shows the more options from the start when they hold %s', (_label, patch, errors) => {
    const card = renderEnvironmentStep({ identity, values: { ...emptySetupContent().environment, ...patch }, errors }, ENGLISH);
    expect(moreOptions(card)?.isVisible).toBe(true);
  });

  test('offers Add and a Remove per row, each carrying its list and row', () => {
    const card = render();
    const base = { draft: identity.draft, rev: identity.rev, card: 'environment' };
    expect(actionsWith(card, { verb: 'setup.add', list: 'users' }).map(actionData)).toEqual([{ verb: 'setup.add', list: 'users', ...base }]);
    expect(actionsWith(card, { verb: 'setup.add', list: 'externalApplications' })[0]?.title).toBe('Add external application');
    expect(actionsWith(card, { verb: 'setup.add', list: 'numberSequences' })[0]?.title).toBe('Add number sequence');
    expect(actionsWith(card, { verb: 'setup.remove', list: 'users' }).map((action) => actionData(action).index)).toEqual([0, 1, 2, 3, 4]);
    expect(actionsWith(card, { verb: 'setup.remove', list: 'numberSequences', index: 1 })).toHaveLength(1);
  });

  test('ends with Next (positive, sending the inputs) and Cancel (sending none)', () => {
    const [next, cancel] = render().actions as CardNode[];
    expect(next).toMatchObject({ type: 'Action.Execute', title: 'Next', verb: 'setup.next', style: 'positive' });
    expect(next).not.toHaveProperty('associatedInputs');
    expect(cancel).toMatchObject({ title: 'Cancel', verb: 'setup.cancel', associatedInputs: 'none' });
  });

  test('gives every button an Action.Submit fallback with the same title and data', () => {
    for (const action of nodesOf(render()).filter((node) => node.type === 'Action.Execute')) {
      expect(action.fallback).toEqual({ ...action, type: 'Action.Submit', verb: undefined, fallback: undefined });
    }
  });
});

describe('parseEnvironmentInputs', () => {
  test('reads back what the card sends when Next is clicked, through either action shape', () => {
    const card = render();
    const next = actionsWith(card, { verb: 'setup.next' })[0];
    for (const payload of [executeValue(next, submittedValues(card)), submitValue(next, submittedValues(card))]) {
      const submission = readSetupSubmission(payload);
      expect(submission?.action.verb).toBe('setup.next');
      expect(parseEnvironmentInputs(submission?.inputs ?? {}, blankStrings(values()))).toEqual(values());
    }
  });

  test('trims what was typed and keeps previous values for keys not sent', () => {
    const previous = values();
    const parsed = parseEnvironmentInputs({ 'environment.name': '  contoso-prod ', 'environment.users[1].email': ' bo@contoso.com\n' }, previous);
    expect(parsed).toEqual({
      ...previous,
      name: 'contoso-prod',
      users: previous.users.map((user, index) => (index === 1 ? { ...user, email: 'bo@contoso.com' } : user)),
    });
  });

  test('keeps everything when nothing is sent, and ignores unknown keys, extra rows and non-strings', () => {
    const previous = values();
    expect(parseEnvironmentInputs({}, previous)).toEqual(previous);
    const parsed = parseEnvironmentInputs({ 'environment.name': 42, 'environment.users[9].userId': 'ghost', 'environment.colour': 'red', 'environment.description': null }, previous);
    expect(parsed).toEqual(previous);
  });
});
