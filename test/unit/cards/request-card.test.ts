import { MAX_REFRESH_USERS, renderRequestCard, statusLine, type RequestViewer } from '../../../cards/request-card.js';
import { REQUEST_VERBS } from '../../../cards/request-actions.js';
import { type ExecutionStep } from '../../../setup/model/execution.js';
import { planFor } from '../../../setup/execution/plans.js';
import { financeEndpoints } from '../../../setup/rules/finance-endpoints.js';
import type { SetupContent } from '../../../setup/model/content.js';
import type { Decision, RequestStatus, SetupRequest } from '../../../setup/model/request.js';
import { cardProblems, cardText, MAX_CARD_BYTES } from '../../harness/card-check.js';
import { validSetupContent } from '../../fixtures/setup-content.js';
import { inputsOf, nodesOf, withFallbacks, type CardNode } from './card-walk.js';
import { ENGLISH, Translations } from '../../../i18n/translations.js';
import { domainMessage } from '../../../setup/model/messages.js';
import { fixMessage, itemUseMessage } from '../../../setup/service-access/service-use-lines.js';

const STATUSES: RequestStatus[] = ['submitted', 'approved', 'rejected', 'cancelled', 'expired', 'executing', 'succeeded', 'failed'];
const VIEWERS: RequestViewer[] = ['approver', 'requester', 'status'];

function content(): SetupContent {
  return validSetupContent({
    environment: {
      users: [
        { userId: 'jdoe', email: 'jdoe@contoso.com' },
        { userId: 'asmith', email: 'asmith@contoso.com' },
      ],
    },
  });
}

const decision = (objectId: string, name: string, at: string, comment = ''): Decision => ({ objectId, name, at, comment });

/** A request in the given status with what that status brings (decisions, execution). */
function request(status: RequestStatus, overrides: Partial<SetupRequest> = {}): SetupRequest {
  const base: SetupRequest = {
    id: 'SR-0042',
    status,
    revision: 5,
    content: content(),
    requester: { objectId: 'req-rita', name: 'Rita Requester', tenantId: 'tenant-1' },
    dryRun: false,
    createdAt: '2026-11-25T09:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
    requesterConversation: {},
    approvals: [],
    expiresAt: '2026-11-28T09:00:00.000Z',
    approvalsRequired: 2,
    approvers: ['appr-alice', 'appr-bob'],
    cards: [],
  };
  const approved = [decision('appr-alice', 'Alice Approver', '2026-11-25T09:30:00.000Z', 'Vault checked'), decision('appr-bob', 'Bob Approver', '2026-11-25T09:45:00.000Z')];
  const plan = planFor(base.content);
  const byStatus: Record<RequestStatus, Partial<SetupRequest>> = {
    submitted: { approvals: approved.slice(0, 1) },
    approved: { approvals: approved },
    rejected: { approvals: approved.slice(0, 1), rejection: decision('appr-bob', 'Bob Approver', '2026-11-25T09:50:00.000Z', 'Wrong vault for production') },
    cancelled: { cancellation: decision('req-rita', 'Rita Requester', '2026-11-25T09:55:00.000Z') },
    expired: { expiredAt: '2026-11-28T09:00:00.000Z' },
    executing: {
      approvals: approved,
      execution: { dryRun: false, startedAt: '2026-11-25T10:00:00.000Z', steps: [{ ...plan[0], status: 'ok', attempts: 1, messages: ['✅ contoso-storage-sas (storage SAS secret): verified'] }, { ...plan[1], status: 'running', attempts: 1 }, ...plan.slice(2)] },
    },
    succeeded: {
      approvals: approved,
      execution: { dryRun: false, startedAt: '2026-11-25T10:00:00.000Z', finishedAt: '2026-11-25T10:01:00.000Z', steps: plan.map((step): ExecutionStep => ({ ...step, status: 'ok', attempts: 1, messages: ['done'] })) },
    },
    failed: {
      approvals: approved,
      execution: {
        dryRun: false,
        startedAt: '2026-11-25T10:00:00.000Z',
        finishedAt: '2026-11-25T10:01:00.000Z',
        steps: [
          { ...plan[0], status: 'failed', attempts: 1, messages: ['Access denied: grant the e-Invoicing Service Get and List on secrets.'] },
          ...plan.slice(1).map((step): ExecutionStep => ({ ...step, status: 'skipped', messages: ['not run: an earlier step failed'] })),
        ],
      },
    },
  };
  return { ...base, ...byStatus[status], ...overrides };
}

