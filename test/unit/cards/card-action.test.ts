import { COMMENT_MAX, readRequestSubmission } from '../../../cards/request-actions.js';
import { clickOf, executeWithFallback } from '../../../cards/card-payload.js';
import { readSetupSubmission, setupAction } from '../../../cards/card-action.js';
import { SETUP_VERBS, type SetupActionData } from '../../../cards/setup-actions.js';
import { executeValue, identity, submitValue, type CardNode } from './card-walk.js';

const removeMember: SetupActionData = {
  verb: SETUP_VERBS.move, ...identity, card: 'keyVault', list: 'chainCertificates', index: 1, member: 2, direction: 'up',
};

describe('setupAction', () => {
  test('is an Action.Execute with the verb and the action data, falling back to an Action.Submit with the same title and data', () => {
    const action = setupAction('Up', removeMember);
    expect(action).toEqual({
      type: 'Action.Execute', verb: 'setup.move', title: 'Up', data: removeMember,
      fallback: { type: 'Action.Submit', title: 'Up', data: removeMember },
    });
  });

  test('carries style and inputs none to both the Execute and its fallback', () => {
    const action = setupAction('Discard draft', { verb: SETUP_VERBS.discard, ...identity, card: 'confirmDiscard' }, { style: 'destructive', inputs: 'none' });
    expect(action).toMatchObject({ style: 'destructive', associatedInputs: 'none' });
    expect(action.fallback).toMatchObject({ type: 'Action.Submit', style: 'destructive', associatedInputs: 'none' });
  });

  test('sends the inputs by default and leaves out optional fields that are not set', () => {
    const action = setupAction('Next', { verb: SETUP_VERBS.next, ...identity, card: 'environment', list: undefined });
    expect(action).not.toHaveProperty('associatedInputs');
    expect(Object.keys(action.data as CardNode)).toEqual(['verb', 'draft', 'rev', 'card']);
  });
});

describe('readSetupSubmission', () => {
  const action = setupAction('Up', removeMember) as CardNode;
  const typed = { 'keyVault.name': 'contoso-kv', 'keyVault.chains[1].certificates[2]': 'signer' };

  test('reads an Action.Execute invoke value: the action data, and the other keys as inputs', () => {
    expect(readSetupSubmission(executeValue(action, typed))).toEqual({ action: removeMember, inputs: typed });
  });

  test('reads the Action.Submit fallback message value the same way', () => {
    expect(readSetupSubmission(submitValue(action, typed))).toEqual({ action: removeMember, inputs: typed });
  });

  test('takes the verb of an Execute from the action when the data has none', () => {
    const value = { action: { type: 'Action.Execute', verb: 'setup.next', data: { draft: identity.draft, rev: 3, card: 'environment' } } };
    expect(readSetupSubmission(value)?.action).toEqual({ verb: 'setup.next', draft: identity.draft, rev: 3, card: 'environment' });
  });

  test('reads edit sections and an empty set of inputs', () => {
    const edit = { verb: 'setup.edit', draft: 'd', rev: 0, card: 'review', section: 'connectedApps' };
    expect(readSetupSubmission(edit)).toEqual({ action: edit, inputs: {} });
  });

  const valid = { verb: 'setup.next', draft: identity.draft, rev: 4, card: 'environment' };
  test.each<[string, unknown]>([
    ['null', null],
    ['an array', [valid]],
    ['a string', 'setup.next'],
    ['an unknown verb', { ...valid, verb: 'setup.launch' }],
    ['a missing verb', { ...valid, verb: undefined }],
    ['a missing draft', { ...valid, draft: undefined }],
    ['an empty draft', { ...valid, draft: '' }],
    ['a missing rev', { ...valid, rev: undefined }],
    ['a rev that is a string', { ...valid, rev: '4' }],
    ['a fractional rev', { ...valid, rev: 1.5 }],
    ['a negative rev', { ...valid, rev: -1 }],
    ['an unknown card', { ...valid, card: 'approval' }],
    ['a missing card', { ...valid, card: undefined }],
    ['an unknown list', { ...valid, list: 'secrets' }],
    ['an index that is a string', { ...valid, index: '0' }],
    ['a member that is negative', { ...valid, member: -2 }],
    ['a sideways direction', { ...valid, direction: 'left' }],
    ['an unknown section', { ...valid, section: 'approvals' }],
    ['an Execute whose data is an array', { action: { type: 'Action.Execute', verb: 'setup.next', data: [valid] } }],
    ['an Execute whose data is missing', { action: { type: 'Action.Execute', verb: 'setup.next' } }],
    ['an Execute whose verb disagrees with its data', { action: { type: 'Action.Execute', verb: 'setup.submit', data: valid } }],
    ['another action type', { action: { type: 'Action.OpenUrl', verb: 'setup.next', data: valid } }],
  ])('refuses %s', (_label, payload) => {
    expect(readSetupSubmission(payload)).toBeUndefined();
  });
});

