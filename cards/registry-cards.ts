import environmentsTemplate from './environments.json' with { type: 'json' };
import detailTemplate from './environment-detail.json' with { type: 'json' };
import { revisionOf, type RecordedConnectedApplication, type RecordedEnvironment, type RecordedKeyVaultReference } from '../setup/registry/registry.js';
import { cardDateTime, listOrNone, NONE } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import { itemUseSummary, verificationServiceLines } from './service-use-words.js';

const ICON = { ok: '✅', warning: '⚠️', failed: '❌' } as const;
/** The outcome in a word beside its emoji (clients may draw emoji as empty boxes). */
const WORD = { ok: 'OK', warning: 'Warning', failed: 'Failed' } as const;

/** `environments`: every recorded environment with its status. */
export function renderEnvironmentList(environments: readonly RecordedEnvironment[]): AdaptiveCardJson {
  return expandTemplate(environmentsTemplate, {
    // the hint shows a real name from the list (a placeholder in angle brackets is eaten by Teams' markdown)
    example: environments[0]?.environment.name ?? '',
    environments: environments.map((record) => ({
      name: record.environment.name,
      summary: `${record.status} · Key Vault ${record.keyVaultReference} · ${record.connectedApplications.length} connected app(s) · ${record.recordedBy}`,
    })),
  });
}

/** `show NAME`: one environment with its users, Key Vault reference, items and linked apps. */
export function renderEnvironmentDetail(
  environment: RecordedEnvironment,
  reference: RecordedKeyVaultReference | undefined,
  applications: readonly RecordedConnectedApplication[],
): AdaptiveCardJson {
  const items = reference?.verification.items ?? [];
  return expandTemplate(detailTemplate, {
    name: environment.environment.name,
    status: environment.status,
    description: environment.environment.description,
    facts: [
      { title: 'Users', value: listOrNone(environment.environment.users.map((user) => `${user.userId} (${user.email})`)) },
      { title: 'External applications', value: listOrNone(environment.environment.externalApplications.map((app) => app.name)) },
      { title: 'Number sequences', value: listOrNone(environment.environment.numberSequences.map((sequence) => sequence.name)) },
      { title: 'Key Vault reference', value: reference ? `${reference.reference.name} (${reference.reference.keyVaultUri})` : environment.keyVaultReference },
      { title: 'Storage SAS secret', value: environment.storageSasSecretName },
      { title: 'Connected applications', value: listOrNone(applications.map((app) => `${app.application.name} (${app.application.applicationUrl})`)) },
      { title: 'Recorded', value: `${environment.recordedBy} · ${cardDateTime(environment.recordedAt)}` },
      { title: 'Published', value: environment.publishedAt ? cardDateTime(environment.publishedAt) : NONE },
      {
        title: 'Version',
        value: environment.lastChangedBy && environment.lastChangedAt
          ? `${revisionOf(environment)} · ${environment.lastChangedBy} · ${cardDateTime(environment.lastChangedAt)}`
          : String(revisionOf(environment)),
      },
      ...(environment.retiredAt ? [{ title: 'Retired', value: cardDateTime(environment.retiredAt) }] : []),
    ],
    verifiedAt: reference ? cardDateTime(reference.verification.checkedAt) : 'never',
    items: [
      // Electronic invoicing's own use (its access, the firewalls), problems first with their fixes
      ...(reference ? verificationServiceLines(reference.verification).map((text) => ({ text })) : []),
      ...items.map((item) => {
        const use = itemUseSummary(item.serviceUse);
        return {
          text: `${ICON[item.outcome]} ${WORD[item.outcome]} · ${item.name} (${item.isStorageSas ? 'storage SAS secret' : item.type})${item.messages.length ? `: ${item.messages.join('; ')}` : ''}${use ? ` · ${use}` : ''}`,
        };
      }),
    ],
  });
}
