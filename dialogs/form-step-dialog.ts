import { refusalText } from '../cards/policy-words.js';
import { TurnContext } from 'botbuilder';
import { ENGLISH_WORDS } from '../cards/words/commands.js';
import type { Words } from '../i18n/translations.js';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { renderRequestCard } from '../cards/request-card.js';
import type { CardInputs, Notice } from '../cards/form-view.js';
import { SETUP_VERBS, type SetupActionData } from '../cards/setup-actions.js';
import type { SetupDraft, SetupStep } from '../setup/model/draft.js';
import { applyListEdit, type ListEdit } from '../setup/model/list-edits.js';
import { setStringAt } from '../setup/model/paths.js';
import type { Versioned } from '../setup/ports.js';
import type { FieldError } from '../setup/rules/validation.js';
import { senderObjectIdOf } from '../turn/activity-identity.js';
import { turnLogger } from '../turn/turn-logger.js';
import { presentCard } from './card-presenter.js';
import { localeOf, wordsOf } from './turn-words.js';
import { say, sayText } from '../cards/words/domain-message.js';
import { domainMessage } from '../setup/model/messages.js';
import { checkClick, leaveDraft, showDraftCard, staleNotice, takeLeftDraft, type SetupDialogDeps, type StepOutcome } from './setup-context.js';
import { errorMap, withFixedIdentity, type FormStep } from './steps/form-step.js';

export interface StepOptions {
  notice?: Notice;
}

/** The notice over a card whose fields need a change, and over one where a pasted secret was blanked. */
export function fixNotice(words: Words): Notice {
  return { tone: 'attention', text: words.t('replies.notice.fix') };
}
export function secretNotice(words: Words): Notice {
  return { tone: 'attention', text: words.t('replies.notice.secret') };
}
/** The same in English (tests and tools). */
export const FIX_NOTICE: Notice = fixNotice(ENGLISH_WORDS);
export const SECRET_NOTICE: Notice = secretNotice(ENGLISH_WORDS);

const NO_NAMES_TAKEN = { existingEnvironmentNames: [], existingKeyVaultReferenceNames: [] } as const;

function pastedSecrets(errors: readonly FieldError[]): FieldError[] {
  return errors.filter((error) => error.code === 'pasted_secret');
}

/** The draft with every field that held a pasted secret emptied: such values are never stored. */
function withoutPastedSecrets(draft: SetupDraft, errors: readonly FieldError[]): SetupDraft {
  const secrets = pastedSecrets(errors);
  if (secrets.length === 0) return draft;
  const content = structuredClone(draft.content);
  for (const error of secrets) setStringAt(content, error.path, '');
  return { ...draft, content };
}

function listEditOf(action: SetupActionData): ListEdit | undefined {
  if (!action.list) return undefined;
  if (action.verb === SETUP_VERBS.add) return { op: 'add', list: action.list, chain: action.index };
  if (action.verb === SETUP_VERBS.remove && action.index !== undefined) {
    return { op: 'remove', list: action.list, index: action.index, member: action.member };
  }
  if (action.verb === SETUP_VERBS.move && action.list === 'chainCertificates' && action.index !== undefined && action.member !== undefined && action.direction) {
    return { op: 'move', list: 'chainCertificates', chain: action.index, member: action.member, direction: action.direction };
  }
  return undefined;
}

/** One step of the setup form as a dialog: shows its card, then handles the clicks on it. */
export class FormStepDialog extends Dialog<StepOptions> {
  constructor(
    dialogId: string,
    private readonly form: FormStep,
    private readonly deps: SetupDialogDeps,
  ) {
    super(dialogId);
  }

