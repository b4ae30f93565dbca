/**
 * The history of one service environment: the audit entries of every request that set it up,
 * changed or retired it, newest first, in pages, with the chain verification of what is shown.
 */
import type { AuditEntry, AuditLog, ChainVerdict } from './audit.js';
import type { SetupRequests } from '../requests/setup-requests.js';

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

/** One entry in plain words: who did what, and the outcome. */
export function describeAuditEntry(entry: AuditEntry): string {
  const who = entry.actor.kind === 'user' ? entry.actor.name : 'setupbot';
  const details = entry.details;
  const comment = typeof details.comment === 'string' && details.comment ? ` — “${details.comment}”` : '';
  const forWhom = typeof details.onBehalfOf === 'string' && details.onBehalfOf ? ` for ${details.onBehalfOf}` : '';
  switch (entry.action) {
    case 'submitted': {
      const what = typeof details.change === 'string' && details.change ? details.change : `environment ${String(details.environment ?? '')}, Key Vault reference ${String(details.keyVaultReference ?? '')}, ${String(details.connectedApplications ?? 0)} connected app(s)`;
      return `Requested by ${who}: ${what}${details.dryRun === true ? ' (dry run)' : ''}`;
    }
    case 'approved':
      return details.status === 'submitted' ? `Approved by ${who}${forWhom} (${String(details.approvals)} of ${String(details.required)})${comment}` : `Approved by ${who}${forWhom}${comment}`;
    case 'rejected':
      return `Rejected by ${who}${forWhom}${comment}`;
    case 'reminder_sent':
      return `Reminder sent to ${String(details.recipients ?? 0)} approver(s) who had not decided`;
    case 'escalated':
      return `Escalated: the approval card went to ${String(details.members || 'no one new')}`;
    case 'cancelled':
      return `Cancelled by ${who}`;
    case 'expired':
      return 'Expired without enough approvals';
    case 'execution_started':
      return `${details.kind === 'change' ? 'Change' : details.kind === 'retire' ? 'Retirement' : 'Setup'} started (${String(details.steps ?? '?')} steps${details.dryRun === true ? ', dry run' : ''})`;
    case 'step_finished':
      return `${String(details.step ?? 'A step')}: ${details.outcome === 'ok' ? 'done' : details.outcome === 'warning' ? 'done with a warning' : 'failed'}`;
    case 'succeeded':
      return `Finished: succeeded${details.dryRun === true ? ' (dry run: nothing recorded)' : ''}`;
    case 'failed':
      return details.conflict === true ? 'Finished: not applied, the environment had changed in between' : 'Finished: failed';
    case 'resubmitted':
      return details.rebuilt === true ? `Rebuilt on the current version as ${String(details.as ?? '')} by ${who}` : `Resubmitted as ${String(details.as ?? '')} by ${who}`;
    default:
      return `${String(entry.action).replace(/_/g, ' ')} by ${who}`;
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
