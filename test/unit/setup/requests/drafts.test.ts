import type { Requester, SetupDraft } from '../../../../setup/model/draft.js';
import { DRAFTS, DraftStore } from '../../../../setup/requests/drafts.js';
import { emptySetupContent } from '../../../../setup/model/content.js';
import { ManualClock } from '../../../fixtures/clocks.js';
import { validSetupContent } from '../../../fixtures/setup-content.js';
import { openTempStore, type TempStore } from '../../../fixtures/temp-store.js';

const rita: Requester = { objectId: 'REQ-Rita', name: 'Rita Requester', tenantId: 'tenant-1' };

let temp: TempStore;
let clock: ManualClock;
let drafts: DraftStore;

beforeEach(async () => {
  temp = await openTempStore('setupbot-drafts-');
  clock = new ManualClock();
  drafts = new DraftStore(temp.store.repository(DRAFTS), clock);
});

afterEach(async () => {
  await temp.cleanup();
});

describe('DraftStore', () => {
  test('start opens an empty draft at step 1 with no origin', async () => {
    const draft = await drafts.start(rita, 'conversation-1');
    expect(draft.value).toMatchObject({ ownerId: 'req-rita', step: 'environment', revision: 0, dryRun: false, conversationId: 'conversation-1' });
    expect(draft.value.content).toEqual(emptySetupContent());
    expect(draft.value.origin).toBeUndefined();
  });

  test('startFrom opens a draft pre-filled with a copy of the content, remembering its origin', async () => {
    const content = validSetupContent();
    const draft = await drafts.startFrom(rita, 'conversation-1', { content, origin: { kind: 'resubmit', requestId: 'SR-0007' }, dryRun: true });
    expect(draft.value).toMatchObject({ ownerId: 'req-rita', step: 'environment', dryRun: true, origin: { kind: 'resubmit', requestId: 'SR-0007' }, createdAt: '2026-11-25T09:00:00.000Z' });
    expect(draft.value.content).toEqual(content);
    content.environment.name = 'changed at the source';
    expect((await drafts.get('req-rita'))?.value.content.environment.name).toBe('Contoso-UAT');
  });

  test('startFrom can open on another step, and replaces an earlier draft of the same owner', async () => {
    await drafts.start(rita, 'conversation-1');
    const draft = await drafts.startFrom(rita, 'conversation-2', { content: validSetupContent(), origin: { kind: 'resubmit', requestId: 'SR-0008' }, step: 'review' });
    expect(draft.value).toMatchObject({ step: 'review', conversationId: 'conversation-2', dryRun: false });
    expect((await drafts.get('REQ-RITA'))?.value.origin).toEqual({ kind: 'resubmit', requestId: 'SR-0008' });
  });

  test('a pre-filled draft keeps its origin through saves', async () => {
    const draft = await drafts.startFrom(rita, 'conversation-1', { content: validSetupContent(), origin: { kind: 'resubmit', requestId: 'SR-0009' } });
    const saved = await drafts.save(draft, { step: 'keyVault' });
    expect(saved.value.origin).toEqual({ kind: 'resubmit', requestId: 'SR-0009' });
  });
});