  override async beginDialog(dc: DialogContext, options?: StepOptions): Promise<DialogTurnResult> {
    const requesterId = senderObjectIdOf(dc.context.activity) ?? '';
    // the step clicked on left its changes: saved with this card's, in one write
    const left = takeLeftDraft(dc.context, requesterId);
    const draft = left?.draft ?? (await this.deps.drafts.get(requesterId));
    if (!draft) return dc.endDialog({ finished: 'abandoned' } satisfies StepOutcome);
    await this.show(dc, draft, left?.changes ?? {}, options?.notice);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const checked = await checkClick(dc.context, this.deps, this.form.step);
    if (!checked.ok) {
      if (checked.outcome === 'ended') return dc.endDialog({ finished: 'abandoned' } satisfies StepOutcome);
      if (checked.outcome === 'stale' && checked.draft) return dc.endDialog({ show: checked.draft.value.step, notice: staleNotice(wordsOf(dc.context)) } satisfies StepOutcome);
      return Dialog.EndOfTurn;
    }
    const { draft, action, inputs } = checked;
    const log = turnLogger(dc.context, this.deps.logger);
    log.info({ event: 'setup_click', step: this.form.step, verb: action.verb, list: action.list ?? null }, 'setup card action');

    switch (action.verb) {
      case SETUP_VERBS.add:
      case SETUP_VERBS.remove:
      case SETUP_VERBS.move:
        return this.editList(dc, draft, action, this.read(draft.value, inputs));
      case SETUP_VERBS.next:
        return this.next(dc, draft, this.read(draft.value, inputs));
      case SETUP_VERBS.back:
        return this.leave(dc, draft, draft.value, this.form.previous ?? this.form.step);
      case SETUP_VERBS.skip: {
        const skipped = { ...draft.value, content: { ...draft.value.content, connectedApplications: [] } };
        return this.leave(dc, draft, skipped, 'review');
      }
      case SETUP_VERBS.cancel:
        return dc.endDialog({ show: 'confirmDiscard', returnTo: this.form.step } satisfies StepOutcome);
      case SETUP_VERBS.edit:
        if (!action.section) break;
        return this.leave(dc, draft, { ...draft.value, returnToReview: true }, action.section);
      case SETUP_VERBS.submit:
        return this.submit(dc, draft, this.read(draft.value, inputs));
      default:
        break;
    }
    return dc.endDialog({ show: draft.value.step, notice: staleNotice(wordsOf(dc.context)) } satisfies StepOutcome);
  }

  /** The draft with this card's inputs applied; a change keeps its environment's identity. */
  private read(draft: SetupDraft, inputs: CardInputs): SetupDraft {
    return withFixedIdentity(this.form.read(draft, inputs));
  }

  private async show(dc: DialogContext, draft: Versioned<SetupDraft>, changes: Partial<SetupDraft>, notice?: Notice, errors: readonly FieldError[] = []): Promise<void> {
    await showDraftCard(dc.context, this.deps, draft, { ...changes, step: this.form.step }, (value, identity) =>
      this.form.render(value, identity, errorMap(wordsOf(dc.context), errors), wordsOf(dc.context), notice),
    );
  }

  private async editList(dc: DialogContext, draft: Versioned<SetupDraft>, action: SetupActionData, typed: SetupDraft): Promise<DialogTurnResult> {
    // only pasted secrets matter while a list is edited: no need to read which names are taken
    const secrets = pastedSecrets(this.form.validate(typed.content, NO_NAMES_TAKEN));
    const clean = withoutPastedSecrets(typed, secrets);
    const edit = listEditOf(action);
    const edited = edit ? applyListEdit(clean.content, edit) : { ok: false as const, reason: domainMessage('listEdit.buttonGone') };
    const notice: Notice | undefined = secrets.length > 0 ? secretNotice(wordsOf(dc.context)) : edited.ok ? undefined : { tone: 'warning', text: say(wordsOf(dc.context), edited.reason) };
    await this.show(dc, draft, { content: edited.ok ? edited.content : clean.content }, notice, secrets);
    return Dialog.EndOfTurn;
  }

  private async next(dc: DialogContext, draft: Versioned<SetupDraft>, typed: SetupDraft): Promise<DialogTurnResult> {
    const errors = this.form.validate(typed.content, await this.deps.requests.validationContextFor(typed.content, typed.origin));
    const clean = withoutPastedSecrets(typed, errors);
    if (errors.length > 0) {
      turnLogger(dc.context, this.deps.logger).info({ event: 'setup_invalid', step: this.form.step, fields: errors.map((error) => `${error.path}:${error.code}`) }, 'setup step has invalid fields');
      await this.show(dc, draft, { content: clean.content }, pastedSecrets(errors).length > 0 ? secretNotice(wordsOf(dc.context)) : fixNotice(wordsOf(dc.context)), errors);
      return Dialog.EndOfTurn;
    }
    const target: SetupStep = clean.returnToReview ? 'review' : (this.form.next ?? 'review');
    return this.leave(dc, draft, clean, target);
  }