const render = (status: RequestStatus, viewer: RequestViewer, overrides: Partial<SetupRequest> = {}) => renderRequestCard({ request: request(status, overrides), viewer }, ENGLISH);

/** The buttons a user can press (the refresh action is not one). */
const buttons = (card: CardNode): CardNode[] => (Array.isArray(card.actions) ? (card.actions as CardNode[]) : []);
const buttonTitles = (card: CardNode): string[] => buttons(card).map((action) => String(action.title));
const refreshOf = (card: CardNode): { action: CardNode; userIds: string[] } => card.refresh as { action: CardNode; userIds: string[] };

describe('request card', () => {
  test.each(STATUSES.flatMap((status) => VIEWERS.map((viewer): [RequestStatus, RequestViewer] => [status, viewer])))(
    'the %s card for the %s passes the Adaptive Cards parser, also without Universal Actions',
    (status, viewer) => {
      const card = render(status, viewer);
      expect(cardProblems(card)).toEqual([]);
      expect(cardProblems(withFallbacks(card))).toEqual([]);
    },
  );

  test('a dry-run request and a card with a notice also parse', () => {
    const card = renderRequestCard({ request: request('succeeded', { dryRun: true }), viewer: 'requester', notice: 'This card is out of date — here is the current one.' }, ENGLISH);
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain('This card is out of date — here is the current one.');
    expect(cardText(card)).toContain('Dry run: everything will be verified, nothing recorded.');
  });

  test('the approver of a pending request gets Approve, Reject and a comment box, carrying the request and its revision', () => {
    const card = render('submitted', 'approver');
    expect(buttonTitles(card)).toEqual(['Approve', 'Reject']);
    const [approve, reject] = buttons(card);
    expect(approve).toMatchObject({ type: 'Action.Execute', verb: REQUEST_VERBS.approve, style: 'positive', data: { verb: REQUEST_VERBS.approve, requestId: 'SR-0042', v: 5 } });
    expect(reject).toMatchObject({ verb: REQUEST_VERBS.reject, style: 'destructive', data: { requestId: 'SR-0042', v: 5 } });
    expect(inputsOf(card)).toEqual([expect.objectContaining({ type: 'Input.Text', id: 'comment', isMultiline: true, maxLength: 500 })]);
  });

  test('the requester of a pending request gets Cancel only, with no comment box', () => {
    const card = render('submitted', 'requester');
    expect(buttonTitles(card)).toEqual(['Cancel request']);
    expect(buttons(card)[0]).toMatchObject({ verb: REQUEST_VERBS.cancel, associatedInputs: 'none', data: { requestId: 'SR-0042', v: 5 } });
    expect(inputsOf(card)).toEqual([]);
  });

  test.each(STATUSES)('the status view of a %s request has no buttons and no inputs', (status) => {
    const card = render(status, 'status');
    expect(buttons(card)).toEqual([]);
    expect(inputsOf(card)).toEqual([]);
  });

  test.each<RequestStatus>(['approved', 'cancelled', 'executing', 'succeeded'])('once %s, nobody gets buttons any more', (status) => {
    for (const viewer of VIEWERS) {
      const card = render(status, viewer);
      expect(buttons(card)).toEqual([]);
      expect(inputsOf(card)).toEqual([]);
    }
  });

  test('a failed request offers Retry to the requester and the approvers, and Edit and resubmit to the requester', () => {
    expect(buttonTitles(render('failed', 'requester'))).toEqual(['Retry', 'Edit and resubmit']);
    expect(buttonTitles(render('failed', 'approver'))).toEqual(['Retry']);
    expect(buttonTitles(render('failed', 'status'))).toEqual([]);
    const [retry, resubmit] = buttons(render('failed', 'requester'));
    expect(retry).toMatchObject({ type: 'Action.Execute', verb: REQUEST_VERBS.retry, style: 'positive', associatedInputs: 'none', data: { verb: REQUEST_VERBS.retry, requestId: 'SR-0042', v: 5 } });
    expect(resubmit).toMatchObject({ verb: REQUEST_VERBS.resubmit, associatedInputs: 'none', data: { requestId: 'SR-0042', v: 5 } });
    expect(inputsOf(render('failed', 'requester'))).toEqual([]);
  });

  test.each<RequestStatus>(['rejected', 'expired'])('a %s request offers Edit and resubmit to its requester only', (status) => {
    expect(buttonTitles(render(status, 'requester'))).toEqual(['Edit and resubmit']);
    expect(buttonTitles(render(status, 'approver'))).toEqual([]);
    expect(buttonTitles(render(status, 'status'))).toEqual([]);
    expect(cardText(render(status, 'requester'))).toContain("**Edit and resubmit** starts a new setup with this request's content filled in.");
  });

  test('the failed card says what Retry does', () => {
    const text = cardText(render('failed', 'approver'));
    expect(text).toContain('Fix what the failed step says, then press **Retry**');
    expect(text).toContain('never the steps already done');
    expect(cardText(render('failed', 'status'))).not.toContain('**Retry**');
  });

  test.each<RequestStatus>(['failed', 'rejected', 'expired'])('a %s request that was resubmitted says so and offers nothing more', (status) => {
    for (const viewer of VIEWERS) {
      const card = render(status, viewer, { resubmittedAs: 'SR-0043' });
      expect(buttons(card)).toEqual([]);
      expect(cardText(card)).toContain('Resubmitted as SR-0043: that request replaces this one.');
    }
  });

  test('a resubmission names the request it replaces', () => {
    expect(cardText(render('submitted', 'status', { resubmittedFrom: 'SR-0041' }))).toContain('Resubmission of SR-0041, edited by Rita Requester.');
  });

  test('the title says the request, its status and the approvals so far', () => {
    expect(statusLine(request('submitted'), ENGLISH)).toBe('Waiting for approval (1 of 2)');
    const title = (card: CardNode): CardNode => (card.body as CardNode[])[0];
    expect(title(render('submitted', 'status'))).toMatchObject({ type: 'TextBlock', text: 'SR-0042 · Waiting for approval (1 of 2)' });
    expect(title(render('rejected', 'status'))).toMatchObject({ text: 'SR-0042 · Rejected', color: 'Attention' });
    expect(title(render('succeeded', 'status'))).toMatchObject({ text: 'SR-0042 · Done', color: 'Good' });
    expect(title(render('expired', 'status'))).toMatchObject({ text: 'SR-0042 · Expired', color: 'Default' });
  });

  test('summarises what the request asks for', () => {
    const text = cardText(render('submitted', 'status'));
    expect(text).toContain('Asked by Rita Requester');
    for (const expected of ['Contoso-UAT', 'jdoe, asmith', 'Contoso-KV (https://contoso-einvoicing.vault.azure.net/)', 'contoso-storage-sas, contoso-signing', 'Contoso Finance UAT']) {
      expect(text).toContain(expected);
    }
  });
});

