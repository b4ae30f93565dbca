import template from './review-step.json' with { type: 'json' };
import type { SetupContent } from '../setup/model/content.js';
import type { SetupChange } from '../setup/model/setup-diff.js';
import { cardActions } from './card-action.js';
import { changeLineViews } from './change-lines.js';
import { errorAt, listOrNone, stepHeader, textInput, valueOrNone, type CardInputs, type ChangeMode, type ErrorMap, type Notice } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import type { CardIdentity } from './setup-actions.js';
import type { Words } from '../i18n/translations.js';
import type { MessageKey } from '../i18n/message-keys.js';
import { itemTypeWord } from './key-vault-step.js';

export interface ReviewStepView {
  identity: CardIdentity;
  content: SetupContent;
  dryRun: boolean;
  errors: ErrorMap;
  notice?: Notice;
  /** A change: what it changes against the version it is built on. */
  change?: ChangeMode & { diff: readonly SetupChange[] };
}

interface Fact {
  title: string;
  value: string;
}

/**
 * One row of a section. Rows are label/value column pairs of the same proportions in every
 * section (separate FactSets would each size their label column to their own longest label).
 */
const SECTION_NAMES: readonly (readonly [string, MessageKey])[] = [
  ['environment', 'cards.review.environment'],
  ['keyVault', 'cards.review.keyVault'],
  ['connectedApplications', 'cards.review.connectedApps'],
];

/** "Key Vault: The reference name contoso-kv is already taken." */
function errorLine(path: string, message: string, words: Words): { text: string } {
  const section = SECTION_NAMES.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`));
  return { text: section ? words.t('cards.review.sectionProblem', { section: words.t(section[1]), problem: message }) : message };
}

const MAX_ERROR_LINES = 10;

/** At most ten red lines at the top (the rest summarised), so a card full of errors still fits. */
function errorLines(errors: ErrorMap, words: Words): { text: string }[] {
  const lines = Object.entries(errors)
    .filter(([path]) => path !== 'dryRun' && path !== 'change')
    .map(([path, message]) => errorLine(path, message, words));
  if (lines.length <= MAX_ERROR_LINES) return lines;
  const more = lines.length - (MAX_ERROR_LINES - 1);
  return [...lines.slice(0, MAX_ERROR_LINES - 1), { text: words.t('cards.review.moreProblems', { count: more }) }];
}

/** Step 4: everything at a glance, an Edit per section, the dry-run choice, Submit for approval. */
export function renderReviewStep(view: ReviewStepView, words: Words): AdaptiveCardJson {
  const { environment, keyVault, connectedApplications } = view.content;
  const act = cardActions(view.identity, 'review', words);
  const fact = (title: MessageKey, value: string): Fact => ({ title: words.t(title), value: valueOrNone(value, words) });
  const listFact = (title: MessageKey, values: string[]): Fact => ({ title: words.t(title), value: listOrNone(values, words) });
  return expandTemplate(template, {
    w: {
      noChange: words.t('cards.review.noChange'),
      wholeSetup: words.t('cards.review.wholeSetup'),
      environment: words.t('cards.review.environment'),
      keyVault: words.t('cards.review.keyVault'),
      connectedApps: words.t('cards.review.connectedApps'),
      dryRun: words.t('cards.review.dryRun'),
    },
    ...stepHeader('review', view.notice, view.change, words),
    errors: errorLines(view.errors, words),
    isChange: view.change !== undefined,
    changeTitle: view.change ? words.t('cards.review.changeTitle', { environment: view.change.environment, version: view.change.baseRevision }) : '',
    changes: view.change ? changeLineViews(view.change.diff, words, 30) : [],
    noChange: view.change !== undefined && view.change.diff.length === 0,
    editEnvironment: act.edit('environment'),
    environmentFacts: [
      fact('cards.review.name', environment.name),
      fact('cards.review.description', environment.description),
      listFact('cards.review.users', environment.users.map((user) => `${user.userId} (${user.email})`)),
      listFact('cards.review.externalApplications', environment.externalApplications.map((app) => `${app.name} (${app.objectId})`)),
      listFact('cards.review.numberSequences', environment.numberSequences.map((sequence) => sequence.name)),
      fact('cards.review.dataverse', environment.dataverseEndpointUri),
    ],
    editKeyVault: act.edit('keyVault'),
    keyVaultFacts: [
      fact('cards.review.name', keyVault.name),
      fact('cards.review.uri', keyVault.keyVaultUri),
      fact('cards.review.sasSecretName', keyVault.storageSasSecretName),
      listFact('cards.review.items', keyVault.items.map((item) => `${item.name} (${itemTypeWord(item.type, words)})`)),
      ...(keyVault.chains.length === 0
        ? [listFact('cards.review.chains', [])]
        : keyVault.chains.map((chain) => fact('cards.review.chain', `${chain.name}: ${chain.certificates.join(' → ')}`))),
    ],
    editConnectedApps: act.edit('connectedApps'),
    connectedAppsFacts:
      connectedApplications.length === 0
        ? [listFact('cards.review.applications', [])]
        : connectedApplications.map((app) => ({ title: app.name || words.t('cards.review.noName'), value: valueOrNone(`${app.type} · ${app.applicationUrl} · ${app.tenant}`, words) })),
    dryRun: view.dryRun ? 'true' : 'false',
    dryRunError: errorAt(view.errors, 'dryRun'),
    submit: act.submit(),
    cancel: act.cancel(),
  }, words);
}

/** The dry-run choice as submitted; anything but "true"/"false" keeps the previous choice. */
export function parseReviewInputs(inputs: CardInputs, previousDryRun: boolean): { dryRun: boolean } {
  const value = textInput(inputs, 'dryRun', previousDryRun ? 'true' : 'false');
  return { dryRun: value === 'true' ? true : value === 'false' ? false : previousDryRun };
}
