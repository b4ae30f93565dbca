import type { CardInputs, ChangeMode, ErrorMap, Notice } from '../../cards/form-view.js';
import { pinIdentity } from '../../setup/requests/change-requests.js';
import { changeOrigin } from '../../setup/model/draft.js';
import type { AdaptiveCardJson } from '../../cards/render.js';
import type { CardIdentity } from '../../cards/setup-actions.js';
import type { SetupDraft, SetupStep } from '../../setup/model/draft.js';
import type { SetupContent } from '../../setup/model/content.js';
import type { FieldError, ValidationContext } from '../../setup/rules/validation.js';
import type { Words } from '../../i18n/translations.js';
import { say } from '../../cards/words/domain-message.js';

/** What a step of the setup form knows: how to draw its card, read it back and check it. */
export interface FormStep {
  readonly step: SetupStep;
  render(draft: SetupDraft, identity: CardIdentity, errors: ErrorMap, words: Words, notice?: Notice): AdaptiveCardJson;
  /** The draft with this card's inputs applied (absent inputs keep their value). */
  read(draft: SetupDraft, inputs: CardInputs): SetupDraft;
  validate(content: SetupContent, context: ValidationContext): FieldError[];
  readonly previous?: SetupStep;
  readonly next?: SetupStep;
}

/** First message per path, for the card, in the reader's words. */
export function errorMap(words: Words, errors: readonly FieldError[]): ErrorMap {
  const map: Record<string, string> = {};
  for (const error of errors) map[error.path] ??= say(words, error.message);
  return map;
}

/** The environment and version a change draft is built on; undefined for a new setup. */
export function changeModeOf(draft: SetupDraft): ChangeMode | undefined {
  const change = changeOrigin(draft.origin);
  return change ? { environment: change.environment, baseRevision: change.baseRevision } : undefined;
}

/** A change keeps what identifies its environment, whatever a card sent: read values pass through this. */
export function withFixedIdentity(draft: SetupDraft): SetupDraft {
  const change = changeOrigin(draft.origin);
  return change ? { ...draft, content: pinIdentity(draft.content, change.before) } : draft;
}
