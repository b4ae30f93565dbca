import { MessageFactory } from 'botbuilder';
import { renderApprovalReminder } from '../cards/approval-reminder.js';
import { cardAttachment } from '../cards/render.js';
import type { Clock, Failpoint, GroupDirectory, Logger, Versioned } from '../setup/ports.js';
import type { FollowUp, SetupRequest } from '../setup/model/request.js';
import type { PolicyPrincipal } from '../setup/policy/policy-model.js';
import { pendingRecipients, planFollowUps, timeLeftMs, unsentFollowUps, type FollowUpPlan } from '../setup/policy/reminders.js';
import type { SetupRequests } from '../setup/requests/setup-requests.js';
import type { RequestCards } from './request-cards.js';
import { PeriodicPass } from './periodic-pass.js';

export interface ApprovalReminderWatchDeps {
  requests: SetupRequests;
  cards: RequestCards;
  /** Members of escalation groups; without it only the users an escalation names are reached. */
  groups?: GroupDirectory;
  clock: Clock;
  logger: Logger;
  /** Several instances: a pass runs on the instance that claims it (a lease for the interval). */
  claimPass?: () => Promise<boolean>;
  /** Crash tests: `reminders.afterRecord` (recorded, nothing queued yet), `reminders.afterQueue` (queued, not marked sent). */
  failpoint?: Failpoint;
}

/**
 * Reminders and escalation of pending requests, on a timer like the expiry sweep. Each point of
 * a request's rule is recorded on the request (compare-and-set, with its audit entry) before
 * anything is sent, then queued in the outbox under idempotency keys and marked sent: a restart
 * or a second instance finds it recorded and never sends it twice; a stop between recording and
 * queueing is finished by the next pass.
 */
export class ApprovalReminderWatch {
  private readonly periodic = new PeriodicPass(() => this.pass());
  private warnedNoDirectory = false;

  constructor(private readonly deps: ApprovalReminderWatchDeps) {}

  start(intervalMs: number): void {
    this.periodic.start(intervalMs);
  }

  stop(): void {
    this.periodic.stop();
  }

  /** One pass; resolves with how many reminders and escalations it sent. Overlapping calls share one pass. */
  check(): Promise<number> {
    return this.periodic.run();
  }

  private async pass(): Promise<number> {
    try {
      if (this.deps.claimPass && !(await this.deps.claimPass())) return 0;
      let sent = 0;
      for (const request of await this.deps.requests.pending()) sent += await this.followUp(request);
      return sent;
    } catch (error) {
      this.deps.logger.error({ event: 'approval_reminders_failed', err: error }, 'reminder and escalation check failed; will try again');
      return 0;
    }
  }

  private async followUp(request: Versioned<SetupRequest>): Promise<number> {
    const plan = planFollowUps(request.value, this.deps.clock.now());
    let current: SetupRequest = request.value;
    if (plan.reminder || plan.escalation || plan.passedOver.length > 0) {
      const members = plan.escalation ? await this.escalationMembers(request.value) : [];
      if (members === undefined) {
        // the directory could not be read: the escalation waits for the next pass, the reminder does not
        delete plan.escalation;
      }
      const recorded = await this.deps.requests.recordFollowUps(request.id, plan as FollowUpPlan, members ?? []);
      if (recorded) this.deps.failpoint?.('reminders.afterRecord');
      current = recorded?.value ?? (await this.deps.requests.get(request.id))?.value ?? current;
    }
    let sent = 0;
    for (const followUp of unsentFollowUps(current)) {
      await this.deliver(current, followUp);
      this.deps.failpoint?.('reminders.afterQueue');
      await this.deps.requests.markFollowUpSent(current.id, followUp.point);
      sent += 1;
    }
    return sent;
  }

  /**
   * Queues a recorded follow-up for everyone it has not reached yet: a first time, or after a
   * stop (then the ones the outbox already delivered are skipped, and one still queued is not
   * queued twice: same idempotency key).
   */
  private async deliver(recorded: SetupRequest, followUp: FollowUp): Promise<void> {
    const request = (await this.deps.requests.get(recorded.id))?.value ?? recorded;
    const current = (request.followUps ?? []).find((candidate) => candidate.point === followUp.point) ?? followUp;
    const recipients = pendingRecipients(request, current);
    const log = this.deps.logger.child({ requestId: request.id });
    if (followUp.kind === 'escalation') {
      await this.deps.cards.publishEscalation(request, followUp.point, recipients, followUp.names ?? {});
      log.info({ event: 'approval_escalated', point: followUp.point, to: recipients }, 'escalation: approval card sent to the escalation members');
      return;
    }
    const decided = new Set(request.approvals.map((decision) => decision.objectId));
    const left = timeLeftMs(request, this.deps.clock.now());
    const to = recipients.filter((id) => !decided.has(id));
    for (const approverId of to) {
      // in the approver's language (their chat's last locale, else SETUPBOT_DEFAULT_LOCALE)
      const activity = MessageFactory.attachment(cardAttachment(renderApprovalReminder({ request, timeLeftMs: left }, await this.deps.cards.wordsOfPerson(approverId))));
      await this.deps.cards.sendToPerson(request, {
        userId: approverId,
        activity,
        what: `approval reminder ${request.id} to ${approverId}`,
        purpose: { kind: 'approvalReminder', requestId: request.id, point: followUp.point, approverId },
        idempotencyKey: `reminder:${request.id}:${followUp.point}:${approverId}`,
      });
    }
    log.info({ event: 'approval_reminder_sent', point: followUp.point, to }, 'approval reminder sent to approvers who have not decided');
  }

  /** The people an escalation names, groups resolved through the directory; undefined when a group could not be read. */
  private async escalationMembers(request: SetupRequest): Promise<{ id: string; name: string }[] | undefined> {
    const principals: PolicyPrincipal[] = request.rule?.escalation?.to ?? [];
    const members: { id: string; name: string }[] = [];
    for (const principal of principals) {
      if (principal.kind === 'user') {
        members.push({ id: principal.id.toLowerCase(), name: principal.name ?? '' });
        continue;
      }
      if (!this.deps.groups) {
        if (!this.warnedNoDirectory) this.deps.logger.warn({ event: 'escalation_group_unresolved', group: principal.id }, 'an escalation names a group, but no group directory is configured: only the users it names are reached');
        this.warnedNoDirectory = true;
        continue;
      }
      try {
        const read = await this.deps.groups.members(principal.id);
        // never read yet: the escalation waits for the next pass (a stale read is used as it stands)
        if (!read.known) return undefined;
        for (const member of read.users) members.push({ id: member.id.toLowerCase(), name: member.name });
      } catch (error) {
        this.deps.logger.warn({ event: 'escalation_group_unreadable', requestId: request.id, group: principal.id, err: error }, 'the escalation group could not be read; the escalation waits for the next pass');
        return undefined;
      }
    }
    return members;
  }
}
