import { readSetupSubmission } from '../../../cards/card-action.js';
import { renderConfirmDiscard, renderResumeOffer } from '../../../cards/draft-prompts.js';
import { cardProblems, cardText } from '../../harness/card-check.js';
import { actionData, executeValue, identity, submitValue, withFallbacks, type CardNode } from './card-walk.js';
import { ENGLISH } from '../../../i18n/translations.js';

describe('resume offer card', () => {
  const card = renderResumeOffer({ identity, environmentName: 'contoso-uat', step: 'keyVault', updatedAt: '2025-03-04T09:15:27.123Z' }, ENGLISH);

  test('passes the Adaptive Cards parser, also without Universal Actions', () => {
    expect(cardProblems(card)).toEqual([]);
    expect(cardProblems(withFallbacks(card))).toEqual([]);
  });

  test('says which setup, where it stopped and when, in the reader\'s own time format', () => {
    const text = cardText(card);
    expect(text).toContain('contoso-uat');
    expect(text).toContain('Step 2 of 4 · Key Vault');
    expect(text).toContain('{{DATE(2025-03-04T09:15:27Z, SHORT)}} {{TIME(2025-03-04T09:15:27Z)}}');
  });

  test('shows an unnamed draft as not named yet, and an unreadable date as given', () => {
    const text = cardText(renderResumeOffer({ identity, environmentName: '', step: 'environment', updatedAt: 'yesterday' }, ENGLISH));
    expect(text).toContain('(no name yet)');
    expect(text).toContain('Last changed yesterday');
  });

  test('offers Resume and Start over for this draft and revision, read back from either action shape', () => {
    const actions = card.actions as CardNode[];
    expect(actions.map((action) => [action.title, action.verb, action.style])).toEqual([
      ['Resume', 'setup.resume', 'positive'], ['Start over', 'setup.startOver', undefined],
    ]);
    for (const action of actions) {
      expect(actionData(action)).toMatchObject({ ...identity, card: 'resumeOffer' });
      expect(readSetupSubmission(executeValue(action))?.action).toEqual(actionData(action));
      expect(readSetupSubmission(submitValue(action))?.action).toEqual(actionData(action));
    }
  });
});

describe('confirm discard card', () => {
  const card = renderConfirmDiscard({ identity, environmentName: 'contoso-uat' }, ENGLISH);

  test('passes the Adaptive Cards parser, also without Universal Actions', () => {
    expect(cardProblems(card)).toEqual([]);
    expect(cardProblems(withFallbacks(card))).toEqual([]);
  });

  test('asks whether to discard the draft and names it', () => {
    expect((card.body as CardNode[])[0]).toMatchObject({ text: 'Discard this setup draft?' });
    expect(cardText(card)).toContain('contoso-uat');
  });

  test('offers Discard draft (destructive) and Keep editing, neither sending inputs', () => {
    const actions = card.actions as CardNode[];
    expect(actions.map((action) => [action.title, action.verb, action.style, action.associatedInputs])).toEqual([
      ['Discard draft', 'setup.discard', 'destructive', 'none'], ['Keep editing', 'setup.keep', undefined, 'none'],
    ]);
    expect(actions.map((action) => actionData(action))).toEqual([
      { verb: 'setup.discard', ...identity, card: 'confirmDiscard' }, { verb: 'setup.keep', ...identity, card: 'confirmDiscard' },
    ]);
    expect((actions[0].fallback as CardNode)).toMatchObject({ type: 'Action.Submit', style: 'destructive', associatedInputs: 'none' });
  });
});
