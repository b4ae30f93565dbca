import {
  changeLine,
  diffSetup,
  findingLine,
  keyVaultScope,
  rebaseChanges,
  sameValue,
  summarizeChanges,
  touchesOnlyNumberSequences,
  type SetupChange,
} from '../../../../setup/model/setup-diff.js';
import { english } from '../../../fixtures/english.js';
import type { SetupContent } from '../../../../setup/model/content.js';
import { validConnectedApplication, validSetupContent } from '../../../fixtures/setup-content.js';

const base = (): SetupContent =>
  validSetupContent({
    environment: {
      name: 'Contoso-UAT',
      users: [
        { userId: 'alice', email: 'alice@contoso.com' },
        { userId: 'bob', email: 'bob@contoso.com' },
      ],
      numberSequences: [{ name: 'EINV-FR', description: 'French invoices' }],
    },
    keyVault: {
      storageSasSecretName: 'storage-sas',
      items: [
        { name: 'root-ca', description: '', type: 'Certificate' },
        { name: 'signing', description: 'Signs invoices', type: 'Certificate' },
      ],
      chains: [{ name: 'eu-chain', description: '', certificates: ['root-ca', 'signing'] }],
    },
  });

function edit(change: (content: SetupContent) => void, from: SetupContent = base()): SetupContent {
  const copy = structuredClone(from);
  change(copy);
  return copy;
}

