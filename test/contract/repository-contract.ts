/**
 * The Repository port's contract, as one suite any backend runs: the same test file,
 * parameterised by how to open a store (see test/unit/storage/repository-contract.test.ts).
 */
import { changes, type AnyCollectionSpec, type CollectionSpec, type Repository, type RepositoryFactory } from '../../setup/ports.js';

export interface ContractStore extends RepositoryFactory {
  close(): Promise<void>;
}

export interface ContractBackend {
  name: string;
  /** A fresh, empty store holding these collections. */
  open(collections: readonly AnyCollectionSpec[]): Promise<ContractStore>;
  /** The same store opened again (a restart), after closing the one given. */
  reopen(store: ContractStore, collections: readonly AnyCollectionSpec[]): Promise<ContractStore>;
  /** Removes what open() created. */
  cleanup(): Promise<void>;
}

interface Ticket {
  title: string;
  owner: string;
  state: 'open' | 'closed';
  tags: string[];
}

const TICKETS: CollectionSpec<Ticket, 'owner' | 'state' | 'tag'> = {
  name: 'tickets',
  indexes: {
    owner: (ticket) => [ticket.owner],
    state: (ticket) => [ticket.state],
    tag: (ticket) => ticket.tags,
  },
};

/** Notes on tickets: another collection of the tickets' transaction group. */
interface Note {
  ticket: string;
  text: string;
}

const NOTES: CollectionSpec<Note, 'ticket'> = { name: 'ticketNotes', group: 'tickets', indexes: { ticket: (note) => [note.ticket] } };

/** A collection of its own group: no transaction may span it and the tickets. */
const AUDITS: CollectionSpec<{ line: string }> = { name: 'audits' };

const COLLECTIONS = [TICKETS, NOTES, AUDITS] as readonly AnyCollectionSpec[];

/** A string of `length` characters mixing ASCII, accents, quotes, emoji (surrogate pairs) and newlines. */
function bigText(length: number, seed = 0): string {
  const alphabet = ['a', 'é', '"', '🙂', '\n', 'Z', 'ß', '\\', '漢', ' '];
  let text = '';
  for (let index = 0; text.length < length; index += 1) text += alphabet[(index * 7 + seed) % alphabet.length];
  return text.slice(0, length - 1) + 'x';
}

const ticket = (title: string, owner = 'ann', state: Ticket['state'] = 'open', tags: string[] = []): Ticket => ({ title, owner, state, tags });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return (error as { code?: string }).code ?? 'error';
  }
}

