import environmentsTemplate from './environments.json' with { type: 'json' };
import detailTemplate from './environment-detail.json' with { type: 'json' };
import type { RecordedConnectedApplication, RecordedEnvironment, RecordedKeyVaultReference } from '../setup/registry.js';
import { cardDateTime } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';

const ICON = { ok: '✅', warning: '⚠️', failed: '❌' } as const;

/** `environments`: every recorded environment with its status. */
export function renderEnvironmentList(environments: readonly RecordedEnvironment[]): AdaptiveCardJson {
  return expandTemplate(environmentsTemplate, {
    environments: environments.map((record) => ({
      name: record.environment.name,
      summary: `${record.status} · Key Vault ${record.keyVaultReference} · ${record.connectedApplications.length} connected app(s) · ${record.recordedBy}`,
    })),
  });
}

/** `show <name>`: one environment with its users, Key Vault reference, items and linked apps. */
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
      { title: 'Users', value: environment.environment.users.map((user) => `${user.userId} (${user.email})`).join(', ') },
      { title: 'External applications', value: environment.environment.externalApplications.map((app) => app.name).join(', ') || 'none' },
      { title: 'Number sequences', value: environment.environment.numberSequences.map((sequence) => sequence.name).join(', ') || 'none' },
      { title: 'Key Vault reference', value: reference ? `${reference.reference.name} (${reference.reference.keyVaultUri})` : environment.keyVaultReference },
      { title: 'Storage SAS secret', value: environment.storageSasSecretName },
      { title: 'Connected applications', value: applications.map((app) => `${app.application.name} (${app.application.applicationUrl})`).join(', ') || 'none' },
      { title: 'Recorded', value: `${environment.recordedBy} · ${cardDateTime(environment.recordedAt)}` },
      { title: 'Published', value: environment.publishedAt ? cardDateTime(environment.publishedAt) : 'not yet' },
    ],
    verifiedAt: reference ? cardDateTime(reference.verification.checkedAt) : 'never',
    items: items.map((item) => ({
      text: `${ICON[item.outcome]} ${item.name} (${item.isStorageSas ? 'storage SAS secret' : item.type})${item.messages.length ? `: ${item.messages.join('; ')}` : ''}`,
    })),
  });
}
