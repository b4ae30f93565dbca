import { ENGLISH } from '../../../i18n/translations.js';
import { readSetupSubmission } from '../../../cards/card-action.js';
import { parseConnectedAppsInputs, renderConnectedAppsStep, type ConnectedAppsStepView } from '../../../cards/connected-apps-step.js';
import { CONNECTED_APPLICATION_TYPES, type ConnectedApplication } from '../../../setup/model/content.js';
import { cardProblems, cardText } from '../../harness/card-check.js';
import {
  actionData, actionsWith, blankStrings, errorTexts, executeValue, identity, inputById, inputIds, inputsOf, isErrorText,
  nodeAfterInput, nodesOf, submitValue, submittedValues, withFallbacks, type CardNode,
} from './card-walk.js';

const values = (): ConnectedApplication[] => [
  { name: 'Contoso Finance', type: 'Dynamics 365 Finance', applicationUrl: 'https://contoso.operations.dynamics.com', tenant: 'contoso.onmicrosoft.com' },
  { name: 'Contoso SCM UAT', type: 'Dynamics 365 Supply Chain Management', applicationUrl: 'https://contoso-uat.sandbox.operations.dynamics.com', tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
];
const render = (view: Partial<ConnectedAppsStepView> = {}) => renderConnectedAppsStep({ identity, values: values(), errors: {}, ...view }, ENGLISH);

describe('connected applications step card', () => {
  test('passes the Adaptive Cards parser with rows and with none, also without Universal Actions', () => {
    expect(cardProblems(render())).toEqual([]);
    expect(cardProblems(withFallbacks(render()))).toEqual([]);
    expect(cardProblems(render({ values: [] }))).toEqual([]);
  });

  test('says in its header that the step is optional, then shows the notice', () => {
    const [header, notice] = render({ notice: { tone: 'attention', text: 'Fix the fields marked in red.' } }).body as CardNode[];
    expect(header).toMatchObject({ text: 'Step 3 of 4 · Connected applications (optional)' });
    expect(notice).toMatchObject({ type: 'Container', style: 'attention', items: [{ text: 'Fix the fields marked in red.' }] });
  });

  test('with no rows says what Skip does and that they can be added later', () => {
    expect(cardText(render({ values: [] }))).toContain('No connected applications yet. Add one, or press **Skip** to go to the review without any: you can add them later.');
    expect(cardText(render())).not.toContain('No connected applications');
  });

  test('names every input by its validation path, fills it, and offers the documented application types', () => {
    const card = render();
    expect(inputIds(card)).toEqual([0, 1].flatMap((index) =>
      ['name', 'type', 'applicationUrl', 'tenant'].map((field) => `connectedApplications[${index}].${field}`)));
    expect(inputById(card, 'connectedApplications[1].type')).toMatchObject({ type: 'Input.ChoiceSet', value: 'Dynamics 365 Supply Chain Management' });
    expect((inputById(card, 'connectedApplications[0].type')?.choices as CardNode[]).map((choice) => choice.value)).toEqual([...CONNECTED_APPLICATION_TYPES]);
    expect(inputById(card, 'connectedApplications[1].tenant')?.value).toBe('72f988bf-86f1-41af-91ab-2d7cd011db47');
    expect(inputById(card, 'connectedApplications[0].applicationUrl')?.placeholder).toBe('https://contoso.operations.dynamics.com');
    expect(inputById(card, 'connectedApplications[0].tenant')?.placeholder).toBe('contoso.onmicrosoft.com');
    expect(inputsOf(card).every((input) => typeof input.label === 'string' && input.isRequired === undefined)).toBe(true);
  });

  test('puts each server error right under its input and a list error above the rows', () => {
    const errors = {
      'connectedApplications[1].applicationUrl': 'Use https://contoso.operations.dynamics.com.',
      'connectedApplications[0].tenant': 'Enter a tenant ID or domain.',
      connectedApplications: 'Two applications have the same URL.',
      'connectedApplications[5].name': 'No such row.',
    };
    const card = render({ errors });
    expect(nodeAfterInput(card, 'connectedApplications[1].applicationUrl')?.text).toBe(errors['connectedApplications[1].applicationUrl']);
    expect(isErrorText(nodeAfterInput(card, 'connectedApplications[0].tenant'))).toBe(true);
    const nodes = nodesOf(card);
    expect(nodes.findIndex((node) => node.text === errors.connectedApplications)).toBeLessThan(nodes.findIndex((node) => node.id === 'connectedApplications[0].name'));
    expect(errorTexts(card)).toHaveLength(3);
  });

  test('offers Add application and a Remove per row', () => {
    const card = render();
    expect(actionsWith(card, { verb: 'setup.add', list: 'connectedApplications' }).map((action) => action.title)).toEqual(['Add application']);
    expect(actionsWith(card, { verb: 'setup.remove', list: 'connectedApplications' }).map((action) => actionData(action).index)).toEqual([0, 1]);
  });

  test('with rows, ends with Back, Next (positive, sending the inputs) and Cancel: no Skip that would drop them', () => {
    const actions = render().actions as CardNode[];
    expect(actions.map((action) => [action.title, action.verb, action.associatedInputs ?? 'auto'])).toEqual([
      ['Back', 'setup.back', 'none'], ['Next', 'setup.next', 'auto'], ['Cancel', 'setup.cancel', 'none'],
    ]);
    expect(actions[1].style).toBe('positive');
    for (const action of nodesOf(render()).filter((node) => node.type === 'Action.Execute')) {
      expect(action.fallback).toEqual({ ...action, type: 'Action.Submit', verb: undefined, fallback: undefined });
    }
  });
});

describe('connected applications step card with nothing added', () => {
  test('shows one way on, Skip, between Back and Cancel: never Skip and Next together', () => {
    const actions = render({ values: [] }).actions as CardNode[];
    expect(actions.map((action) => [action.title, action.verb, action.associatedInputs ?? 'auto'])).toEqual([
      ['Back', 'setup.back', 'none'], ['Skip', 'setup.skip', 'none'], ['Cancel', 'setup.cancel', 'none'],
    ]);
  });
});

describe('parseConnectedAppsInputs', () => {
  test('reads back what the card sends when a row is added, through either action shape', () => {
    const card = render();
    const add = actionsWith(card, { verb: 'setup.add' })[0];
    for (const payload of [executeValue(add, submittedValues(card)), submitValue(add, submittedValues(card))]) {
      const submission = readSetupSubmission(payload);
      expect(submission?.action).toMatchObject({ verb: 'setup.add', list: 'connectedApplications', card: 'connectedApps' });
      expect(parseConnectedAppsInputs(submission?.inputs ?? {}, blankStrings(values()))).toEqual(values());
    }
  });

  test('keeps the previous rows for keys not sent (Skip, Back, Cancel send none)', () => {
    expect(parseConnectedAppsInputs({}, values())).toEqual(values());
    expect(parseConnectedAppsInputs({}, [])).toEqual([]);
  });

  test('trims, ignores unknown types, unknown keys, extra rows and non-strings', () => {
    const parsed = parseConnectedAppsInputs({
      'connectedApplications[0].tenant': ' fabrikam.onmicrosoft.com ', 'connectedApplications[0].type': 'Dynamics 365 Sales',
      'connectedApplications[1].type': 'Dynamics 365 Finance', 'connectedApplications[1].name': 7, 'connectedApplications[2].name': 'extra',
    }, values());
    expect(parsed).toEqual([
      { ...values()[0], tenant: 'fabrikam.onmicrosoft.com' },
      { ...values()[1], type: 'Dynamics 365 Finance' },
    ]);
  });
});
