import template from './connected-apps-step.json' with { type: 'json' };
import { CONNECTED_APPLICATION_TYPES, type ConnectedApplication } from '../setup/model/content.js';
import { cardActions } from './card-action.js';
import { choiceInput, choicesOf, errorAt, fieldView, stepHeader, textInput, type CardInputs, type ChangeMode, type ErrorMap, type Notice } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import type { CardIdentity } from './setup-actions.js';
import type { Words } from '../i18n/translations.js';

export interface ConnectedAppsStepView {
  identity: CardIdentity;
  values: ConnectedApplication[];
  errors: ErrorMap;
  notice?: Notice;
  change?: ChangeMode;
}

const APPS = 'connectedApplications';

/** Step 3 (optional): the Finance / SCM environments, one row each; Skip when there are none, else Next. */
export function renderConnectedAppsStep(view: ConnectedAppsStepView, words: Words): AdaptiveCardJson {
  const { errors } = view;
  const field = (id: string, value: string) => fieldView(errors, id, value);
  const act = cardActions(view.identity, 'connectedApps', words);
  return expandTemplate(template, {
    w: {
      intro: words.t('cards.connectedAppsStep.intro'),
      none: words.t('cards.connectedAppsStep.none'),
      name: words.t('cards.connectedAppsStep.name'),
      namePlaceholder: words.t('cards.connectedAppsStep.namePlaceholder'),
      type: words.t('cards.connectedAppsStep.type'),
      url: words.t('cards.connectedAppsStep.url'),
      tenant: words.t('cards.connectedAppsStep.tenant'),
    },
    ...stepHeader('connectedApps', view.notice, view.change, words),
    appTypes: choicesOf(CONNECTED_APPLICATION_TYPES),
    appsError: errorAt(errors, APPS),
    apps: view.values.map((app, index) => ({
      name: field(`${APPS}[${index}].name`, app.name),
      type: field(`${APPS}[${index}].type`, app.type),
      applicationUrl: field(`${APPS}[${index}].applicationUrl`, app.applicationUrl),
      tenant: field(`${APPS}[${index}].tenant`, app.tenant),
      remove: act.remove(words.t('cards.button.remove'), 'connectedApplications', index),
    })),
    addApp: act.add(words.t('cards.connectedAppsStep.addApplication'), 'connectedApplications'),
    // with no application there is nothing to check: Skip (said above) is the one way on; with some, Next
    actions: [act.back(), view.values.length === 0 ? act.skip() : act.next(), act.cancel()],
  }, words);
}

/** The applications with the submitted values laid over `previous` (rows as in `previous`). */
export function parseConnectedAppsInputs(inputs: CardInputs, previous: ConnectedApplication[]): ConnectedApplication[] {
  const text = (id: string, value: string) => textInput(inputs, id, value);
  return previous.map((app, index) => ({
    name: text(`${APPS}[${index}].name`, app.name),
    type: choiceInput(inputs, `${APPS}[${index}].type`, CONNECTED_APPLICATION_TYPES, app.type),
    applicationUrl: text(`${APPS}[${index}].applicationUrl`, app.applicationUrl),
    tenant: text(`${APPS}[${index}].tenant`, app.tenant),
  }));
}
