import template from './request-card.json' with { type: 'json' };
import type { SetupRequest } from '../setup/request.js';
import { STEP_ICON, type ExecutionStep } from '../setup/execution.js';
import { financeEndpoints } from '../setup/finance-endpoints.js';
import { cardDateTime } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import { REQUEST_VERBS, requestAction, type RequestActionData } from './request-actions.js';

/** Who the card is drawn for: approvers get Approve / Reject, the requester Cancel, others status. */
export type RequestViewer = 'approver' | 'requester' | 'status';

export interface RequestCardView {
  request: SetupRequest;
  viewer: RequestViewer;
  /** A line for this viewer only (e.g. why their click did nothing). */
  notice?: string;
}

/** Teams asks for a user-specific view for at most 60 users. */
export const MAX_REFRESH_USERS = 60;

const STATUS_TEXT: Record<SetupRequest['status'], string> = {
  submitted: 'Waiting for approval',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  expired: 'Expired',
  executing: 'Setting up',
  succeeded: 'Done',
  failed: 'Failed',
};

const STATUS_COLOR: Record<SetupRequest['status'], string> = {
  submitted: 'Default',
  approved: 'Good',
  rejected: 'Attention',
  cancelled: 'Default',
  expired: 'Warning',
  executing: 'Default',
  succeeded: 'Good',
  failed: 'Attention',
};

export function statusLine(request: SetupRequest): string {
  const base = STATUS_TEXT[request.status];
  return request.status === 'submitted' ? `${base} (${request.approvals.length} of ${request.approvalsRequired})` : base;
}

function history(request: SetupRequest): { text: string }[] {
  const lines = request.approvals.map((decision) => ({
    text: `✅ Approved by ${decision.name} · ${cardDateTime(decision.at)}${decision.comment ? ` — “${decision.comment}”` : ''}`,
  }));
  if (request.rejection) {
    const { name, at, comment } = request.rejection;
    lines.push({ text: `❌ Rejected by ${name} · ${cardDateTime(at)}${comment ? ` — “${comment}”` : ''}` });
  }
  if (request.cancellation) lines.push({ text: `Cancelled by ${request.cancellation.name} · ${cardDateTime(request.cancellation.at)}` });
  if (request.expiredAt) lines.push({ text: `⌛ Expired · ${cardDateTime(request.expiredAt)} (no decision within the approval window)` });
  return lines;
}

/** How much of each step's findings a card shows; shrunk when a card would outgrow Teams' limit. */
interface DetailBudget {
  lines: number;
  chars: number;
}

const DETAIL_BUDGETS: readonly DetailBudget[] = [
  { lines: 8, chars: 240 },
  { lines: 3, chars: 120 },
  { lines: 0, chars: 0 },
];

/** Teams refuses messages over 28 KB; stay a little under. */
export const CARD_BYTES_LIMIT = 27 * 1024;

function stepView(step: ExecutionStep, budget: DetailBudget): { line: string; details: string } {
  const lines = step.messages.slice(0, budget.lines).map((message) => `- ${message.length > budget.chars ? `${message.slice(0, budget.chars)}…` : message}`);
  if (step.messages.length > budget.lines && budget.lines > 0) lines.push(`- … and ${step.messages.length - budget.lines} more`);
  const retried = step.attempts > 1 ? ' (resumed after a restart)' : '';
  return { line: `${STEP_ICON[step.status]} ${step.title}${retried}`, details: lines.join('\n') };
}

function endpointsView(): { name: string; url: string }[] {
  return financeEndpoints().map((geography) => {
    const count = geography.endpoints.length;
    const more = count > 2 ? ` (or il102–il${100 + count})` : count === 2 ? ' (or il102)' : '';
    return { name: geography.name, url: `${geography.endpoints[0]}${more}` };
  });
}

/** The refresh that lets Teams ask for approver / requester views of a channel or shared card. */
function refreshOf(request: SetupRequest, version: number): unknown {
  const userIds = [...new Set([...request.approvers, request.requester.objectId])].slice(0, MAX_REFRESH_USERS);
  return {
    action: { type: 'Action.Execute', title: 'Refresh', verb: REQUEST_VERBS.refresh, data: { verb: REQUEST_VERBS.refresh, requestId: request.id, v: version } },
    userIds,
  };
}

/**
 * The request card: status, who asked, summary, decisions, and the viewer's buttons. Step
 * findings are shortened (then left out) when the card would exceed Teams' size limit; the full
 * findings stay in the request record and `show <name>`.
 */
export function renderRequestCard(view: RequestCardView): AdaptiveCardJson {
  let card = renderWithBudget(view, DETAIL_BUDGETS[0]);
  for (const budget of DETAIL_BUDGETS.slice(1)) {
    if (Buffer.byteLength(JSON.stringify(card)) <= CARD_BYTES_LIMIT) break;
    card = renderWithBudget(view, budget);
  }
  return card;
}

function renderWithBudget(view: RequestCardView, budget: DetailBudget): AdaptiveCardJson {
  const { request, viewer } = view;
  const version = request.revision;
  const pending = request.status === 'submitted';
  const data = (verb: RequestActionData['verb']): RequestActionData => ({ verb, requestId: request.id, v: version });
  const actions: unknown[] = [];
  if (pending && viewer === 'approver') {
    actions.push(requestAction('Approve', data(REQUEST_VERBS.approve), { style: 'positive' }));
    actions.push(requestAction('Reject', data(REQUEST_VERBS.reject), { style: 'destructive' }));
  }
  if (pending && viewer === 'requester') {
    actions.push(requestAction('Cancel request', data(REQUEST_VERBS.cancel), { style: 'destructive', inputs: 'none' }));
  }
  const { environment, keyVault, connectedApplications } = request.content;
  return expandTemplate(template, {
    refresh: refreshOf(request, version),
    title: `${request.id} · ${statusLine(request)}`,
    statusColor: STATUS_COLOR[request.status],
    requesterName: request.requester.name,
    createdAt: cardDateTime(request.createdAt),
    notice: view.notice ?? '',
    dryRun: request.dryRun,
    facts: [
      { title: 'Service environment', value: environment.name },
      { title: 'Users', value: environment.users.map((user) => user.userId).join(', ') || '—' },
      { title: 'Key Vault reference', value: `${keyVault.name} (${keyVault.keyVaultUri})` },
      { title: 'Key Vault items', value: [keyVault.storageSasSecretName, ...keyVault.items.map((item) => item.name)].join(', ') },
      { title: 'Connected applications', value: connectedApplications.map((app) => app.name).join(', ') || 'none' },
    ],
    history: history(request),
    showComment: pending && viewer === 'approver',
    hasSteps: (request.execution?.steps.length ?? 0) > 0,
    stepsHeading: request.execution?.dryRun ? 'Dry run — verified, nothing recorded' : 'Setup steps',
    steps: (request.execution?.steps ?? []).map((step) => stepView(step, budget)),
    showFinance: request.status === 'succeeded' && !request.execution?.dryRun,
    environmentName: environment.name,
    endpoints: request.status === 'succeeded' && !request.execution?.dryRun ? endpointsView() : [],
    actions,
  });
}