describe('refresh', () => {
  test('asks Teams for user-specific views for the approvers and the requester, at the current revision', () => {
    const { action, userIds } = refreshOf(render('submitted', 'status'));
    expect(userIds).toEqual(['appr-alice', 'appr-bob', 'req-rita']);
    expect(action).toMatchObject({ type: 'Action.Execute', verb: REQUEST_VERBS.refresh, data: { verb: REQUEST_VERBS.refresh, requestId: 'SR-0042', v: 5 } });
  });

  test('names a requester who is also an approver once', () => {
    expect(refreshOf(render('submitted', 'status', { approvers: ['appr-alice', 'req-rita'] })).userIds).toEqual(['appr-alice', 'req-rita']);
  });

  test.each([58, 59, 60, 61, 200])('never names more than 60 users (%i approvers)', (count) => {
    const approvers = Array.from({ length: count }, (_, index) => `appr-${index}`);
    const { userIds } = refreshOf(render('submitted', 'approver', { approvers }));
    expect(userIds.length).toBe(Math.min(count + 1, MAX_REFRESH_USERS));
    expect(new Set(userIds).size).toBe(userIds.length);
    expect(MAX_REFRESH_USERS).toBe(60);
  });
});

describe('history', () => {
  test('shows each approval with its comment', () => {
    const text = cardText(render('approved', 'status'));
    expect(text).toMatch(/✅ Approved by Alice Approver · \{\{DATE\(2026-11-25T09:30:00Z, SHORT\)\}\} \{\{TIME\(2026-11-25T09:30:00Z\)\}\} — “Vault checked”/);
    expect(text).toMatch(/✅ Approved by Bob Approver · \{\{DATE\(2026-11-25T09:45:00Z, SHORT\)\}\} \{\{TIME\(2026-11-25T09:45:00Z\)\}\}$/m);
  });

  test('shows a rejection with its comment', () => {
    expect(cardText(render('rejected', 'requester'))).toMatch(/❌ Rejected by Bob Approver · .* — “Wrong vault for production”/);
  });

  test('shows a cancellation', () => {
    expect(cardText(render('cancelled', 'approver'))).toMatch(/Cancelled by Rita Requester · \{\{DATE\(2026-11-25T09:55:00Z, SHORT\)\}\}/);
  });

  test('shows an expiry', () => {
    expect(cardText(render('expired', 'requester'))).toContain('⌛ Expired · {{DATE(2026-11-28T09:00:00Z, SHORT)}} {{TIME(2026-11-28T09:00:00Z)}} (no decision within the approval window)');
  });

  test('a fresh request has no history lines', () => {
    expect(cardText(render('submitted', 'status', { approvals: [] }))).not.toMatch(/Approved by|Rejected by|Cancelled by|Expired ·/);
  });
});