describe('the one reader of card clicks (cards/card-payload.ts)', () => {
  it('reads an Action.Execute invoke value and an Action.Submit message value alike', () => {
    expect(clickOf({ action: { type: 'Action.Execute', verb: 'approve', data: { verb: 'approve', requestId: 'SR-0001' } } })).toEqual({ verb: 'approve', data: { verb: 'approve', requestId: 'SR-0001' } });
    expect(clickOf({ verb: 'approve', requestId: 'SR-0001' })).toEqual({ verb: 'approve', data: { verb: 'approve', requestId: 'SR-0001' } });
  });

  it('refuses other action types, a verb that disagrees with its data, and shapes that are not clicks', () => {
    expect(clickOf({ action: { type: 'Action.Submit', verb: 'approve', data: {} } })).toBeUndefined();
    expect(clickOf({ action: { verb: 'approve', data: { verb: 'reject' } } })).toBeUndefined();
    expect(clickOf({ action: { verb: 7, data: {} } })).toBeUndefined();
    expect(clickOf({ action: { verb: 'approve', data: [] } })).toBeUndefined();
    for (const payload of [undefined, null, 'approve', 42, [], { requestId: 'SR-0001' }]) expect(clickOf(payload)).toBeUndefined();
  });

  it('builds buttons whose fallback posts the same data as the Action.Execute', () => {
    const button = executeWithFallback('Approve', { verb: 'approve', requestId: 'SR-0001' }, { style: 'positive', associatedInputs: 'none' });
    expect(button).toEqual({
      type: 'Action.Execute',
      verb: 'approve',
      title: 'Approve',
      data: { verb: 'approve', requestId: 'SR-0001' },
      style: 'positive',
      associatedInputs: 'none',
      fallback: { type: 'Action.Submit', title: 'Approve', data: { verb: 'approve', requestId: 'SR-0001' }, style: 'positive', associatedInputs: 'none' },
    });
    expect(clickOf((button.fallback as Record<string, unknown>).data)).toEqual({ verb: 'approve', data: { verb: 'approve', requestId: 'SR-0001' } });
  });
});

describe('the request-card reader', () => {
  const click = (data: Record<string, unknown>) => ({ action: { type: 'Action.Execute', verb: 'request.cancel', data: { verb: 'request.cancel', requestId: 'SR-0001', v: 2, ...data } } });

  it('reads a click without a comment box as no comment', () => {
    expect(readRequestSubmission(click({}))).toEqual({ action: { verb: 'request.cancel', requestId: 'SR-0001', v: 2 }, comment: '' });
  });

  it('trims and caps a comment, and takes anything but text as no comment', () => {
    expect(readRequestSubmission(click({ comment: '  Wrong vault  ' }))?.comment).toBe('Wrong vault');
    expect(readRequestSubmission(click({ comment: 'x'.repeat(COMMENT_MAX + 50) }))?.comment).toHaveLength(COMMENT_MAX);
    expect(readRequestSubmission(click({ comment: { nested: true } }))?.comment).toBe('');
  });

  it('refuses a malformed request id or version', () => {
    for (const data of [{ requestId: 'SR-1' }, { requestId: 'sr-0001 ' }, { v: 0 }, { v: 1.5 }, { v: '2' }]) expect(readRequestSubmission(click(data))).toBeUndefined();
  });
});
