import template from './request-card.json' with { type: 'json' };
import { keptWhole, sayText, stepTitle } from './words/domain-message.js';
import { RESUBMITTABLE } from '../setup/policy/recovery-policy.js';
import { kindOf, type SetupRequest } from '../setup/model/request.js';
import { STEP_ICON, type ExecutionStep, type StepStatus } from '../setup/model/execution.js';
import { financeEndpoints } from '../setup/rules/finance-endpoints.js';
import { cardDateTime, listOrNone } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import { COMMENT_MAX, REJECT_REASON_INPUT_ID, REQUEST_VERBS, requestAction, type RequestActionData } from './request-actions.js';
import { approvalAskLine, approverAskLine, historyLines, laterAttempt, linkLines, quorumLine } from './request-story.js';
import { kindLines } from './request-kind.js';
import type { MessageKey } from '../i18n/message-keys.js';
import type { Words } from '../i18n/translations.js';
import { regionName } from './words/region-names.js';

/**
 * Who the card is drawn for: an approver who can act now (decide a pending request, retry a
 * failed one), the requester, or anyone else (status only).
 */
export type RequestViewer = 'approver' | 'requester' | 'status';

export interface RequestCardView {
  request: SetupRequest;
  viewer: RequestViewer;
  /** A line for this viewer only (e.g. why their click did nothing), in their words. */
  notice?: string;
  /** Whose copy this is (an approver's personal copy, or the person who asked for it): the card speaks to them. */
  viewerId?: string;
}

/** Reject… when the rule asks for a comment: a panel whose reason box must be filled before Reject sends. */
function rejectWithReason(request: SetupRequest, data: RequestActionData, words: Words): unknown {
  return {
    type: 'Action.ShowCard',
    title: words.t('cards.policy.reject.open'),
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.Text',
          id: REJECT_REASON_INPUT_ID,
          label: words.t('cards.policy.reject.reasonLabel', { rule: request.rule?.name ?? '' }),
          isRequired: true,
          errorMessage: words.t('cards.policy.reject.reasonError'),
          isMultiline: true,
          maxLength: COMMENT_MAX,
        },
      ],
      actions: [requestAction(words.t('cards.request.reject'), data, { style: 'destructive' })],
    },
  };
}

/**
 * While pending: the approver's own copy says why they were asked and what the rule needs; the
 * others say who was asked (and the rule's quorum under a rule).
 */
function approvalAsk(view: RequestCardView, pending: boolean, words: Words): string {
  const { request, viewer } = view;
  if (!pending) return '';
  if (viewer === 'approver') return approverAskLine(request, view.viewerId, words);
  const asked = approvalAskLine(request, words);
  return request.rule ? `${asked} ${quorumLine(request, words)}` : asked;
}

/** Teams asks for a user-specific view for at most 60 users. */
export const MAX_REFRESH_USERS = 60;

const STATUS_TEXT: Record<SetupRequest['status'], MessageKey> = {
  submitted: 'cards.request.status.submitted',
  approved: 'cards.request.status.approved',
  rejected: 'cards.request.status.rejected',
  cancelled: 'cards.request.status.cancelled',
  expired: 'cards.request.status.expired',
  executing: 'cards.request.status.executing',
  succeeded: 'cards.request.status.succeeded',
  failed: 'cards.request.status.failed',
};