describe('execution steps', () => {
  test('are listed with their icon, their status word and messages while the setup runs', () => {
    const text = cardText(render('executing', 'requester'));
    expect(text).toContain('Setup steps');
    expect(text).toContain('✅ Done: Verify Key Vault reference Contoso-KV');
    expect(text).toContain('- ✅ contoso-storage-sas (storage SAS secret): verified');
    expect(text).toContain('⏳ Running: Record service environment Contoso-UAT');
    expect(text).toContain('⏳ Not run: Connect Contoso Finance UAT');
  });

  test('show failures and what was skipped, in words', () => {
    const text = cardText(render('failed', 'status'));
    expect(text).toContain('❌ Failed: Verify Key Vault reference Contoso-KV');
    expect(text).toContain('- Access denied: grant the e-Invoicing Service Get and List on secrets.');
    expect(text).toContain('⏭️ Skipped: Publish service environment Contoso-UAT');
    expect(text).toContain('- not run: an earlier step failed');
  });

  test('a step with warnings is done, and says so', () => {
    const base = request('succeeded');
    const steps = base.execution?.steps.map((step, index) => (index === 0 ? { ...step, status: 'warning' as const } : step)) ?? [];
    const card = renderRequestCard({ request: { ...base, execution: base.execution && { ...base.execution, steps } }, viewer: 'status' }, ENGLISH);
    expect(cardText(card)).toContain('⚠️ Done, with warnings: Verify Key Vault reference Contoso-KV');
  });

  test('a step started more than once says it was resumed after a restart', () => {
    const running = request('executing');
    const steps = running.execution?.steps.map((step, index) => (index === 1 ? { ...step, attempts: 2 } : step)) ?? [];
    const card = renderRequestCard({ request: { ...running, execution: running.execution && { ...running.execution, steps } }, viewer: 'status' }, ENGLISH);
    expect(cardText(card)).toContain('⏳ Running: Record service environment Contoso-UAT (resumed after a restart)');
  });

  test('long step messages are cut to 8 lines of 240 characters', () => {
    const base = request('failed');
    const messages = Array.from({ length: 12 }, (_, index) => `${String(index).padStart(2, '0')} ${'x'.repeat(300)}`);
    const steps = base.execution?.steps.map((step, index) => (index === 0 ? { ...step, messages } : step)) ?? [];
    const text = cardText(renderRequestCard({ request: { ...base, execution: base.execution && { ...base.execution, steps } }, viewer: 'status' }, ENGLISH));
    expect(text).toContain(`- 07 ${'x'.repeat(237)}…`);
    expect(text).not.toContain('- 08 ');
    expect(text).toContain('- … and 4 more');
  });

  test('a dry run says nothing was recorded', () => {
    const base = request('succeeded', { dryRun: true });
    const card = renderRequestCard({ request: { ...base, execution: base.execution && { ...base.execution, dryRun: true } }, viewer: 'status' }, ENGLISH);
    expect(cardText(card)).toContain('Dry run — verified, nothing recorded');
    expect(cardText(card)).not.toContain('Setup steps');
  });

  test('before execution there is no steps section', () => {
    const text = cardText(render('approved', 'status'));
    expect(text).not.toContain('Setup steps');
    expect(text).not.toContain('Dry run — verified');
  });
});

