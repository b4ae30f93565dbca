/**
 * Teams refuses cards over 28 KB. These cases pin down what fits: every card with a realistic
 * request and a red error on every free-text field, and the largest 100-character-per-field lists.
 */
import { renderConnectedAppsStep } from '../../../cards/connected-apps-step.js';
import { renderEnvironmentStep } from '../../../cards/environment-step.js';
import { renderKeyVaultStep } from '../../../cards/key-vault-step.js';
import { renderReviewStep } from '../../../cards/review-step.js';
import type { SetupContent } from '../../../setup/model/content.js';
import { cardProblems, MAX_CARD_BYTES } from '../../harness/card-check.js';
import { bytesOf, errorsFor, errorTexts, hugeContent, identity, inputIds, realisticContent, REALISTIC_COUNTS, withFallbacks } from './card-walk.js';
import { ENGLISH } from '../../../i18n/translations.js';

type Errors = Record<string, string>;
const notice = { tone: 'attention', text: 'Fix the fields marked in red, then press Next.' } as const;
const steps = {
  environment: (content: SetupContent, errors: Errors) => renderEnvironmentStep({ identity, values: content.environment, errors, notice }, ENGLISH),
  keyVault: (content: SetupContent, errors: Errors) => renderKeyVaultStep({ identity, values: content.keyVault, errors, notice }, ENGLISH),
  connectedApps: (content: SetupContent, errors: Errors) => renderConnectedAppsStep({ identity, values: content.connectedApplications, errors, notice }, ENGLISH),
  review: (content: SetupContent, errors: Errors) => renderReviewStep({ identity, content, dryRun: true, errors, notice }, ENGLISH),
};
type StepName = keyof typeof steps;

/** An error on every free-text input (choice inputs only offer valid values) and every list; the review gets all the Key Vault ones. */
function withTextErrors(step: StepName, content: SetupContent) {
  const plain = steps[step](content, {});
  const ids = inputIds(plain).filter((id) => !/\.type$/.test(id) && id !== 'dryRun');
  return steps[step](content, errorsFor(step === 'review' ? inputIds(steps.keyVault(content, {})) : ids));
}

describe('card size', () => {
  test.each(Object.keys(steps) as StepName[])('the %s card of a realistic request, every field in error, parses and fits in 28 KB', (step) => {
    const card = withTextErrors(step, realisticContent());
    expect(errorTexts(card).length).toBeGreaterThan(0);
    expect(cardProblems(card)).toEqual([]);
    expect(cardProblems(withFallbacks(card))).toEqual([]);
  });

  test.each(Object.keys(steps) as StepName[])('the %s card of the largest request still parses (size aside)', (step) => {
    const card = withTextErrors(step, hugeContent());
    expect(cardProblems(card).filter((problem) => !problem.startsWith('size:'))).toEqual([]);
  });

  test.each<[StepName, Partial<typeof REALISTIC_COUNTS>]>([
    ['environment', { users: 12 }],
    ['keyVault', { items: 15, chains: 0 }],
    ['keyVault', { items: 10, chains: 1, members: 2 }],
    ['connectedApps', { apps: 12 }],
    ['review', { users: 20, items: 30, chains: 5, members: 5, apps: 10 }],
  ])('with 100-character values and every field in error, the %s card fits %j', (step, counts) => {
    expect(bytesOf(withTextErrors(step, hugeContent({ ...REALISTIC_COUNTS, ...counts })))).toBeLessThanOrEqual(MAX_CARD_BYTES);
  });
});
