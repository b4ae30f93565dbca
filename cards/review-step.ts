import template from './review-step.json' with { type: 'json' };
import type { SetupContent } from '../setup/model/content.js';
import type { SetupChange } from '../setup/model/setup-diff.js';
import { cardActions } from './card-action.js';
import { changeLineViews } from './change-lines.js';
import { errorAt, listOrNone, stepHeader, textInput, valueOrNone, type CardInputs, type ChangeMode, type ErrorMap, type Notice } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import type { CardIdentity } from './setup-actions.js';

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
const fact = (title: string, value: string): Fact => ({ title, value: valueOrNone(value) });
const listFact = (title: string, values: string[]): Fact => ({ title, value: listOrNone(values) });

const SECTION_NAMES: readonly (readonly [string, string])[] = [
  ['environment', 'Service environment'],
  ['keyVault', 'Key Vault'],
  ['connectedApplications', 'Connected applications'],
];

/** "Key Vault: The reference name contoso-kv is already taken." */
function errorLine(path: string, message: string): { text: string } {
  const section = SECTION_NAMES.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`));
  return { text: section ? `${section[1]}: ${message}` : message };
}

const MAX_ERROR_LINES = 10;

/** At most ten red lines at the top (the rest summarised), so a card full of errors still fits. */
function errorLines(errors: ErrorMap): { text: string }[] {
  const lines = Object.entries(errors)
    .filter(([path]) => path !== 'dryRun' && path !== 'change')
    .map(([path, message]) => errorLine(path, message));
  if (lines.length <= MAX_ERROR_LINES) return lines;
  const more = lines.length - (MAX_ERROR_LINES - 1);
  return [...lines.slice(0, MAX_ERROR_LINES - 1), { text: `…and ${more} more problems: use Edit to fix them.` }];
}

/** Step 4: everything at a glance, an Edit per section, the dry-run choice, Submit for approval. */
export function renderReviewStep(view: ReviewStepView): AdaptiveCardJson {
  const { environment, keyVault, connectedApplications } = view.content;
  const act = cardActions(view.identity, 'review');
  return expandTemplate(template, {
    ...stepHeader('review', view.notice, view.change),
    errors: errorLines(view.errors),
    isChange: view.change !== undefined,
    changeTitle: view.change ? `What this changes in ${view.change.environment} (version ${view.change.baseRevision})` : '',
    changes: view.change ? changeLineViews(view.change.diff, 30) : [],
    noChange: view.change !== undefined && view.change.diff.length === 0,
    editEnvironment: act.edit('environment'),
    environmentFacts: [
      fact('Name', environment.name),
      fact('Description', environment.description),
      listFact('Users', environment.users.map((user) => `${user.userId} (${user.email})`)),
      listFact('External applications', environment.externalApplications.map((app) => `${app.name} (${app.objectId})`)),
      listFact('Number sequences', environment.numberSequences.map((sequence) => sequence.name)),
      fact('Dataverse', environment.dataverseEndpointUri),
    ],
    editKeyVault: act.edit('keyVault'),
    keyVaultFacts: [
      fact('Name', keyVault.name),
      fact('URI', keyVault.keyVaultUri),
      fact('SAS secret name', keyVault.storageSasSecretName),
      listFact('Items', keyVault.items.map((item) => `${item.name} (${item.type})`)),
      ...(keyVault.chains.length === 0
        ? [listFact('Chains', [])]
        : keyVault.chains.map((chain) => fact('Chain', `${chain.name}: ${chain.certificates.join(' → ')}`))),
    ],
    editConnectedApps: act.edit('connectedApps'),
    connectedAppsFacts:
      connectedApplications.length === 0
        ? [listFact('Applications', [])]
        : connectedApplications.map((app) => fact(app.name || '(no name)', `${app.type} · ${app.applicationUrl} · ${app.tenant}`)),
    dryRun: view.dryRun ? 'true' : 'false',
    dryRunError: errorAt(view.errors, 'dryRun'),
    submit: act.submit(),
    cancel: act.cancel(),
  });
}

/** The dry-run choice as submitted; anything but "true"/"false" keeps the previous choice. */
export function parseReviewInputs(inputs: CardInputs, previousDryRun: boolean): { dryRun: boolean } {
  const value = textInput(inputs, 'dryRun', previousDryRun ? 'true' : 'false');
  return { dryRun: value === 'true' ? true : value === 'false' ? false : previousDryRun };
}
