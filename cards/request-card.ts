import template from './request-card.json' with { type: 'json' };
import { RESUBMITTABLE } from '../setup/policy/recovery-policy.js';
import { kindOf, type SetupRequest } from '../setup/model/request.js';
import { STEP_ICON, STEP_WORD, type ExecutionStep } from '../setup/model/execution.js';
import { financeEndpoints } from '../setup/rules/finance-endpoints.js';
import { cardDateTime, listOrNone } from './form-view.js';
import { FIX_PREFIX } from './service-use-words.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import { COMMENT_MAX, REJECT_REASON_INPUT_ID, REQUEST_VERBS, requestAction, type RequestActionData } from './request-actions.js';
import { approvalAskLine, approverAskLine, attemptSuffix, historyLines, linkLines, quorumLine } from './request-story.js';
import { kindLines } from './request-kind.js';

/**
 * Who the card is drawn for: an approver who can act now (decide a pending request, retry a
 * failed one), the requester, or anyone else (status only).
 */
export type RequestViewer = 'approver' | 'requester' | 'status';

export interface RequestCardView {
  request: SetupRequest;
  viewer: RequestViewer;
  /** A line for this viewer only (e.g. why their click did nothing). */
  notice?: string;
  /** Whose copy this is (an approver's personal copy, or the person who asked for it): the card speaks to them. */
  viewerId?: string;
}

/** Reject… when the rule asks for a comment: a panel whose reason box must be filled before Reject sends. */
function rejectWithReason(request: SetupRequest, data: RequestActionData): unknown {
  return {
    type: 'Action.ShowCard',
    title: 'Reject…',
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.Text',
          id: REJECT_REASON_INPUT_ID,
          label: `Why reject? (rule ${request.rule?.name ?? ''} asks for a comment)`,
          isRequired: true,
          errorMessage: 'Say why you reject this request.',
          isMultiline: true,
          maxLength: COMMENT_MAX,
        },
      ],
      actions: [requestAction('Reject', data, { style: 'destructive' })],
    },
  };
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

/** Title colours: only green and red, which keep their contrast; the words carry the state. */
const STATUS_COLOR: Record<SetupRequest['status'], string> = {
  submitted: 'Default',
  approved: 'Good',
  rejected: 'Attention',
  cancelled: 'Default',
  expired: 'Default',
  executing: 'Default',
  succeeded: 'Good',
  failed: 'Attention',
};