describe('diffSetup', () => {
  test('the same setup has no difference, whatever order its keys were written in', () => {
    const reordered = edit((content) => {
      content.environment.users = content.environment.users.map((user) => ({ email: user.email, userId: user.userId }));
    });
    expect(diffSetup(base(), reordered)).toEqual([]);
    expect(sameValue({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });

  test('users added, removed and changed are matched by user ID (case-insensitive), in words that read without colour', () => {
    const after = edit((content) => {
      content.environment.users = [
        { userId: 'ALICE', email: 'alice@fabrikam.com' },
        { userId: 'carol', email: 'carol@contoso.com' },
      ];
    });
    const changes = diffSetup(base(), after);
    expect(changes.map((change) => [change.kind, 'list' in change ? change.list : change.field, 'key' in change ? change.key : ''])).toEqual([
      ['added', 'users', 'carol'],
      ['removed', 'users', 'bob'],
      ['changed', 'users', 'alice'],
    ]);
    expect(changes.map((change) => english(changeLine(change)))).toEqual([
      '+ Added · user carol (carol@contoso.com)',
      '− Removed · user bob (bob@contoso.com)',
      '~ Changed · user alice: user ID alice → ALICE; email alice@contoso.com → alice@fabrikam.com',
    ]);
  });

  test('single fields, Key Vault items and chains, number sequences and applications, in a fixed order', () => {
    const after = edit((content) => {
      content.environment.description = 'UAT, second vault';
      content.environment.numberSequences = [];
      content.keyVault.storageSasSecretName = 'storage-sas-2027';
      content.keyVault.items[1] = { ...content.keyVault.items[1], type: 'Secret' };
      content.keyVault.chains[0].certificates = ['signing', 'root-ca'];
      content.connectedApplications = [validConnectedApplication({ name: 'Contoso Finance PROD', applicationUrl: 'https://contoso.operations.dynamics.com' })];
    });
    expect(diffSetup(base(), after).map((change) => english(changeLine(change)))).toEqual([
      '~ Changed · description: None → UAT, second vault',
      '− Removed · number sequence EINV-FR (French invoices)',
      '~ Changed · storage SAS secret name: storage-sas → storage-sas-2027',
      '~ Changed · Key Vault item signing: type Certificate → Secret',
      '~ Changed · certificate chain eu-chain: certificates root-ca, signing → signing, root-ca',
      '+ Added · connected application Contoso Finance PROD (https://contoso.operations.dynamics.com)',
      '− Removed · connected application Contoso Finance UAT (https://contoso-uat.sandbox.operations.dynamics.com)',
    ]);
  });

  test('a summary for the audit log names the first changes and counts the rest', () => {
    const after = edit((content) => {
      content.environment.users.push({ userId: 'carol', email: 'carol@contoso.com' }, { userId: 'dan', email: 'dan@contoso.com' });
      content.environment.users.shift();
    });
    const changes = diffSetup(base(), after);
    expect(english(summarizeChanges(changes))).toBe('added user carol (carol@contoso.com); added user dan (dan@contoso.com); removed user alice (alice@contoso.com)');
    expect(english(summarizeChanges(changes, 1))).toBe('added user carol (carol@contoso.com); and 2 more');
    expect(english(summarizeChanges([]))).toBe('nothing');
  });

  test('the lines are codes and values, not sentences: names and ids stay as they were typed', () => {
    const after = edit((content) => {
      content.keyVault.chains.push({ name: 'us-chain', description: '', certificates: [] });
      content.environment.users[1] = { userId: 'bob', email: 'robert@contoso.com' };
    });
    const changes = diffSetup(base(), after);
    expect(changes.map(changeLine)).toEqual([
      {
        code: 'diff.line.full',
        params: {
          kind: 'changed',
          what: { code: 'diff.line.rowChanged', params: { list: 'users', name: 'bob', differences: { code: 'diff.line.difference', params: { field: 'email', before: 'bob@contoso.com', after: 'robert@contoso.com' } } } },
        },
      },
      { code: 'diff.line.full', params: { kind: 'added', what: { code: 'diff.row', params: { list: 'chains', row: { code: 'diff.row.chain', params: { name: 'us-chain', certificates: { code: 'diff.none' } } } } } } },
    ]);
    // a step's finding starts with its word: the card lists findings as bullets
    expect(changes.map((change) => english(findingLine(change)))).toEqual(['Changed · user bob: email bob@contoso.com → robert@contoso.com', 'Added · certificate chain us-chain (root first: None)']);
  });
});

describe('what a change needs', () => {
  test('number sequences alone apply without publishing; anything else publishes again', () => {
    const sequences = diffSetup(base(), edit((content) => content.environment.numberSequences.push({ name: 'EINV-DE', description: '' })));
    expect(touchesOnlyNumberSequences(sequences)).toBe(true);
    const users = diffSetup(base(), edit((content) => content.environment.users.pop()));
    expect(touchesOnlyNumberSequences([...sequences, ...users])).toBe(false);
    expect(touchesOnlyNumberSequences([])).toBe(false);
  });

  test('Key Vault: only new or changed items, the SAS secret when renamed, changed chains with their certificates', () => {
    expect(keyVaultScope(diffSetup(base(), edit((content) => content.environment.users.pop())), base())).toBeUndefined();
    const added = edit((content) => content.keyVault.items.push({ name: 'ssl-client', description: '', type: 'Certificate' }));
    expect(keyVaultScope(diffSetup(base(), added), added)).toEqual({ items: ['ssl-client'], chains: [] });
    const renamed = edit((content) => {
      content.keyVault.storageSasSecretName = 'Storage-SAS-2027';
    });
    expect(keyVaultScope(diffSetup(base(), renamed), renamed)).toEqual({ items: ['storage-sas-2027'], chains: [] });
    const reordered = edit((content) => {
      content.keyVault.chains[0].certificates.reverse();
    });
    expect(keyVaultScope(diffSetup(base(), reordered), reordered)).toEqual({ items: ['signing', 'root-ca'], chains: ['eu-chain'] });
    const removed = edit((content) => {
      content.keyVault.items = [];
      content.keyVault.chains = [];
    });
    expect(keyVaultScope(diffSetup(base(), removed), removed)).toBeUndefined();
  });
});

describe('rebaseChanges: the same intended change on a newer version', () => {
  const mine = edit((content) => {
    content.environment.users = [{ userId: 'alice', email: 'alice@contoso.com' }, { userId: 'carol', email: 'carol@contoso.com' }];
    content.keyVault.storageSasSecretName = 'storage-sas-2027';
  });
  const intended: SetupChange[] = diffSetup(base(), mine);

  test('on the same version it gives exactly the intended setup', () => {
    const rebased = rebaseChanges(base(), intended);
    expect(rebased.skipped).toEqual([]);
    expect(diffSetup(mine, rebased.content)).toEqual([]);
  });

  test('applies what still applies, keeps what someone else changed in between, and says what it left out', () => {
    const newer = edit((content) => {
      content.environment.users.push({ userId: 'dan', email: 'dan@contoso.com' });
      content.keyVault.storageSasSecretName = 'storage-sas-renewed';
      content.environment.description = 'their description';
    });
    const rebased = rebaseChanges(newer, intended);
    expect(rebased.content.environment.users.map((user) => user.userId)).toEqual(['alice', 'dan', 'carol']);
    expect(rebased.content.keyVault.storageSasSecretName).toBe('storage-sas-renewed');
    expect(rebased.content.environment.description).toBe('their description');
    expect(rebased.skipped.map((entry) => english(entry.reason))).toEqual(['storage SAS secret name is now storage-sas-renewed, changed by someone else in between']);
    expect(rebased.applied).toHaveLength(2);
    // the newer setup itself is not touched
    expect(newer.environment.users.map((user) => user.userId)).toEqual(['alice', 'bob', 'dan']);
  });

  test('a row removed or changed by someone else is left as they left it; one already as intended counts as applied', () => {
    const newer = edit((content) => {
      content.environment.users = [{ userId: 'bob', email: 'bob@fabrikam.com' }, { userId: 'carol', email: 'carol@contoso.com' }];
    });
    const changeAlice = diffSetup(base(), edit((content) => {
      content.environment.users[0].email = 'alice@fabrikam.com';
    }));
    const rebased = rebaseChanges(newer, [...intended, ...changeAlice]);
    expect(rebased.skipped.map((entry) => english(entry.reason))).toEqual([
      'user bob (bob@contoso.com) was changed by someone else in between (now bob (bob@fabrikam.com))',
      'user alice (alice@fabrikam.com) was removed by someone else in between',
    ]);
    // carol was added by both: already there, as intended
    expect(rebased.content.environment.users).toEqual([{ userId: 'bob', email: 'bob@fabrikam.com' }, { userId: 'carol', email: 'carol@contoso.com' }]);
    expect(rebased.content.keyVault.storageSasSecretName).toBe('storage-sas-2027');
  });
});
