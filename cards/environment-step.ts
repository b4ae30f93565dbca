import template from './environment-step.json' with { type: 'json' };
import type { ServiceEnvironment } from '../setup/model/content.js';
import { cardActions } from './card-action.js';
import { errorAt, fieldView, stepHeader, textInput, type CardInputs, type ChangeMode, type ErrorMap, type Notice } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import type { CardIdentity } from './setup-actions.js';
import type { Words } from '../i18n/translations.js';

export interface EnvironmentStepView {
  identity: CardIdentity;
  values: ServiceEnvironment;
  errors: ErrorMap;
  notice?: Notice;
  /** A change: the name is fixed (shown, not asked). */
  change?: ChangeMode;
}

const USERS = 'environment.users';
const EXTERNAL_APPS = 'environment.externalApplications';
const SEQUENCES = 'environment.numberSequences';
const DATAVERSE = 'environment.dataverseEndpointUri';

/** Step 1: name, description, users; "More options" holds external apps, number sequences, Dataverse. */
export function renderEnvironmentStep(view: EnvironmentStepView, words: Words): AdaptiveCardJson {
  const { values, errors } = view;
  const field = (id: string, value: string) => fieldView(errors, id, value);
  const act = cardActions(view.identity, 'environment', words);
  const remove = words.t('cards.button.remove');
  const moreOptionsErrors = Object.keys(errors).some((path) =>
    [EXTERNAL_APPS, SEQUENCES, DATAVERSE].some((prefix) => path === prefix || path.startsWith(`${prefix}[`)),
  );
  return expandTemplate(template, {
    w: {
      name: words.t('cards.environmentStep.name'),
      nameKept: words.t('cards.environmentStep.nameKept', { name: values.name }),
      nameRequired: words.t('cards.environmentStep.nameRequired'),
      description: words.t('cards.environmentStep.description'),
      descriptionPlaceholder: words.t('cards.environmentStep.descriptionPlaceholder'),
      users: words.t('cards.environmentStep.users'),
      userId: words.t('cards.environmentStep.userId'),
      userIdPlaceholder: words.t('cards.environmentStep.userIdPlaceholder'),
      email: words.t('cards.environmentStep.email'),
      moreOptions: words.t('cards.environmentStep.moreOptions'),
      externalApplications: words.t('cards.environmentStep.externalApplications'),
      externalApplicationsHint: words.t('cards.environmentStep.externalApplicationsHint'),
      applicationName: words.t('cards.environmentStep.applicationName'),
      applicationNamePlaceholder: words.t('cards.environmentStep.applicationNamePlaceholder'),
      objectId: words.t('cards.environmentStep.objectId'),
      numberSequences: words.t('cards.environmentStep.numberSequences'),
      sequenceName: words.t('cards.environmentStep.sequenceName'),
      sequenceDescription: words.t('cards.environmentStep.sequenceDescription'),
      sequenceDescriptionPlaceholder: words.t('cards.environmentStep.sequenceDescriptionPlaceholder'),
      dataverse: words.t('cards.environmentStep.dataverse'),
    },
    ...stepHeader('environment', view.notice, view.change, words),
    nameFixed: view.change !== undefined,
    name: field('environment.name', values.name),
    description: field('environment.description', values.description),
    usersError: errorAt(errors, USERS),
    users: values.users.map((user, index) => ({
      userId: field(`${USERS}[${index}].userId`, user.userId),
      email: field(`${USERS}[${index}].email`, user.email),
      remove: act.remove(remove, 'users', index),
    })),
    addUser: act.add(words.t('cards.environmentStep.addUser'), 'users'),
    moreOptionsVisible:
      moreOptionsErrors || values.externalApplications.length > 0 || values.numberSequences.length > 0 || values.dataverseEndpointUri !== '',
    externalApplicationsError: errorAt(errors, EXTERNAL_APPS),
    externalApplications: values.externalApplications.map((app, index) => ({
      name: field(`${EXTERNAL_APPS}[${index}].name`, app.name),
      objectId: field(`${EXTERNAL_APPS}[${index}].objectId`, app.objectId),
      remove: act.remove(remove, 'externalApplications', index),
    })),
    addExternalApplication: act.add(words.t('cards.environmentStep.addExternalApplication'), 'externalApplications'),
    numberSequencesError: errorAt(errors, SEQUENCES),
    numberSequences: values.numberSequences.map((sequence, index) => ({
      name: field(`${SEQUENCES}[${index}].name`, sequence.name),
      description: field(`${SEQUENCES}[${index}].description`, sequence.description),
      remove: act.remove(remove, 'numberSequences', index),
    })),
    addNumberSequence: act.add(words.t('cards.environmentStep.addNumberSequence'), 'numberSequences'),
    dataverse: field(DATAVERSE, values.dataverseEndpointUri),
    next: act.next(),
    cancel: act.cancel(),
  }, words);
}

/** The environment with the submitted values laid over `previous` (rows as in `previous`). */
export function parseEnvironmentInputs(inputs: CardInputs, previous: ServiceEnvironment): ServiceEnvironment {
  const text = (id: string, value: string) => textInput(inputs, id, value);
  return {
    name: text('environment.name', previous.name),
    description: text('environment.description', previous.description),
    users: previous.users.map((user, index) => ({
      userId: text(`${USERS}[${index}].userId`, user.userId),
      email: text(`${USERS}[${index}].email`, user.email),
    })),
    externalApplications: previous.externalApplications.map((app, index) => ({
      name: text(`${EXTERNAL_APPS}[${index}].name`, app.name),
      objectId: text(`${EXTERNAL_APPS}[${index}].objectId`, app.objectId),
    })),
    numberSequences: previous.numberSequences.map((sequence, index) => ({
      name: text(`${SEQUENCES}[${index}].name`, sequence.name),
      description: text(`${SEQUENCES}[${index}].description`, sequence.description),
    })),
    dataverseEndpointUri: text(DATAVERSE, previous.dataverseEndpointUri),
  };
}