/** A step's state in a word beside its emoji (issue 14: never an emoji alone). */
const STEP_WORD: Record<StepStatus, MessageKey> = {
  pending: 'cards.request.step.pending',
  running: 'cards.request.step.running',
  ok: 'cards.request.step.ok',
  warning: 'cards.request.step.warning',
  failed: 'cards.request.step.failed',
  skipped: 'cards.request.step.skipped',
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
export function statusLine(request: SetupRequest, words: Words): string {
  const base = words.t(STATUS_TEXT[request.status]);
  const status = request.status === 'submitted' ? words.t('cards.request.progress', { status: base, approvals: request.approvals.length, required: request.approvalsRequired }) : base;
  const attempt = laterAttempt(request);
  return attempt === undefined ? status : words.t('cards.request.withAttempt', { status, attempt });
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
export function stepLine(step: Pick<ExecutionStep, 'status' | 'title' | 'label' | 'attempts'>, words: Words): string {
  const values = { icon: STEP_ICON[step.status], word: words.t(STEP_WORD[step.status]), title: stepTitle(words, step) };
  return step.attempts > 1 ? words.t('cards.request.stepLineResumed', values) : words.t('cards.request.stepLine', values);
}

function stepView(step: ExecutionStep, index: number, budget: DetailBudget, words: Words): { id: string; line: string; details: string } {
  // a fix is an Azure CLI command: cut short it would be wrong, so it is shown whole
  // the step's findings are domain messages (English sentences in records from before): said here
  const lines = step.messages.slice(0, budget.lines).map((message) => {
    const said = sayText(words, message);
    return `- ${said.length > budget.chars && !keptWhole(message) ? `${said.slice(0, budget.chars)}…` : said}`;
  });
  if (step.messages.length > budget.lines && budget.lines > 0) lines.push(`- ${words.t('cards.request.moreFindings', { count: step.messages.length - budget.lines })}`);
  return { id: `${STEP_LINE_ID_PREFIX}${index + 1}`, line: stepLine(step, words), details: lines.join('\n') };
}

function stepsHeading(request: SetupRequest, words: Words): string {
  const execution = request.execution;
  if (!execution) return '';
  const attempt = execution.attempt ?? 1;
  // after a Retry, until the next run starts (or if it never does), the steps shown are those of the last run
  const running = request.status === 'executing' || request.status === 'succeeded' || request.status === 'failed';
  return words.t('cards.request.stepsHeading', {
    kind: execution.dryRun ? 'dryRun' : kindOf(request),
    last: running ? 'no' : 'yes',
    numbered: attempt > 1 || (request.attempt ?? 1) > 1 ? 'yes' : 'no',
    attempt,
  });
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

function nextStepsText(request: SetupRequest, recovery: Recovery, words: Words): string {
  const environment = request.content.environment.name;
  if (request.conflict) {
    if (kindOf(request) === 'retire') return words.t('cards.request.next.notRetired', { environment, command: `retire ${environment}` });
    return recovery.rebuild ? words.t('cards.request.next.rebuild', { environment }) : words.t('cards.request.next.nothingChanged');
  }
  if (recovery.rebuild && !recovery.retry) return words.t('cards.request.next.editChange', { environment });
  const retry = words.t('cards.request.next.retry');
  const resubmit = recovery.retry ? words.t('cards.request.next.resubmitInstead') : words.t('cards.request.next.resubmit');
  return [recovery.retry ? retry : '', recovery.resubmit || recovery.rebuild ? resubmit : ''].filter(Boolean).join(' ');
}

function endpointsView(words: Words): { name: string; url: string }[] {
  return financeEndpoints().map((geography) => {
    const count = geography.endpoints.length;
    const url = count > 2
      ? words.t('cards.request.endpointRange', { url: geography.endpoints[0], last: `il${100 + count}` })
      : count === 2
        ? words.t('cards.request.endpointOr', { url: geography.endpoints[0] })
        : geography.endpoints[0];
    return { name: regionName(geography.region, geography.name, words), url };
  });
}

/** The refresh that lets Teams ask for approver / requester views of a channel or shared card (each in their own language: the invoke carries their locale). */
function refreshOf(request: SetupRequest, version: number, words: Words): unknown {
  const userIds = [...new Set([...request.approvers, request.requester.objectId])].slice(0, MAX_REFRESH_USERS);
  return {
    action: { type: 'Action.Execute', title: words.t('cards.request.refresh'), verb: REQUEST_VERBS.refresh, data: { verb: REQUEST_VERBS.refresh, requestId: request.id, v: version } },
    userIds,
  };
}

/**
 * The request card: status, who asked, summary, decisions, and the viewer's buttons. Step
 * findings are shortened (then left out) when the card would exceed Teams' size limit; the full
 * findings stay in the request record and `show NAME`.
 */
export function renderRequestCard(view: RequestCardView, words: Words): AdaptiveCardJson {
  let card = renderWithBudget(view, DETAIL_BUDGETS[0], words);
  for (const budget of DETAIL_BUDGETS.slice(1)) {
    if (Buffer.byteLength(JSON.stringify(card)) <= CARD_BYTES_LIMIT) break;
    card = renderWithBudget(view, budget, words);
  }
  return card;
}

function renderWithBudget(view: RequestCardView, budget: DetailBudget, words: Words): AdaptiveCardJson {
  const { request, viewer } = view;
  const version = request.revision;
  const pending = request.status === 'submitted';
  const data = (verb: RequestActionData['verb']): RequestActionData => ({ verb, requestId: request.id, v: version });
  const recovery = recoveryOf(request, viewer);
  const actions: unknown[] = [];
  if (pending && viewer === 'approver') {
    actions.push(requestAction(words.t('cards.request.approve'), data(REQUEST_VERBS.approve), { style: 'positive' }));
    if (request.rule?.rejectComment === 'required') actions.push(rejectWithReason(request, data(REQUEST_VERBS.reject), words));
    else actions.push(requestAction(words.t('cards.request.reject'), data(REQUEST_VERBS.reject), { style: 'destructive' }));
  }
  if (pending && viewer === 'requester') {
    actions.push(requestAction(words.t('cards.request.cancel'), data(REQUEST_VERBS.cancel), { style: 'destructive', inputs: 'none' }));
  }
  if (recovery.retry) actions.push(requestAction(words.t('cards.request.retry'), data(REQUEST_VERBS.retry), { style: 'positive', inputs: 'none' }));
  if (recovery.resubmit) actions.push(requestAction(words.t('cards.request.resubmit'), data(REQUEST_VERBS.resubmit), { inputs: 'none' }));
  if (recovery.rebuild) {
    const title = words.t(request.conflict ? 'cards.request.rebuild' : 'cards.request.resubmit');
    actions.push(requestAction(title, data(REQUEST_VERBS.rebuild), { style: request.conflict ? 'positive' : undefined, inputs: 'none' }));
  }
  const setup = kindOf(request) === 'setup';
  const finance = setup && request.status === 'succeeded' && !request.execution?.dryRun;
  const { environment, keyVault, connectedApplications } = request.content;
  return expandTemplate(
    template,
    {
      w: {
        askedBy: words.t('cards.request.askedBy', { name: request.requester.name, when: cardDateTime(request.createdAt) }),
        dryRun: words.t('cards.request.dryRun'),
        nextInFinance: words.t('cards.request.nextInFinance'),
        financePath: words.t('cards.request.financePath'),
        environment: words.t('cards.request.financeEnvironment'),
        endpointUrl: words.t('cards.request.endpointUrl'),
        endpointBelow: words.t('cards.request.endpointBelow'),
        comment: words.t('cards.request.comment'),
        commentPlaceholder: words.t('cards.request.commentPlaceholder'),
      },
      refresh: refreshOf(request, version, words),
      title: words.t('cards.request.title', { requestId: request.id, status: statusLine(request, words) }),
      statusColor: STATUS_COLOR[request.status],
      ...linkLines(request, words),
      notice: view.notice ?? '',
      dryRun: request.dryRun,
      approvalAsk: approvalAsk(view, pending, words),
      facts: [
        { title: words.t('cards.request.fact.environment'), value: environment.name },
        { title: words.t('cards.request.fact.users'), value: listOrNone(environment.users.map((user) => user.userId), words) },
        { title: words.t('cards.request.fact.keyVaultReference'), value: `${keyVault.name} (${keyVault.keyVaultUri})` },
        { title: words.t('cards.request.fact.keyVaultItems'), value: [keyVault.storageSasSecretName, ...keyVault.items.map((item) => item.name)].join(', ') },
        { title: words.t('cards.request.fact.connectedApplications'), value: listOrNone(connectedApplications.map((app) => app.name), words) },
      ],
      history: historyLines(request, words),
      showComment: pending && viewer === 'approver',
      hasSteps: (request.execution?.steps.length ?? 0) > 0,
      stepsHeading: stepsHeading(request, words),
      steps: (request.execution?.steps ?? []).map((step, index) => stepView(step, index, budget, words)),
      ...kindLines(request, words),
      nextSteps: nextStepsText(request, recovery, words),
      showFinance: finance,
      environmentName: environment.name,
      endpoints: finance ? endpointsView(words) : [],
      actions,
    },
    words,
  );
}
