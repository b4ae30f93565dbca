import { AUDIT_ENTRIES, AUDIT_HEAD, AuditLog, GENESIS_HASH, hashOf, verifyAuditChain, type AuditEntry } from '../../../../setup/audit/audit.js';
import type { Repository } from '../../../../setup/ports.js';
import { domainMessage } from '../../../../setup/model/messages.js';
import { TickingClock } from '../../../fixtures/clocks.js';
import { openTempStore, type TempStore } from '../../../fixtures/temp-store.js';

interface Head {
  seq: number;
  hash: string;
}

/** The id the log stores an entry under (its sequence number, zero-padded to 10 digits). */
const entryId = (seq: number): string => String(seq).padStart(10, '0');

let temp: TempStore;
let entriesRepo: Repository<AuditEntry, 'request'>;
let headRepo: Repository<Head>;
let clock: TickingClock;
let log: AuditLog;

beforeEach(async () => {
  temp = await openTempStore('setupbot-audit-');
  entriesRepo = temp.store.repository(AUDIT_ENTRIES);
  headRepo = temp.store.repository(AUDIT_HEAD);
  clock = new TickingClock();
  log = new AuditLog(temp.store, clock);
});

afterEach(async () => {
  await temp.cleanup();
});

const alice = { kind: 'user', objectId: 'a1', name: 'Alice' } as const;

async function appendFive(): Promise<AuditEntry[]> {
  await log.append('SR-0001', 'submitted', alice, { environment: 'Contoso-UAT', dryRun: false });
  await log.append('SR-0001', 'approved', { kind: 'user', objectId: 'b2', name: 'Bob' }, { comment: null, approvals: 1 });
  await log.append('SR-0001', 'execution_started', { kind: 'system' }, { steps: 3 });
  await log.append('SR-0002', 'submitted', alice);
  await log.append('SR-0001', 'succeeded', { kind: 'system' }, { dryRun: false });
  return log.entries();
}

/** A deep copy, so tampering with it never touches what the log returned. */
const copy = (entries: AuditEntry[]): AuditEntry[] => structuredClone(entries);

describe('audit entries', () => {
  test('are numbered 1..n, the first links to GENESIS and each links to the hash of the one before', async () => {
    const entries = await appendFive();
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0].prevHash).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
    for (let index = 1; index < entries.length; index += 1) expect(entries[index].prevHash).toBe(entries[index - 1].hash);
    for (const entry of entries) {
      expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.hash).toBe(hashOf(entry));
    }
    expect(new Set(entries.map((entry) => entry.hash)).size).toBe(5);
  });

  test('keep what was appended: request, action, actor, details and the clock time', async () => {
    const entry = await log.append('SR-0007', 'rejected', alice, { comment: 'wrong vault' });
    expect(entry).toMatchObject({ seq: 1, requestId: 'SR-0007', action: 'rejected', actor: alice, details: { comment: 'wrong vault' } });
    expect(entry.at).toBe('2026-11-25T09:00:01.000Z');
    expect(await log.entries()).toEqual([entry]);
  });

  test('can be read for one request only, in order', async () => {
    await appendFive();
    const first = await log.entries('SR-0001');
    expect(first.map((entry) => [entry.seq, entry.action])).toEqual([
      [1, 'submitted'],
      [2, 'approved'],
      [3, 'execution_started'],
      [5, 'succeeded'],
    ]);
    expect((await log.entries('SR-0002')).map((entry) => entry.seq)).toEqual([4]);
    expect(await log.entries('SR-9999')).toEqual([]);
  });

  test('a hash does not depend on the order of keys in the entry', () => {
    const entry = { seq: 1, at: '2026-11-25T09:00:00.000Z', requestId: 'SR-0001', action: 'submitted', actor: alice, details: { b: 1, a: 'x' }, prevHash: GENESIS_HASH } as const;
    const reordered = { prevHash: GENESIS_HASH, details: { a: 'x', b: 1 }, actor: { name: 'Alice', objectId: 'a1', kind: 'user' }, action: 'submitted', requestId: 'SR-0001', at: entry.at, seq: 1 } as const;
    expect(hashOf(reordered)).toBe(hashOf(entry));
    expect(hashOf({ ...entry, details: { b: 2, a: 'x' } })).not.toBe(hashOf(entry));
  });
});

