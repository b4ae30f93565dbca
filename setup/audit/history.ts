/**
 * The history of one service environment: the audit entries of every request that set it up,
 * changed or retired it, newest first, in pages, with the chain verification of what is shown.
 */
import type { AuditEntry, AuditLog, ChainVerdict } from './audit.js';
import type { SetupRequests } from '../requests/setup-requests.js';
import { domainMessage, isDomainMessage, type DomainMessage } from '../model/messages.js';

export interface HistoryPage {
  environment: string;
  entries: AuditEntry[];
  /** 0-based page shown, and how many there are. */
  page: number;
  pages: number;
  total: number;
  verdict: ChainVerdict;
}

export const HISTORY_PAGE_SIZE = 10;

/** One entry as a message: who did what, and the outcome (cards/words says it). */
export function describeAuditEntry(entry: AuditEntry): DomainMessage {
  const who = entry.actor.kind === 'user' ? entry.actor.name : 'setupbot';
  const details = entry.details;
  const comment = typeof details.comment === 'string' ? details.comment : '';
  // a delegate's decision: "Ana Ruiz for Ben Okafor"
  const decider: string | DomainMessage = typeof details.onBehalfOf === 'string' && details.onBehalfOf ? domainMessage('decider.for', { delegate: who, approver: details.onBehalfOf }) : who;
  const commented = (code: 'history.approved' | 'history.approvedCounted' | 'history.rejected', params: Record<string, string | number>): DomainMessage =>
    domainMessage(code, { ...params, who: decider, comment, hasComment: comment ? 'yes' : 'no' });
  const dryRun = details.dryRun === true ? 'yes' : 'no';
  switch (entry.action) {
    case 'submitted': {
      // a change's summary: a message, or (an entry written before it was one) an English sentence
      const what =
        isDomainMessage(details.change) || (typeof details.change === 'string' && details.change)
          ? details.change
          : domainMessage('history.setupWhat', {
              environment: String(details.environment ?? ''),
              reference: String(details.keyVaultReference ?? ''),
              count: Number(details.connectedApplications ?? 0),
            });
      return domainMessage('history.requested', { who, what, dryRun });
    }
    case 'approved':
      return details.status === 'submitted' ? commented('history.approvedCounted', { approvals: String(details.approvals), required: String(details.required) }) : commented('history.approved', {});
    case 'rejected':
      return commented('history.rejected', {});
    case 'reminder_sent':
      return domainMessage('history.reminderSent', { count: Number(details.recipients ?? 0) });
    case 'escalated':
      return typeof details.members === 'string' && details.members ? domainMessage('history.escalated', { members: details.members }) : domainMessage('history.escalatedNoOne');
    case 'cancelled':
      return domainMessage('history.cancelled', { who });
    case 'expired':
      return domainMessage('history.expired');
    case 'execution_started':
      return domainMessage('history.started', { kind: String(details.kind ?? 'setup'), steps: String(details.steps ?? '?'), dryRun });
    case 'step_finished': {
      // the step's label, said in the reader's words; an entry written before labels were stored names the step by its English title
      const step = isDomainMessage(details.label) ? details.label : typeof details.step === 'string' ? details.step : domainMessage('history.aStep');
      return domainMessage('history.stepFinished', { step, outcome: String(details.outcome ?? 'failed') });
    }
    case 'succeeded':
      return domainMessage('history.succeeded', { dryRun });
    case 'failed':
      return domainMessage(details.conflict === true ? 'history.notApplied' : 'history.failed');
    case 'resubmitted':
      return domainMessage(details.rebuilt === true ? 'history.rebuilt' : 'history.resubmitted', { as: String(details.as ?? ''), who });
    default:
      return domainMessage('history.other', { action: String(entry.action).replace(/_/g, ' '), who });
  }
}

export class EnvironmentHistory {
  constructor(
    private readonly requests: SetupRequests,
    private readonly audit: AuditLog,
  ) {}

  /** Page `page` (0 = newest) of the environment's history; undefined when no request ever named it. */
  async page(environment: string, page: number, pageSize = HISTORY_PAGE_SIZE): Promise<HistoryPage | undefined> {
    const requests = await this.requests.listByEnvironment(environment);
    if (requests.length === 0) return undefined;
    const entries: AuditEntry[] = [];
    for (const request of requests) entries.push(...(await this.audit.entries(request.id)));
    entries.sort((a, b) => b.seq - a.seq);
    const pages = Math.max(1, Math.ceil(entries.length / pageSize));
    const shown = Math.min(Math.max(0, Math.trunc(page)), pages - 1);
    const slice = entries.slice(shown * pageSize, (shown + 1) * pageSize);
    return {
      environment: requests[requests.length - 1].value.content.environment.name,
      entries: slice,
      page: shown,
      pages,
      total: entries.length,
      verdict: await this.audit.verifyEntries(slice),
    };
  }

  /** Who asked for any request of this environment (they may read its history). */
  async requesterIds(environment: string): Promise<Set<string>> {
    return new Set((await this.requests.listByEnvironment(environment)).map((request) => request.value.requester.objectId));
  }
}
