/**
 * Arabic cards are laid out right to left (Adaptive Cards 1.5 `rtl`): on the card and on every
 * container and column in it, wherever the container comes from (the template or a `$data` loop);
 * cards in left-to-right languages carry no `rtl` at all. Both still pass the official parser.
 */
import { renderEnvironmentStep } from '../../../cards/environment-step.js';
import { renderKeyVaultStep } from '../../../cards/key-vault-step.js';
import type { AdaptiveCardJson } from '../../../cards/render.js';
import { renderRequestCard } from '../../../cards/request-card.js';
import { renderReviewStep } from '../../../cards/review-step.js';
import { Translations, type Words } from '../../../i18n/translations.js';
import { planFor } from '../../../setup/execution/plans.js';
import type { SetupRequest } from '../../../setup/model/request.js';
import { cardProblems } from '../../harness/card-check.js';
import { identity, nodesOf, realisticContent } from './card-walk.js';

const translations = new Translations();
const AT = '2026-11-25T09:30:00.000Z';

function succeeded(): SetupRequest {
  const content = realisticContent();
  return {
    id: 'SR-0042',
    status: 'succeeded',
    revision: 4,
    content,
    requester: { objectId: 'req-rita', name: 'Rita Requester', tenantId: 'tenant-1' },
    dryRun: false,
    createdAt: AT,
    updatedAt: AT,
    requesterConversation: {},
    approvals: [{ objectId: 'appr-alice', name: 'Alice Approver', at: AT, comment: 'Checked' }],
    expiresAt: AT,
    approvalsRequired: 1,
    approvers: ['appr-alice'],
    cards: [],
    execution: { dryRun: false, startedAt: AT, steps: planFor(content).map((step) => ({ ...step, status: 'ok', attempts: 1, messages: ['✅ OK'] })) },
  };
}

const CARDS: Record<string, (words: Words) => AdaptiveCardJson> = {
  'environment step': (words) => renderEnvironmentStep({ identity, values: realisticContent().environment, errors: {} }, words),
  'key vault step': (words) => renderKeyVaultStep({ identity, values: realisticContent().keyVault, errors: {} }, words),
  'review step': (words) => renderReviewStep({ identity, content: realisticContent(), dryRun: false, errors: {} }, words),
  'executed request card': (words) => renderRequestCard({ request: succeeded(), viewer: 'requester' }, words),
};

const directed = (card: AdaptiveCardJson) => nodesOf(card.body).filter((node) => node.type === 'Container' || node.type === 'Column');

describe.each(Object.entries(CARDS))('%s', (_name, render) => {
  test('in Arabic: rtl on the card and on every container and column', () => {
    const card = render(translations.for('ar-SA'));
    expect(card.rtl).toBe(true);
    expect(directed(card).length).toBeGreaterThan(0);
    expect(directed(card).filter((node) => node.rtl !== true)).toEqual([]);
    expect(cardProblems(card)).toEqual([]);
  });

  test.each(['en-US', 'de-DE', 'qps-ploc'])('in %s: no rtl anywhere', (locale) => {
    const card = render(translations.for(locale));
    expect(card.rtl).toBeUndefined();
    expect(nodesOf(card).filter((node) => 'rtl' in node)).toEqual([]);
    expect(cardProblems(card)).toEqual([]);
  });
});

describe('left-to-right data on an Arabic card', () => {
  const LRI = '\u2066';
  const factValue = (card: AdaptiveCardJson, value: string): string | undefined =>
    nodesOf(card.body)
      .flatMap((node) => (Array.isArray(node.facts) ? (node.facts as Array<{ value?: string }>) : []))
      .map((fact) => fact.value)
      .find((text) => text?.includes(value));

  test('a fact value made of a name and a URL is set left to right whole, so its closing bracket stays at its end', () => {
    const card = renderRequestCard({ request: succeeded(), viewer: 'requester' }, translations.for('ar-SA'));
    const reference = factValue(card, 'vault.azure.net');
    expect(reference).toMatch(new RegExp(`^${LRI}[^\\u2069]+\\)\\u2069$`, 'u'));
  });

  test('in German the same value is as it was written', () => {
    const card = renderRequestCard({ request: succeeded(), viewer: 'requester' }, translations.for('de-DE'));
    expect(factValue(card, 'vault.azure.net')).toMatch(/^[^\u2066-\u2069]+\)$/u);
  });
});
