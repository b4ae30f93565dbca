import { CARD_BYTES_LIMIT, renderRequestCard } from '../../../cards/request-card.js';
import { planFor } from '../../../setup/execution/plans.js';
import { emptySetupContent } from '../../../setup/model/content.js';
import type { SetupRequest } from '../../../setup/model/request.js';
import { cardProblems, cardText } from '../../harness/card-check.js';
import { ENGLISH } from '../../../i18n/translations.js';

/** A finished request with ten connected applications whose steps carry long findings. */
function bigRequest(messageLength: number, messagesPerStep: number): SetupRequest {
  const content = emptySetupContent();
  content.environment.name = 'Contoso-PROD';
  content.environment.users = [{ userId: 'jdoe', email: 'jdoe@contoso.com' }];
  content.keyVault = { ...content.keyVault, name: 'Contoso-KV', keyVaultUri: 'https://contoso-einvoicing.vault.azure.net/', storageSasSecretName: 'contoso-storage-sas' };
  content.connectedApplications = Array.from({ length: 10 }, (_, index) => ({
    name: `Contoso Finance environment number ${index + 1} with a long descriptive name`,
    type: 'Dynamics 365 Finance' as const,
    applicationUrl: `https://contoso-${index + 1}.operations.dynamics.com`,
    tenant: 'contoso.onmicrosoft.com',
  }));
  const steps = planFor(content).map((step) => ({
    ...step,
    status: 'warning' as const,
    attempts: 1,
    messages: Array.from({ length: messagesPerStep }, (_, index) => `finding ${index + 1}: ${'x'.repeat(messageLength)}`),
  }));
  return {
    id: 'SR-0099',
    status: 'succeeded',
    revision: 7,
    content,
    requester: { objectId: 'req', name: 'Rita Requester', tenantId: 't' },
    dryRun: false,
    createdAt: '2026-11-25T09:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
    requesterConversation: {},
    approvals: [{ objectId: 'a', name: 'Alice Approver', at: '2026-11-25T09:30:00.000Z', comment: 'c'.repeat(500) }],
    expiresAt: '2026-11-28T09:00:00.000Z',
    approvalsRequired: 1,
    approvers: ['a'],
    cards: [],
    execution: { dryRun: false, steps, startedAt: '2026-11-25T09:31:00.000Z', finishedAt: '2026-11-25T09:40:00.000Z' },
  };
}

describe('the request card stays within Teams’ message size', () => {
  test('shows every finding of an ordinary request in full', () => {
    const card = renderRequestCard({ request: bigRequest(60, 2), viewer: 'status' }, ENGLISH);
    expect(cardText(card)).toContain('finding 2: ' + 'x'.repeat(60));
    expect(cardProblems(card)).toEqual([]);
  });

  test('shortens the findings of a request that would outgrow the limit, keeping every step line', () => {
    const request = bigRequest(230, 8);
    const card = renderRequestCard({ request, viewer: 'status' }, ENGLISH);
    const bytes = Buffer.byteLength(JSON.stringify(card));
    expect(bytes).toBeLessThanOrEqual(CARD_BYTES_LIMIT);
    expect(cardProblems(card)).toEqual([]);
    for (const step of request.execution?.steps ?? []) expect(cardText(card)).toContain(step.title);
    expect(cardText(card)).not.toContain('finding 8:');
  });
});