describe('Next in Finance', () => {
  test('a succeeded setup tells what to set in Finance, with every geography from the endpoint list', () => {
    const text = cardText(render('succeeded', 'requester'));
    expect(text).toContain('Next in Finance');
    expect(text).toContain('Electronic document parameters');
    const geographies = financeEndpoints();
    expect(geographies.length).toBeGreaterThan(10);
    for (const geography of geographies) {
      expect(text).toContain(geography.name);
      expect(text).toContain(geography.endpoints[0]);
      const last = geography.endpoints[geography.endpoints.length - 1].match(/-(il\d+)\./)?.[1];
      if (geography.endpoints.length > 1) expect(text).toContain(String(last));
    }
    const facts = nodesOf(render('succeeded', 'requester'))
      .filter((node) => node.type === 'FactSet')
      .flatMap((set) => set.facts as CardNode[]);
    expect(facts).toContainEqual({ title: 'Environment', value: 'Contoso-UAT' });
    expect(facts).toContainEqual({ title: 'Europe', value: 'https://gw.eu-il101.gateway.prod.island.powerapps.com/electronicinvoicing/ (or il102–il110)' });
    expect(facts).toContainEqual({ title: 'Japan', value: 'https://gw.jp-il101.gateway.prod.island.powerapps.com/electronicinvoicing/' });
  });

  test.each([
    ['de-DE', 'Vereinigte Staaten', 'Europa'],
    ['ar-SA', 'الولايات المتحدة', 'أوروبا'],
    ['pl-PL', 'Stany Zjednoczone', 'Europa'],
  ])('in %s the geographies are named in the reader\'s language, the endpoints as they are', (locale, unitedStates, europe) => {
    const words = new Translations().for(locale);
    const facts = nodesOf(renderRequestCard({ request: request('succeeded'), viewer: 'requester' }, words))
      .filter((node) => node.type === 'FactSet')
      .flatMap((set) => set.facts as CardNode[]);
    expect(facts.map((fact) => fact.title)).toEqual(expect.arrayContaining([unitedStates, europe]));
    expect(facts.map((fact) => fact.title)).not.toContain('United States');
    // in Arabic the URL (it ends with a slash) is set in a left-to-right isolate (i18n/bidi.ts)
    const isolated = words.rtl ? '\u2066' : '';
    expect(facts.find((fact) => fact.title === europe)?.value).toMatch(new RegExp(`^${isolated}https://gw\\.eu-il101\\.gateway\\.prod\\.island\\.powerapps\\.com/electronicinvoicing/${isolated ? '\u2069' : ''}`, 'u'));
  });

  test.each(STATUSES.filter((status) => status !== 'succeeded'))('is not shown for a %s request', (status) => {
    const text = cardText(render(status, 'requester'));
    expect(text).not.toContain('Next in Finance');
    expect(text).not.toContain('gateway.prod.island.powerapps.com');
  });

  test('is not shown after a dry run', () => {
    const base = request('succeeded', { dryRun: true });
    const card = renderRequestCard({ request: { ...base, execution: base.execution && { ...base.execution, dryRun: true } }, viewer: 'requester' }, ENGLISH);
    expect(cardText(card)).not.toContain('Next in Finance');
    expect(cardText(card)).not.toContain('gateway.prod.island.powerapps.com');
  });
});