export function describeRepositoryContract(backend: ContractBackend): void {
  describe(`Repository contract: ${backend.name}`, () => {
    let store: ContractStore;
    let tickets: Repository<Ticket, 'owner' | 'state' | 'tag'>;

    beforeEach(async () => {
      store = await backend.open(COLLECTIONS);
      tickets = store.repository(TICKETS);
    });

    afterEach(async () => {
      await store.close();
      await backend.cleanup();
    });

    test('create stores version 1; get returns a copy the caller cannot change in place', async () => {
      const created = await tickets.create('t-1', ticket('first'));
      expect(created).toEqual({ id: 't-1', version: 1, value: ticket('first') });
      const read = await tickets.get('t-1');
      read?.value.tags.push('mutated');
      expect((await tickets.get('t-1'))?.value.tags).toEqual([]);
      expect(await tickets.get('missing')).toBeUndefined();
    });

    test('create refuses an id that exists (conflict) and changes nothing', async () => {
      await tickets.create('t-1', ticket('first'));
      expect(await codeOf(tickets.create('t-1', ticket('second')))).toBe('conflict');
      expect((await tickets.get('t-1'))?.value.title).toBe('first');
    });

    test('update applies a patch or a function at the expected version and bumps it', async () => {
      await tickets.create('t-1', ticket('first'));
      const patched = await tickets.update('t-1', 1, { title: 'patched' });
      expect(patched).toMatchObject({ version: 2, value: { title: 'patched', owner: 'ann' } });
      const changed = await tickets.update('t-1', 2, (current) => ({ ...current, state: 'closed' }));
      expect(changed.version).toBe(3);
      expect((await tickets.get('t-1'))?.value).toEqual({ ...ticket('patched'), state: 'closed' });
    });

    test('update at a stale version is a conflict and changes nothing; a missing record is not_found', async () => {
      await tickets.create('t-1', ticket('first'));
      await tickets.update('t-1', 1, { title: 'second' });
      expect(await codeOf(tickets.update('t-1', 1, { title: 'lost update' }))).toBe('conflict');
      expect((await tickets.get('t-1'))?.value.title).toBe('second');
      expect(await codeOf(tickets.update('nope', 1, { title: 'x' }))).toBe('not_found');
    });

    test('of concurrent updates from the same version exactly one wins', async () => {
      await tickets.create('t-1', ticket('first'));
      const outcomes = await Promise.all(Array.from({ length: 8 }, (_, index) => codeOf(tickets.update('t-1', 1, { title: `writer ${index}` }))));
      expect(outcomes.filter((code) => code === 'resolved')).toHaveLength(1);
      expect(outcomes.filter((code) => code === 'conflict')).toHaveLength(7);
      expect((await tickets.get('t-1'))?.version).toBe(2);
    });

    test('of concurrent creates of one id exactly one wins', async () => {
      const outcomes = await Promise.all(Array.from({ length: 6 }, (_, index) => codeOf(tickets.create('t-1', ticket(`creator ${index}`)))));
      expect(outcomes.filter((code) => code === 'resolved')).toHaveLength(1);
      expect(outcomes.filter((code) => code === 'conflict')).toHaveLength(5);
    });

    test('remove needs the current version; removing a missing record is a no-op', async () => {
      await tickets.create('t-1', ticket('first'));
      await tickets.update('t-1', 1, { title: 'second' });
      expect(await codeOf(tickets.remove('t-1', 1))).toBe('conflict');
      expect(await tickets.get('t-1')).toBeDefined();
      await tickets.remove('t-1', 2);
      expect(await tickets.get('t-1')).toBeUndefined();
      await expect(tickets.remove('t-1', 2)).resolves.toBeUndefined();
      // the id can be used again, from version 1
      expect((await tickets.create('t-1', ticket('again'))).version).toBe(1);
    });

    test('find answers from the declared indexes, kept in step with updates and removals', async () => {
      await tickets.create('a', ticket('a', 'ann', 'open', ['x', 'y']));
      await tickets.create('b', ticket('b', 'bob', 'open', ['y']));
      await tickets.create('c', ticket('c', 'ann', 'closed', []));
      const ids = async (index: 'owner' | 'state' | 'tag', key: string): Promise<string[]> => (await tickets.find(index, key)).map((record) => record.id);
      expect(await ids('owner', 'ann')).toEqual(['a', 'c']);
      expect(await ids('state', 'open')).toEqual(['a', 'b']);
      expect(await ids('tag', 'y')).toEqual(['a', 'b']);
      expect(await ids('tag', 'nothing')).toEqual([]);
      await tickets.update('a', 1, { state: 'closed', tags: ['x'] });
      expect(await ids('state', 'open')).toEqual(['b']);
      expect(await ids('state', 'closed')).toEqual(['a', 'c']);
      expect(await ids('tag', 'y')).toEqual(['b']);
      await tickets.remove('c', 1);
      expect(await ids('owner', 'ann')).toEqual(['a']);
    });

    test('find orders by creation (or newest first) and honours the limit', async () => {
      for (const id of ['k3', 'k1', 'k2']) await tickets.create(id, ticket(id, 'ann'));
      await tickets.update('k3', 1, { title: 'updated later' });
      expect((await tickets.find('owner', 'ann')).map((record) => record.id)).toEqual(['k3', 'k1', 'k2']);
      expect((await tickets.find('owner', 'ann', { newestFirst: true, limit: 2 })).map((record) => record.id)).toEqual(['k2', 'k1']);
      expect(await tickets.find('owner', 'ann', { limit: 0 })).toEqual([]);
    });

    test('list returns every record in creation order, optionally filtered', async () => {
      for (const id of ['z', 'a', 'm']) await tickets.create(id, ticket(id, id === 'a' ? 'bob' : 'ann'));
      expect((await tickets.list()).map((record) => record.id)).toEqual(['z', 'a', 'm']);
      expect((await tickets.list((value) => value.owner === 'ann')).map((record) => record.id)).toEqual(['z', 'm']);
    });

    test('everything, indexes included, is still there after the store is opened again', async () => {
      await tickets.create('a', ticket('a', 'ann', 'open', ['x']));
      await tickets.create('b', ticket('b', 'bob'));
      await tickets.update('a', 1, { state: 'closed' });
      await tickets.create('gone', ticket('gone'));
      await tickets.remove('gone', 1);
      store = await backend.reopen(store, COLLECTIONS);
      tickets = store.repository(TICKETS);
      expect(await tickets.get('a')).toEqual({ id: 'a', version: 2, value: ticket('a', 'ann', 'closed', ['x']) });
      expect(await tickets.get('gone')).toBeUndefined();
      expect((await tickets.find('state', 'closed')).map((record) => record.id)).toEqual(['a']);
      expect((await tickets.find('tag', 'x')).map((record) => record.id)).toEqual(['a']);
      expect((await tickets.list()).map((record) => record.id)).toEqual(['a', 'b']);
      expect(await codeOf(tickets.update('a', 1, { title: 'stale' }))).toBe('conflict');
    });

    test('commit applies every change of one group together: creates, updates and removes, indexes included', async () => {
      const notes = store.repository(NOTES);
      await tickets.create('a', ticket('a', 'ann', 'open'));
      await tickets.create('b', ticket('b', 'bob', 'open'));
      await store.commit([
        changes.update(TICKETS, 'a', 1, ticket('a', 'ann', 'closed')),
        changes.remove(TICKETS, 'b', 1),
        changes.create(NOTES, 'n-1', { ticket: 'a', text: 'closed with b removed' }),
      ]);
      expect(await tickets.get('a')).toEqual({ id: 'a', version: 2, value: ticket('a', 'ann', 'closed') });
      expect(await tickets.get('b')).toBeUndefined();
      expect((await notes.get('n-1'))?.version).toBe(1);
      expect((await tickets.find('state', 'closed')).map((record) => record.id)).toEqual(['a']);
      expect(await tickets.find('owner', 'bob')).toEqual([]);
      expect((await notes.find('ticket', 'a')).map((record) => record.id)).toEqual(['n-1']);
    });

    test('commit changes nothing when one change is stale, exists or is missing', async () => {
      const notes = store.repository(NOTES);
      await tickets.create('a', ticket('a'));
      await notes.create('n-1', { ticket: 'a', text: 'first' });
      const stale = codeOf(store.commit([changes.create(NOTES, 'n-2', { ticket: 'a', text: 'second' }), changes.update(TICKETS, 'a', 7, ticket('never'))]));
      expect(await stale).toBe('conflict');
      expect(await codeOf(store.commit([changes.update(TICKETS, 'a', 1, ticket('never')), changes.create(NOTES, 'n-1', { ticket: 'a', text: 'again' })]))).toBe('conflict');
      expect(await codeOf(store.commit([changes.update(TICKETS, 'a', 1, ticket('never')), changes.remove(NOTES, 'missing', 1)]))).toBe('not_found');
      expect(await tickets.get('a')).toEqual({ id: 'a', version: 1, value: ticket('a') });
      expect(await notes.get('n-2')).toBeUndefined();
      expect((await notes.get('n-1'))?.value.text).toBe('first');
      expect((await tickets.find('owner', 'ann')).map((record) => record.value.title)).toEqual(['a']);
      expect((await notes.find('ticket', 'a')).map((record) => record.id)).toEqual(['n-1']);
    });

    test('of concurrent commits from the same version exactly one applies', async () => {
      const notes = store.repository(NOTES);
      await tickets.create('a', ticket('a'));
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, (_, index) => codeOf(store.commit([changes.update(TICKETS, 'a', 1, ticket(`writer ${index}`)), changes.create(NOTES, `n-${index}`, { ticket: 'a', text: `by ${index}` })]))),
      );
      expect(outcomes.filter((code) => code === 'resolved')).toHaveLength(1);
      const winner = outcomes.indexOf('resolved');
      expect((await tickets.get('a'))?.value.title).toBe(`writer ${winner}`);
      expect((await notes.list()).map((record) => record.id)).toEqual([`n-${winner}`]);
    });

    test('commit refuses a transaction across collection groups, before changing anything', async () => {
      await expect(store.commit([changes.create(TICKETS, 'a', ticket('a')), changes.create(AUDITS, 'x', { line: 'x' })])).rejects.toThrow(/one collection group/);
      expect(await tickets.get('a')).toBeUndefined();
    });

    test('values far larger than 64 KiB round-trip, grow, shrink and are removed whole', async () => {
      const large = bigText(300_000);
      const larger = bigText(700_000, 3);
      await tickets.create('big', { ...ticket('big', 'ann', 'open', ['big']), title: large });
      expect((await tickets.get('big'))?.value.title).toBe(large);
      await tickets.update('big', 1, { title: larger });
      await tickets.create('small', ticket('small', 'ann', 'open', ['big']));
      store = await backend.reopen(store, COLLECTIONS);
      tickets = store.repository(TICKETS);
      expect((await tickets.get('big'))?.value.title).toBe(larger);
      expect((await tickets.find('tag', 'big')).map((record) => [record.id, record.value.title.length])).toEqual([['big', 700_000], ['small', 5]]);
      expect((await tickets.list()).map((record) => record.value.title.length)).toEqual([700_000, 5]);
      await tickets.update('big', 2, { title: 'short again' });
      expect((await tickets.get('big'))?.value.title).toBe('short again');
      await tickets.update('big', 3, { title: large });
      await tickets.remove('big', 4);
      expect(await tickets.get('big')).toBeUndefined();
      expect((await tickets.find('tag', 'big')).map((record) => record.id)).toEqual(['small']);
      // the id starts over at version 1, with nothing left of the large value
      await tickets.create('big', ticket('reborn'));
      expect(await tickets.get('big')).toEqual({ id: 'big', version: 1, value: ticket('reborn') });
    }, 60_000);

    test('ids and values with unicode, quotes and newlines round-trip', async () => {
      const odd = 'ids/with spaces, "quotes", ünïcødé 🙂 and\nnewlines';
      await tickets.create(odd, ticket('Ünïcødé "title"\n\u202Eright-to-left', 'ann', 'open', ['\u200bzero-width']));
      store = await backend.reopen(store, COLLECTIONS);
      tickets = store.repository(TICKETS);
      expect((await tickets.get(odd))?.value.title).toBe('Ünïcødé "title"\n\u202Eright-to-left');
      expect((await tickets.find('tag', '\u200bzero-width')).map((record) => record.id)).toEqual([odd]);
    });
  });
}