  private async leave(dc: DialogContext, draft: Versioned<SetupDraft>, next: SetupDraft, target: SetupStep): Promise<DialogTurnResult> {
    const returnToReview = target === 'review' ? false : next.returnToReview;
    // saved by the target step's card, shown next in this turn (every target is a form step)
    leaveDraft(dc.context, { draft, changes: { content: next.content, dryRun: next.dryRun, returnToReview, step: target } });
    return dc.endDialog({ show: target } satisfies StepOutcome);
  }

  /**
   * The environment moved on while this change was written: the change is laid over the current
   * version and shown again for review (what no longer applies is said), never submitted blind.
   */
  private async rebase(dc: DialogContext, draft: Versioned<SetupDraft>, stale: { currentRevision: number; changedBy: string[] }): Promise<DialogTurnResult> {
    const rebased = await this.deps.requests.rebaseChangeDraft(draft);
    if (!rebased.ok) {
      const words = wordsOf(dc.context);
      await this.show(dc, draft, {}, { tone: 'attention', text: words.t('replies.notice.notSubmitted', { reason: say(words, rebased.message) }) });
      return Dialog.EndOfTurn;
    }
    const name = rebased.record.environment.name;
    const words = wordsOf(dc.context);
    const skipped = rebased.skipped.length > 0 ? ` ${words.t('replies.notice.leftOut', { reasons: rebased.skipped.map((entry) => say(words, entry.reason)).join('; ') })}` : '';
    turnLogger(dc.context, this.deps.logger).info({ event: 'change_rebased', environment: name, revision: stale.currentRevision, skipped: rebased.skipped.length }, 'change draft rebuilt on the current version');
    const changed = stale.changedBy.length > 0
      ? words.t('replies.notice.rebasedBy', { environment: name, version: stale.currentRevision, by: stale.changedBy.join(', ') })
      : words.t('replies.notice.rebased', { environment: name, version: stale.currentRevision });
    const text = `${changed}${skipped}`;
    await this.show(dc, rebased.draft, {}, { tone: 'warning', text });
    return Dialog.EndOfTurn;
  }

  private async submit(dc: DialogContext, draft: Versioned<SetupDraft>, typed: SetupDraft): Promise<DialogTurnResult> {
    const saved = await this.deps.drafts.save(draft, { dryRun: typed.dryRun });
    const reference = TurnContext.getConversationReference(dc.context.activity);
    const outcome = await this.deps.requests.submit(saved, JSON.parse(JSON.stringify(reference)) as Record<string, unknown>);
    if (!outcome.ok && outcome.stale) return this.rebase(dc, saved, outcome.stale);
    if (!outcome.ok) {
      const words = wordsOf(dc.context);
      const text = outcome.refusal
        ? words.t('replies.notice.notSubmitted', { reason: refusalText(outcome.refusal, words) })
        : words.t('replies.notice.cannotSubmitYet');
      await this.show(dc, saved, {}, { tone: 'attention', text }, outcome.errors);
      return Dialog.EndOfTurn;
    }
    const { request } = outcome;
    turnLogger(dc.context, this.deps.logger).info({ event: 'request_submitted', requestId: request.value.id, dryRun: request.value.dryRun }, 'setup request submitted');
    const messageId = await presentCard(dc.context, renderRequestCard({ request: request.value, viewer: 'requester' }, wordsOf(dc.context)));
    this.deps.onSubmitted?.(request, messageId ? { conversationId: dc.context.activity.conversation.id, activityId: messageId, ...localeOf(dc.context) } : undefined);
    return dc.endDialog({ finished: 'submitted' } satisfies StepOutcome);
  }
}