describe('size', () => {
  /** 10 steps (7 connected applications), each with 20 findings far longer than a card shows. */
  function longRun(): SetupRequest {
    const many = content();
    many.connectedApplications = Array.from({ length: 7 }, (_, index) => ({
      name: `Contoso Finance ${index}`,
      type: 'Dynamics 365 Finance' as const,
      applicationUrl: `https://contoso-${index}.sandbox.operations.dynamics.com`,
      tenant: 'contoso.onmicrosoft.com',
    }));
    const steps = planFor(many).map((step): ExecutionStep => ({
      ...step,
      status: 'warning',
      attempts: 2,
      messages: Array.from({ length: 20 }, (_, index) => `finding ${index}: ${'the certificate chain is not in root-to-leaf order; '.repeat(12)}`),
    }));
    expect(steps).toHaveLength(10);
    const comment = 'c'.repeat(500);
    return request('succeeded', {
      content: many,
      approvals: [decision('appr-alice', 'Alice Approver', '2026-11-25T09:30:00.000Z', comment), decision('appr-bob', 'Bob Approver', '2026-11-25T09:45:00.000Z', comment)],
      approvers: Array.from({ length: 5 }, (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`),
      execution: { dryRun: false, startedAt: '2026-11-25T10:00:00.000Z', finishedAt: '2026-11-25T10:05:00.000Z', steps },
    });
  }

  test.each(VIEWERS)('stays under 28 KB for the %s with 10 steps of long messages, two 500-character comments and the Finance section', (viewer) => {
    const card = renderRequestCard({ request: longRun(), viewer, notice: 'This card is out of date — here is the current one.' }, ENGLISH);
    expect(cardText(card)).toContain('Next in Finance');
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(MAX_CARD_BYTES);
    expect(cardProblems(card)).toEqual([]);
  });

  test('a failed run of 10 long steps also parses and fits, for every viewer', () => {
    const run = longRun();
    const failed = { ...run, status: 'failed' as const };
    for (const viewer of VIEWERS) expect(cardProblems(renderRequestCard({ request: failed, viewer }, ENGLISH))).toEqual([]);
  });
});

describe('step findings', () => {
  const command = `az role assignment create --assignee-object-id 5b0f3c1e-7d2a-4e8f-9a61-0c3d2e1f4a5b --role "Key Vault Secrets User" --scope ${'/subscriptions/0000/resourceGroups/contoso-rg/providers/Microsoft.KeyVault/vaults/contoso-einvoicing'.repeat(3)}`;
  const long = `a finding far longer than a card shows: ${'the certificate chain is not in root-to-leaf order; '.repeat(8)}`;
  const withMessages = (messages: ExecutionStep['messages']): SetupRequest => {
    const base = request('failed');
    const steps = base.execution ? base.execution.steps.map((step, index) => (index === 0 ? { ...step, messages } : step)) : [];
    return { ...base, execution: { dryRun: false, startedAt: '2026-11-25T10:00:00.000Z', steps } };
  };
  const details = (messages: ExecutionStep['messages']): string => cardText(renderRequestCard({ request: withMessages(messages), viewer: 'requester' }, ENGLISH));

  test('a fix line (marked whole) keeps its whole command while a long finding is cut short', () => {
    const text = details([long, fixMessage(command)]);
    expect(text).toContain(`Fix: ${command}`);
    expect(text).not.toContain(long);
    expect(text).toContain(`${long.slice(0, 240)}…`);
  });

  test("a record's fix line stored as an English sentence (before the marks) is shown whole too", () => {
    expect(details([`Fix: ${command}`])).toContain(`Fix: ${command}`);
  });

  test("Electronic invoicing's lines are said in the reader's words when the card is drawn", () => {
    const pseudo = new Translations().for('qps-ploc');
    const use = { outcome: 'ok' as const, findings: [{ code: 'access.itemUsable', outcome: 'ok' as const, params: {} }] };
    const line = domainMessage('step.keyVault.itemWithUse', { outcome: 'ok', name: 'storage-sas-token', kind: 'storageSas', detail: domainMessage('step.keyVault.verified'), use: itemUseMessage(use) ?? '' });
    expect(details([line])).toContain('✅ OK · storage-sas-token (storage SAS secret): verified · Electronic invoicing: ✅ OK, can use it');
    const said = cardText(renderRequestCard({ request: withMessages([line]), viewer: 'requester' }, pseudo));
    expect(said).not.toContain('Electronic invoicing: ✅ OK, can use it');
    expect(said).toMatch(/storage-sas-token[^\n]*· ⟦[^\n]*⟦✅/);
  });
});

describe('after a Retry', () => {
  const retry = (attempt: number, reapproval: boolean, at = '2026-11-26T10:00:00.000Z') => ({ objectId: 'req-rita', name: 'Rita Requester', at, attempt, reapproval });

  test('the title and the my-requests line say which attempt it is', () => {
    expect(statusLine(request('failed', { attempt: 2 }), ENGLISH)).toBe('Failed · attempt 2');
    expect(statusLine(request('submitted', { attempt: 3 }), ENGLISH)).toBe('Waiting for approval (1 of 2) · attempt 3');
    expect(statusLine(request('failed'), ENGLISH)).toBe('Failed');
    expect(((render('executing', 'status', { attempt: 2 }).body as CardNode[])[0]).text).toBe('SR-0042 · Setting up · attempt 2');
  });

  test('the history lists decisions and retries in the order they happened', () => {
    const failed = request('failed');
    const card = render('submitted', 'status', {
      attempt: 2,
      approvals: [],
      earlierApprovals: failed.approvals,
      retries: [retry(2, true)],
    });
    const lines = nodesOf(card).filter((node) => node.type === 'TextBlock' && /^(✅ Approved|🔁 Retry)/.test(String(node.text))).map((node) => String(node.text));
    expect(lines).toEqual([
      expect.stringMatching(/^✅ Approved by Alice Approver/),
      expect.stringMatching(/^✅ Approved by Bob Approver/),
      expect.stringMatching(/^🔁 Retry by Rita Requester · .* · attempt 2: sent back for approval, because the approval was older than the retry window$/),
    ]);
  });

  test('while it waits to run again, the steps shown are those of the last run', () => {
    const failed = request('failed');
    expect(cardText(render('submitted', 'status', { attempt: 2, execution: failed.execution, approvals: [] }))).toContain('Last run: Setup steps · attempt 1');
    expect(cardText(render('executing', 'status', { attempt: 2, execution: { ...failed.execution!, attempt: 2 } }))).toContain('Setup steps · attempt 2');
  });
});

describe('while waiting for approval, the card says who was asked and whether they were notified', () => {
  const copy = (approverId: string, approverName?: string) => ({ kind: 'approver' as const, approverId, approverName, conversationId: `c-${approverId}`, activityId: '1', address: {} });
  const asked = (overrides: Partial<SetupRequest>) => cardText(render('submitted', 'requester', { approvals: [], ...overrides }));

  test('before the approval cards arrive: how many are being asked', () => {
    expect(asked({})).toContain('Asking 2 approvers to approve: sending the approval card in Teams…');
  });

  test('once they arrived: their names, and that they were notified', () => {
    expect(asked({ cards: [copy('appr-alice', 'Alice Approver'), copy('appr-bob', 'Bob Approver')] })).toContain('Alice Approver and Bob Approver were asked to approve and have been notified in Teams.');
  });

  test('names where known, a count where not', () => {
    expect(asked({ cards: [copy('appr-alice', 'Alice Approver'), copy('appr-bob')] })).toContain('Alice Approver and 1 other approver were asked to approve and have been notified in Teams.');
    expect(asked({ cards: [copy('appr-alice'), copy('appr-bob')] })).toContain('2 approvers were asked to approve and have been notified in Teams.');
    expect(asked({ cards: [copy('appr-alice', 'Alice Approver')] })).toContain('Alice Approver has been notified in Teams; sending the approval card to 1 approver…');
  });

  test('a requester who is also an approver is not counted; with nobody else, the card says so', () => {
    expect(asked({ approvers: ['appr-alice', 'req-rita'] })).toContain('Asking 1 approver to approve');
    expect(asked({ approvers: ['req-rita'] })).toContain('No approver other than the requester is configured, so nobody can approve this yet.');
  });

  test('is not shown once decided', () => {
    expect(cardText(render('approved', 'requester'))).not.toMatch(/asked to approve|Asking/);
  });
});