describe('verifyAuditChain', () => {
  test('accepts an untouched chain and an empty one', async () => {
    const entries = await appendFive();
    expect(verifyAuditChain(entries)).toEqual({ ok: true, entries: 5 });
    expect(await log.verify()).toEqual({ ok: true, entries: 5 });
    expect(verifyAuditChain([])).toEqual({ ok: true, entries: 0 });
  });

  test("a change's summary stored as a message verifies after a restart, next to an older entry's English summary, and an edit inside it is detected", async () => {
    const summary = domainMessage('diff.summary.change', {
      environment: 'Contoso-UAT',
      version: 3,
      changes: domainMessage('diff.summary.item', { kind: 'added', what: domainMessage('diff.row', { list: 'users', row: 'carol (carol@contoso.com)' }) }),
    });
    // an entry written before summaries were messages holds the English sentence
    await log.append('SR-0001', 'submitted', alice, { environment: 'Contoso-UAT', kind: 'change', change: 'change to Contoso-UAT (version 2): added user bob (bob@contoso.com)' });
    await log.append('SR-0002', 'submitted', alice, { environment: 'Contoso-UAT', kind: 'change', change: summary });
    const reopened = new AuditLog(await temp.reopen(), clock);
    const entries = await reopened.entries();
    expect(entries.map((entry) => entry.details.change)).toEqual(['change to Contoso-UAT (version 2): added user bob (bob@contoso.com)', summary]);
    expect(await reopened.verify()).toEqual({ ok: true, entries: 2 });
    const edited = copy(entries);
    const forged = structuredClone(summary) as unknown as { params: { changes: { params: { kind: string } } } };
    forged.params.changes.params.kind = 'removed';
    edited[1] = { ...edited[1], details: { ...edited[1].details, change: forged as unknown as typeof summary } };
    expect(verifyAuditChain(edited)).toEqual({ ok: false, seq: 2, reason: domainMessage('audit.edited') });
  });

  test('detects an edited entry at its own sequence number', async () => {
    const entries = copy(await appendFive());
    entries[2] = { ...entries[2], details: { steps: 4 } };
    expect(verifyAuditChain(entries)).toEqual({ ok: false, seq: 3, reason: domainMessage('audit.edited') });
  });

  test('detects an edited actor or time as well as edited details', async () => {
    const byActor = copy(await appendFive());
    byActor[1] = { ...byActor[1], actor: { kind: 'user', objectId: 'b2', name: 'Mallory' } };
    expect(verifyAuditChain(byActor)).toMatchObject({ ok: false, seq: 2 });
    const byTime = copy(await log.entries());
    byTime[0] = { ...byTime[0], at: '2020-01-01T00:00:00.000Z' };
    expect(verifyAuditChain(byTime)).toMatchObject({ ok: false, seq: 1 });
  });

  test('detects a removed entry as a gap', async () => {
    const entries = copy(await appendFive());
    entries.splice(1, 1);
    expect(verifyAuditChain(entries)).toEqual({ ok: false, seq: 2, reason: domainMessage('audit.missingFound', { entry: 2, found: 3 }) });
  });

  test('detects a removed entry even when the later ones are renumbered to close the gap', async () => {
    const entries = copy(await appendFive());
    entries.splice(1, 1);
    const renumbered = entries.map((entry, index) => ({ ...entry, seq: index + 1 }));
    expect(verifyAuditChain(renumbered)).toMatchObject({ ok: false, seq: 2 });
  });

  test('detects two entries swapped', async () => {
    const entries = copy(await appendFive());
    [entries[1], entries[2]] = [entries[2], entries[1]];
    expect(verifyAuditChain(entries)).toMatchObject({ ok: false, seq: 2 });
  });

  test('detects two entries swapped with their sequence numbers swapped back', async () => {
    const entries = copy(await appendFive());
    const [second, third] = [entries[1], entries[2]];
    entries[1] = { ...third, seq: 2 };
    entries[2] = { ...second, seq: 3 };
    expect(verifyAuditChain(entries)).toEqual({ ok: false, seq: 2, reason: domainMessage('audit.notLinked') });
  });

  test('detects a forged entry whose hash was recomputed, at the next entry', async () => {
    const entries = copy(await appendFive());
    const { hash: _ignored, ...unsigned } = { ...entries[1], details: { comment: 'forged', approvals: 1 } };
    entries[1] = { ...unsigned, hash: hashOf(unsigned) };
    expect(verifyAuditChain(entries)).toEqual({ ok: false, seq: 3, reason: domainMessage('audit.notLinked') });
  });

  test('detects a hash replaced by another value', async () => {
    const entries = copy(await appendFive());
    entries[3] = { ...entries[3], hash: 'f'.repeat(64) };
    expect(verifyAuditChain(entries)).toEqual({ ok: false, seq: 4, reason: domainMessage('audit.edited') });
  });

  test('detects a first entry that does not start from GENESIS', async () => {
    const entries = copy(await appendFive());
    const { hash: _ignored, ...unsigned } = { ...entries[0], prevHash: 'a'.repeat(64) };
    entries[0] = { ...unsigned, hash: hashOf(unsigned) };
    expect(verifyAuditChain(entries)).toEqual({ ok: false, seq: 1, reason: domainMessage('audit.notLinked') });
  });

  test('AuditLog.verify sees an entry edited in the data file', async () => {
    await appendFive();
    const stored = await entriesRepo.get(entryId(2));
    if (!stored) throw new Error('entry 2 not stored');
    await entriesRepo.update(stored.id, stored.version, { details: { comment: 'rewritten', approvals: 1 } });
    expect(await log.verify()).toEqual({ ok: false, seq: 2, reason: domainMessage('audit.edited') });
  });

  test('AuditLog.verify sees an entry removed from the data file', async () => {
    await appendFive();
    const stored = await entriesRepo.get(entryId(3));
    if (!stored) throw new Error('entry 3 not stored');
    await entriesRepo.remove(stored.id, stored.version);
    expect(await log.verify()).toEqual({ ok: false, seq: 3, reason: domainMessage('audit.missingFound', { entry: 3, found: 4 }) });
  });

  test('AuditLog.verify sees the newest entries removed (the chain alone still links)', async () => {
    await appendFive();
    for (const seq of [5, 4]) {
      const stored = await entriesRepo.get(entryId(seq));
      if (!stored) throw new Error(`entry ${seq} not stored`);
      await entriesRepo.remove(stored.id, stored.version);
    }
    expect(verifyAuditChain(await log.entries())).toEqual({ ok: true, entries: 3 });
    expect(await log.verify()).toMatchObject({ ok: false, seq: 4, reason: expect.objectContaining({ code: 'audit.truncated', params: expect.objectContaining({ head: 5 }) }) });
  });
});

