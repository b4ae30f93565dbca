import environmentsTemplate from './environments.json' with { type: 'json' };
import detailTemplate from './environment-detail.json' with { type: 'json' };
import { revisionOf, type RecordedConnectedApplication, type RecordedEnvironment, type RecordedKeyVaultReference } from '../setup/registry/registry.js';
import type { MessageKey } from '../i18n/message-keys.js';
import type { Words } from '../i18n/translations.js';
import { sayFindings } from './words/domain-message.js';
import { cardDateTime, listOrNone, noneWord } from './form-view.js';
import { itemTypeWord } from './key-vault-step.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import { itemUseSummary, verificationServiceLines } from './service-use-words.js';

/** The outcome as an emoji and a word (clients may draw emoji as empty boxes). */
const OUTCOME: Record<'ok' | 'warning' | 'failed', MessageKey> = { ok: 'cards.outcome.ok', warning: 'cards.outcome.warning', failed: 'cards.outcome.failed' };

const ENVIRONMENT_STATUS: Record<RecordedEnvironment['status'], MessageKey> = {
  'Not published': 'cards.environmentStatus.NotPublished',
  Published: 'cards.environmentStatus.Published',
  Changed: 'cards.environmentStatus.Changed',
  Retired: 'cards.environmentStatus.Retired',
};

/** A recorded environment's status (Published, Changed, Retired) as the reader says it. */
export function environmentStatusWord(status: RecordedEnvironment['status'], words: Words): string {
  const key = ENVIRONMENT_STATUS[status];
  return key ? words.t(key) : status;
}

/** `environments`: every recorded environment with its status. */
export function renderEnvironmentList(environments: readonly RecordedEnvironment[], words: Words): AdaptiveCardJson {
  // the hint shows a real name from the list (a placeholder in angle brackets is eaten by Teams' markdown)
  const example = environments[0]?.environment.name ?? '';
  return expandTemplate(
    environmentsTemplate,
    {
      w: {
        heading: words.t('cards.environments.heading'),
        none: words.t('cards.environments.none', { command: 'setup' }),
        hint: example ? words.t('cards.environments.hint', { command: `show ${example}` }) : '',
      },
      example,
      environments: environments.map((record) => ({
        name: record.environment.name,
        summary: words.t('cards.environments.summary', {
          status: environmentStatusWord(record.status, words),
          keyVault: record.keyVaultReference,
          count: record.connectedApplications.length,
          recordedBy: record.recordedBy,
        }),
      })),
    },
    words,
  );
}

/** `show NAME`: one environment with its users, Key Vault reference, items and linked apps. */
export function renderEnvironmentDetail(
  environment: RecordedEnvironment,
  reference: RecordedKeyVaultReference | undefined,
  applications: readonly RecordedConnectedApplication[],
  words: Words,
): AdaptiveCardJson {
  const items = reference?.verification.items ?? [];
  const fact = (title: MessageKey, value: string) => ({ title: words.t(title), value });
  return expandTemplate(
    detailTemplate,
    {
      w: {
        heading: words.t('cards.environmentDetail.heading', { name: environment.environment.name, status: environmentStatusWord(environment.status, words) }),
        items: words.t('cards.environmentDetail.items', { when: reference ? cardDateTime(reference.verification.checkedAt) : words.t('cards.environmentDetail.never') }),
        namesOnly: words.t('cards.environmentDetail.namesOnly'),
      },
      description: environment.environment.description,
      facts: [
        fact('cards.environmentDetail.users', listOrNone(environment.environment.users.map((user) => `${user.userId} (${user.email})`), words)),
        fact('cards.environmentDetail.externalApplications', listOrNone(environment.environment.externalApplications.map((app) => app.name), words)),
        fact('cards.environmentDetail.numberSequences', listOrNone(environment.environment.numberSequences.map((sequence) => sequence.name), words)),
        fact('cards.environmentDetail.keyVaultReference', reference ? `${reference.reference.name} (${reference.reference.keyVaultUri})` : environment.keyVaultReference),
        fact('cards.environmentDetail.storageSasSecret', environment.storageSasSecretName),
        fact('cards.environmentDetail.connectedApplications', listOrNone(applications.map((app) => `${app.application.name} (${app.application.applicationUrl})`), words)),
        fact('cards.environmentDetail.recorded', `${environment.recordedBy} · ${cardDateTime(environment.recordedAt)}`),
        fact('cards.environmentDetail.published', environment.publishedAt ? cardDateTime(environment.publishedAt) : noneWord(words)),
        fact(
          'cards.environmentDetail.version',
          environment.lastChangedBy && environment.lastChangedAt
            ? `${revisionOf(environment)} · ${environment.lastChangedBy} · ${cardDateTime(environment.lastChangedAt)}`
            : String(revisionOf(environment)),
        ),
        ...(environment.retiredAt ? [fact('cards.environmentDetail.retired', cardDateTime(environment.retiredAt))] : []),
      ],
      items: [
        // Electronic invoicing's own use (its access, the firewalls), problems first with their fixes
        ...(reference ? verificationServiceLines(reference.verification, words).map((text) => ({ text })) : []),
        ...items.map((item) => {
          const use = itemUseSummary(item.serviceUse, words);
          return {
            text: words.t('cards.environmentDetail.item', {
              outcome: words.t(OUTCOME[item.outcome]),
              name: item.name,
              kind: item.isStorageSas ? words.t('cards.environmentDetail.storageSasKind') : itemTypeWord(item.type, words),
              hasMessages: item.messages.length > 0 ? 'yes' : 'no',
              messages: sayFindings(words, item.messages) ?? '',
              hasUse: use ? 'yes' : 'no',
              use,
            }),
          };
        }),
      ],
    },
    words,
  );
}