/** "Waiting for approval (1 of 2)", "Failed · attempt 2". */
export function statusLine(request: SetupRequest): string {
  const base = STATUS_TEXT[request.status];
  const progress = request.status === 'submitted' ? ` (${request.approvals.length} of ${request.approvalsRequired})` : '';
  return `${base}${progress}${attemptSuffix(request)}`;
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

/** Ids of the step lines (`step-1`, `step-2`…), so checks can find every one. */
export const STEP_LINE_ID_PREFIX = 'step-';

/** "✅ Done: Verify Key Vault reference contoso-kv": the emoji, then the word, then the step. */
export function stepLine(step: Pick<ExecutionStep, 'status' | 'title' | 'attempts'>): string {
  const resumed = step.attempts > 1 ? ' (resumed after a restart)' : '';
  return `${STEP_ICON[step.status]} ${STEP_WORD[step.status]}: ${step.title}${resumed}`;
}

function stepView(step: ExecutionStep, index: number, budget: DetailBudget): { id: string; line: string; details: string } {
  // a fix is an Azure CLI command: cut short it would be wrong, so it is shown whole
  const lines = step.messages.slice(0, budget.lines).map((message) => `- ${message.length > budget.chars && !message.startsWith(FIX_PREFIX) ? `${message.slice(0, budget.chars)}…` : message}`);
  if (step.messages.length > budget.lines && budget.lines > 0) lines.push(`- … and ${step.messages.length - budget.lines} more`);
  return { id: `${STEP_LINE_ID_PREFIX}${index + 1}`, line: stepLine(step), details: lines.join('\n') };
}

function stepsHeading(request: SetupRequest): string {
  const execution = request.execution;
  if (!execution) return '';
  const steps = { setup: 'Setup steps', change: 'Change steps', retire: 'Retirement steps' }[kindOf(request)];
  const base = execution.dryRun ? 'Dry run — verified, nothing recorded' : steps;
  const attempt = execution.attempt ?? 1;
  const numbered = attempt > 1 || (request.attempt ?? 1) > 1 ? ` · attempt ${attempt}` : '';
  // after a Retry, until the next run starts (or if it never does), the steps shown are those of the last run
  const running = request.status === 'executing' || request.status === 'succeeded' || request.status === 'failed';
  const last = running ? '' : 'Last run: ';
  return `${last}${base}${numbered}`;
}

interface Recovery {
  retry: boolean;
  resubmit: boolean;
  rebuild: boolean;
}

/**
 * Whether this viewer may press Retry / Edit and resubmit / Rebuild (the server checks again on
 * the click). A change found at a later version is not retried: it is rebuilt on that version.
 */
function recoveryOf(request: SetupRequest, viewer: RequestViewer): Recovery {
  const none = { retry: false, resubmit: false, rebuild: false };
  if (request.resubmittedAs || viewer === 'status') return none;
  const kind = kindOf(request);
  const mine = viewer === 'requester' && RESUBMITTABLE.has(request.status);
  return {
    retry: request.status === 'failed' && !request.conflict,
    resubmit: kind === 'setup' && mine,
    rebuild: kind === 'change' && mine,
  };
}

function nextStepsText(request: SetupRequest, recovery: Recovery): string {
  if (request.conflict) {
    const environment = request.content.environment.name;
    if (kindOf(request) === 'retire') return `${environment} was not retired. Type **retire ${environment}** to ask again on its current version.`;
    return recovery.rebuild
      ? `Nothing was changed. **Rebuild on the current version** starts a new change of ${environment} with your changes laid over its current version (what someone else changed stays), for you to check and submit.`
      : 'Nothing was changed.';
  }
  if (recovery.rebuild && !recovery.retry) return `**Edit and resubmit** starts a new change with these changes laid over the current version of ${request.content.environment.name}.`;
  const retry =
    'Fix what the failed step says, then press **Retry**: it runs the failed step and those after it, never the steps already done (an approval older than the retry window is asked for again).';
  const resubmit = recovery.retry
    ? 'To change the request instead, press **Edit and resubmit**.'
    : "**Edit and resubmit** starts a new setup with this request's content filled in.";
  return [recovery.retry ? retry : '', recovery.resubmit || recovery.rebuild ? resubmit : ''].filter(Boolean).join(' ');
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
 * findings stay in the request record and `show NAME`.
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
  const recovery = recoveryOf(request, viewer);
  const actions: unknown[] = [];
  if (pending && viewer === 'approver') {
    actions.push(requestAction('Approve', data(REQUEST_VERBS.approve), { style: 'positive' }));
    if (request.rule?.rejectComment === 'required') actions.push(rejectWithReason(request, data(REQUEST_VERBS.reject)));
    else actions.push(requestAction('Reject', data(REQUEST_VERBS.reject), { style: 'destructive' }));
  }
  if (pending && viewer === 'requester') {
    actions.push(requestAction('Cancel request', data(REQUEST_VERBS.cancel), { style: 'destructive', inputs: 'none' }));
  }
  if (recovery.retry) actions.push(requestAction('Retry', data(REQUEST_VERBS.retry), { style: 'positive', inputs: 'none' }));
  if (recovery.resubmit) actions.push(requestAction('Edit and resubmit', data(REQUEST_VERBS.resubmit), { inputs: 'none' }));
  if (recovery.rebuild) {
    const title = request.conflict ? 'Rebuild on the current version' : 'Edit and resubmit';
    actions.push(requestAction(title, data(REQUEST_VERBS.rebuild), { style: request.conflict ? 'positive' : undefined, inputs: 'none' }));
  }
  const setup = kindOf(request) === 'setup';
  const finance = setup && request.status === 'succeeded' && !request.execution?.dryRun;
  const { environment, keyVault, connectedApplications } = request.content;
  return expandTemplate(template, {
    refresh: refreshOf(request, version),
    title: `${request.id} · ${statusLine(request)}`,
    statusColor: STATUS_COLOR[request.status],
    requesterName: request.requester.name,
    createdAt: cardDateTime(request.createdAt),
    ...linkLines(request),
    notice: view.notice ?? '',
    dryRun: request.dryRun,
    approvalAsk: !pending ? '' : viewer === 'approver' ? approverAskLine(request, view.viewerId) : `${approvalAskLine(request)}${request.rule ? ` ${quorumLine(request)}` : ''}`,
    facts: [
      { title: 'Service environment', value: environment.name },
      { title: 'Users', value: listOrNone(environment.users.map((user) => user.userId)) },
      { title: 'Key Vault reference', value: `${keyVault.name} (${keyVault.keyVaultUri})` },
      { title: 'Key Vault items', value: [keyVault.storageSasSecretName, ...keyVault.items.map((item) => item.name)].join(', ') },
      { title: 'Connected applications', value: listOrNone(connectedApplications.map((app) => app.name)) },
    ],
    history: historyLines(request),
    showComment: pending && viewer === 'approver',
    hasSteps: (request.execution?.steps.length ?? 0) > 0,
    stepsHeading: stepsHeading(request),
    steps: (request.execution?.steps ?? []).map((step, index) => stepView(step, index, budget)),
    ...kindLines(request),
    nextSteps: nextStepsText(request, recovery),
    showFinance: finance,
    environmentName: environment.name,
    endpoints: finance ? endpointsView() : [],
    actions,
  });
}