describe('AuditLog.append', () => {
  test('20 concurrent appends give 20 contiguous entries that verify', async () => {
    const appended = await Promise.all(
      Array.from({ length: 20 }, (_, index) => log.append(`SR-${String(index + 1).padStart(4, '0')}`, 'submitted', { kind: 'system' }, { index })),
    );
    expect(appended.map((entry) => entry.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    const entries = await log.entries();
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(new Set(entries.map((entry) => entry.details.index)).size).toBe(20);
    expect(await log.verify()).toEqual({ ok: true, entries: 20 });
    expect((await headRepo.get('head'))?.value).toEqual({ seq: 20, hash: entries[19].hash });
  });

  test('concurrent appends from two logs over the same store still give one contiguous chain', async () => {
    const other = new AuditLog(temp.store, clock);
    await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? log : other).append('SR-0001', 'step_finished', { kind: 'system' }, { index })));
    expect(await log.verify()).toEqual({ ok: true, entries: 10 });
  });

  test('repairs a crash between creating an entry and moving the head, without a gap or a duplicate', async () => {
    await log.append('SR-0001', 'submitted', alice);
    const last = await log.append('SR-0001', 'approved', alice);
    // the crashed writer created entry 3 but never moved the head
    const orphanUnsigned = { seq: 3, at: '2026-11-25T10:00:00.000Z', requestId: 'SR-0001', action: 'execution_started' as const, actor: { kind: 'system' as const }, details: { steps: 3 }, prevHash: last.hash };
    const orphan: AuditEntry = { ...orphanUnsigned, hash: hashOf(orphanUnsigned) };
    await entriesRepo.create(entryId(3), orphan);
    expect((await headRepo.get('head'))?.value.seq).toBe(2);

    const next = await log.append('SR-0001', 'step_finished', { kind: 'system' }, { step: 'Verify Key Vault reference', outcome: 'ok' });

    expect(next.seq).toBe(4);
    expect(next.prevHash).toBe(orphan.hash);
    const entries = await log.entries();
    expect(entries.map((entry) => [entry.seq, entry.action])).toEqual([
      [1, 'submitted'],
      [2, 'approved'],
      [3, 'execution_started'],
      [4, 'step_finished'],
    ]);
    expect(await log.verify()).toEqual({ ok: true, entries: 4 });
    expect((await headRepo.get('head'))?.value).toEqual({ seq: 4, hash: next.hash });
  });

  test('repairs a crash right after the very first entry was created', async () => {
    const firstUnsigned = { seq: 1, at: '2026-11-25T10:00:00.000Z', requestId: 'SR-0001', action: 'submitted' as const, actor: alice, details: {}, prevHash: GENESIS_HASH };
    await entriesRepo.create(entryId(1), { ...firstUnsigned, hash: hashOf(firstUnsigned) });
    const next = await log.append('SR-0001', 'cancelled', alice);
    expect(next.seq).toBe(2);
    expect(await log.verify()).toEqual({ ok: true, entries: 2 });
  });

  test('onAppend listeners get each appended entry exactly once', async () => {
    const first: AuditEntry[] = [];
    const second: number[] = [];
    log.onAppend((entry) => first.push(entry));
    log.onAppend((entry) => second.push(entry.seq));
    await Promise.all(Array.from({ length: 8 }, (_, index) => log.append('SR-0001', 'step_finished', { kind: 'system' }, { index })));
    await log.append('SR-0002', 'submitted', alice);
    expect(first.map((entry) => entry.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...second].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first).toEqual(expect.arrayContaining(await log.entries()));
  });

  test('onAppend is not told about an entry a crashed writer left behind, only about the new one', async () => {
    const seen: number[] = [];
    log.onAppend((entry) => seen.push(entry.seq));
    const unsigned = { seq: 1, at: '2026-11-25T10:00:00.000Z', requestId: 'SR-0001', action: 'submitted' as const, actor: alice, details: {}, prevHash: GENESIS_HASH };
    await entriesRepo.create(entryId(1), { ...unsigned, hash: hashOf(unsigned) });
    await log.append('SR-0001', 'cancelled', alice);
    expect(seen).toEqual([2]);
  });
});
