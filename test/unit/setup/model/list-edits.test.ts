import { applyListEdit, LIST_LIMITS, type EditableList, type EditResult, type ListEdit } from '../../../../setup/model/list-edits.js';
import { english } from '../../../fixtures/english.js';
import type { SetupContent } from '../../../../setup/model/content.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Two rows in every list (three certificates in the first chain), each row recognisable. */
function sample(): SetupContent {
  return {
    environment: {
      name: 'Contoso-UAT',
      description: '',
      users: [
        { userId: 'u0', email: 'u0@contoso.com' },
        { userId: 'u1', email: 'u1@contoso.com' },
      ],
      externalApplications: [
        { name: 'x0', objectId: '3f2504e0-4f89-41d3-9a0c-0305e82c3300' },
        { name: 'x1', objectId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' },
      ],
      numberSequences: [
        { name: 'n0', description: '' },
        { name: 'n1', description: '' },
      ],
      dataverseEndpointUri: '',
    },
    keyVault: {
      name: 'Contoso-KV',
      description: '',
      keyVaultUri: 'https://contoso.vault.azure.net/',
      storageSasSecretName: 'sas',
      items: [
        { name: 'i0', description: '', type: 'Certificate' },
        { name: 'i1', description: '', type: 'Secret' },
      ],
      chains: [
        { name: 'c0', description: '', certificates: ['root', 'intermediate', 'leaf'] },
        { name: 'c1', description: '', certificates: ['root1', 'leaf1'] },
      ],
    },
    connectedApplications: [
      { name: 'a0', type: 'Dynamics 365 Finance', applicationUrl: 'https://a0.operations.dynamics.com', tenant: 'contoso.com' },
      { name: 'a1', type: 'Dynamics 365 Finance', applicationUrl: 'https://a1.operations.dynamics.com', tenant: 'contoso.com' },
    ],
  };
}

type TopList = Exclude<EditableList, 'chainCertificates'>;

function rows(content: SetupContent, list: TopList): unknown[] {
  switch (list) {
    case 'users':
      return content.environment.users;
    case 'externalApplications':
      return content.environment.externalApplications;
    case 'numberSequences':
      return content.environment.numberSequences;
    case 'items':
      return content.keyVault.items;
    case 'chains':
      return content.keyVault.chains;
    case 'connectedApplications':
      return content.connectedApplications;
  }
}

const EMPTY_ROWS: Record<TopList, unknown> = {
  users: { userId: '', email: '' },
  externalApplications: { name: '', objectId: '' },
  numberSequences: { name: '', description: '' },
  items: { name: '', description: '', type: 'Secret' },
  chains: { name: '', description: '', certificates: [''] },
  connectedApplications: { name: '', type: 'Dynamics 365 Finance', applicationUrl: '', tenant: '' },
};

const TOP_LISTS = Object.keys(EMPTY_ROWS) as TopList[];

const LABELS: Record<EditableList, string> = {
  users: 'A request holds at most 10 users.',
  externalApplications: 'A request holds at most 5 external applications.',
  numberSequences: 'A request holds at most 5 number sequences.',
  items: 'A request holds at most 12 items.',
  chains: 'A request holds at most 3 certificate chains.',
  chainCertificates: 'A request holds at most 4 certificates in a chain.',
  connectedApplications: 'A request holds at most 10 connected applications.',
};

/** An edit's result with a refusal in the English a reader sees. */
type SaidResult = Extract<EditResult, { ok: true }> | { ok: false; reason: string };

function ok(result: SaidResult | EditResult): SetupContent {
  if (!result.ok) throw new Error(`edit refused: ${english(result.reason)}`);
  return result.content;
}

/** Applies the edit to a frozen input and checks the input is unchanged afterwards. */
function edit(content: SetupContent, change: ListEdit): SaidResult {
  const before = structuredClone(content);
  const frozen = deepFreeze(structuredClone(content));
  const result = applyListEdit(frozen, change);
  expect(frozen).toEqual(before);
  if (result.ok) expect(result.content).not.toBe(frozen);
  return result.ok ? result : { ok: false, reason: english(result.reason) };
}

const ROW_GONE = { ok: false, reason: 'That row is no longer on the card.' };
const LIST_GONE = { ok: false, reason: 'That list is no longer on the card.' };

describe('adding a row', () => {
  test.each(TOP_LISTS)('appends an empty row to %s', (list) => {
    const after = ok(edit(sample(), { op: 'add', list }));
    expect(rows(after, list)).toEqual([...rows(sample(), list), EMPTY_ROWS[list]]);
  });

  test('appends an empty certificate to the named chain only', () => {
    const after = ok(edit(sample(), { op: 'add', list: 'chainCertificates', chain: 1 }));
    expect(after.keyVault.chains[1].certificates).toEqual(['root1', 'leaf1', '']);
    expect(after.keyVault.chains[0].certificates).toEqual(['root', 'intermediate', 'leaf']);
  });

  test('leaves the rest of the request as it was', () => {
    const after = ok(edit(sample(), { op: 'add', list: 'items' }));
    expect({ ...after, keyVault: { ...after.keyVault, items: [] } }).toEqual({ ...sample(), keyVault: { ...sample().keyVault, items: [] } });
  });

  test.each(TOP_LISTS)('refuses to grow %s past its limit, and allows up to it', (list) => {
    let content = sample();
    while (rows(content, list).length < LIST_LIMITS[list]) content = ok(edit(content, { op: 'add', list }));
    expect(rows(content, list)).toHaveLength(LIST_LIMITS[list]);
    expect(edit(content, { op: 'add', list })).toEqual({ ok: false, reason: LABELS[list] });
  });

  test('refuses a fifth certificate in a chain', () => {
    const full = ok(edit(sample(), { op: 'add', list: 'chainCertificates', chain: 0 }));
    expect(full.keyVault.chains[0].certificates).toHaveLength(LIST_LIMITS.chainCertificates);
    expect(edit(full, { op: 'add', list: 'chainCertificates', chain: 0 })).toEqual({ ok: false, reason: LABELS.chainCertificates });
  });

  test.each([undefined, 2, -1])('refuses a certificate for chain %s that is not there', (chain) => {
    expect(edit(sample(), { op: 'add', list: 'chainCertificates', chain })).toEqual(LIST_GONE);
  });
});

describe('removing a row', () => {
  test.each(TOP_LISTS)('removes the first and the last row of %s', (list) => {
    const [first, second] = rows(sample(), list);
    expect(rows(ok(edit(sample(), { op: 'remove', list, index: 0 })), list)).toEqual([second]);
    expect(rows(ok(edit(sample(), { op: 'remove', list, index: 1 })), list)).toEqual([first]);
  });

  test('can empty a list', () => {
    const once = ok(edit(sample(), { op: 'remove', list: 'connectedApplications', index: 0 }));
    expect(ok(edit(once, { op: 'remove', list: 'connectedApplications', index: 0 })).connectedApplications).toEqual([]);
  });

  test.each(TOP_LISTS.flatMap((list) => [-1, 2, 1.5, Number.NaN].map((index): [TopList, number] => [list, index])))(
    'refuses to remove row %s[%s] that is not there',
    (list, index) => {
      expect(edit(sample(), { op: 'remove', list, index })).toEqual(ROW_GONE);
    },
  );

  test('removes a certificate from the named chain (index = chain, member = row)', () => {
    const after = ok(edit(sample(), { op: 'remove', list: 'chainCertificates', index: 0, member: 1 }));
    expect(after.keyVault.chains[0].certificates).toEqual(['root', 'leaf']);
    expect(after.keyVault.chains[1].certificates).toEqual(['root1', 'leaf1']);
  });

  test.each([undefined, -1, 3, 0.5])('refuses to remove chain member %s that is not there', (member) => {
    expect(edit(sample(), { op: 'remove', list: 'chainCertificates', index: 0, member })).toEqual(ROW_GONE);
  });

  test('refuses to remove a certificate from a chain that is not there', () => {
    expect(edit(sample(), { op: 'remove', list: 'chainCertificates', index: 5, member: 0 })).toEqual(LIST_GONE);
  });
});

describe('moving a chain member', () => {
  const certificates = (result: SaidResult, chain = 0): string[] => ok(result).keyVault.chains[chain].certificates;

  test('up swaps it with the one before', () => {
    expect(certificates(edit(sample(), { op: 'move', list: 'chainCertificates', chain: 0, member: 1, direction: 'up' }))).toEqual(['intermediate', 'root', 'leaf']);
    expect(certificates(edit(sample(), { op: 'move', list: 'chainCertificates', chain: 0, member: 2, direction: 'up' }))).toEqual(['root', 'leaf', 'intermediate']);
  });

  test('down swaps it with the one after', () => {
    expect(certificates(edit(sample(), { op: 'move', list: 'chainCertificates', chain: 0, member: 0, direction: 'down' }))).toEqual(['intermediate', 'root', 'leaf']);
    expect(certificates(edit(sample(), { op: 'move', list: 'chainCertificates', chain: 0, member: 1, direction: 'down' }))).toEqual(['root', 'leaf', 'intermediate']);
  });

  test('up from the top and down from the bottom change nothing', () => {
    expect(ok(edit(sample(), { op: 'move', list: 'chainCertificates', chain: 0, member: 0, direction: 'up' }))).toEqual(sample());
    expect(ok(edit(sample(), { op: 'move', list: 'chainCertificates', chain: 0, member: 2, direction: 'down' }))).toEqual(sample());
    expect(ok(edit(sample(), { op: 'move', list: 'chainCertificates', chain: 1, member: 1, direction: 'down' }))).toEqual(sample());
  });

  test('moves within the named chain only', () => {
    const after = edit(sample(), { op: 'move', list: 'chainCertificates', chain: 1, member: 1, direction: 'up' });
    expect(certificates(after, 1)).toEqual(['leaf1', 'root1']);
    expect(certificates(after, 0)).toEqual(['root', 'intermediate', 'leaf']);
  });

  test('a single-member chain stays as it is either way', () => {
    const single = ok(edit(sample(), { op: 'remove', list: 'chainCertificates', index: 1, member: 0 }));
    for (const direction of ['up', 'down'] as const) {
      expect(certificates(edit(single, { op: 'move', list: 'chainCertificates', chain: 1, member: 0, direction }), 1)).toEqual(['leaf1']);
    }
  });

  test.each([-1, 3, 1.5])('refuses to move member %s that is not there', (member) => {
    expect(edit(sample(), { op: 'move', list: 'chainCertificates', chain: 0, member, direction: 'up' })).toEqual(ROW_GONE);
  });

  test('refuses to move within a chain that is not there', () => {
    expect(edit(sample(), { op: 'move', list: 'chainCertificates', chain: 2, member: 0, direction: 'down' })).toEqual(LIST_GONE);
  });
});

describe('the input', () => {
  test('is never changed, and the result shares no rows with it', () => {
    const input = sample();
    const after = ok(applyListEdit(input, { op: 'add', list: 'users' }));
    after.environment.users[0].userId = 'changed';
    after.keyVault.chains[0].certificates.push('more');
    expect(input).toEqual(sample());
  });
});
