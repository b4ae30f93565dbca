import { describeEvent } from '../../../bot/notifications/notifier.js';
import type { AuditAction, AuditEntry } from '../../../setup/audit/audit.js';
import type { SetupRequest } from '../../../setup/model/request.js';
import { validSetupContent } from '../../fixtures/setup-content.js';
import { ENGLISH, Translations } from '../../../i18n/translations.js';
import { changeSummary } from '../../../setup/requests/change-requests.js';
import { diffSetup } from '../../../setup/model/setup-diff.js';

const request = { id: 'SR-0042', content: validSetupContent(), requester: { objectId: 'req-rita', name: 'Rita Requester', tenantId: 't' } } as SetupRequest;

function entry(action: AuditAction, details: AuditEntry['details'], actor: AuditEntry['actor'] = { kind: 'user', objectId: 'req-rita', name: 'Rita Requester' }): AuditEntry {
  return { seq: 1, at: '2026-11-25T09:00:00.000Z', requestId: 'SR-0042', action, actor, details, prevHash: '', hash: '' };
}

describe('channel notifications after a failure', () => {
  test('a Retry that runs at once', () => {
    expect(describeEvent(entry('retried', { attempt: 2, reapproval: false }), request, ENGLISH)?.headline).toBe('🔁 **SR-0042** retried by Rita Requester (attempt 2): running again');
  });

  test('a Retry that went back for approval', () => {
    expect(describeEvent(entry('retried', { attempt: 3, reapproval: true }), request, ENGLISH)?.headline).toBe(
      '🔁 **SR-0042** retried by Rita Requester (attempt 3): sent back for approval (the approval was older than the retry window)',
    );
  });

  test('a resubmission, on the old request and on the new one', () => {
    expect(describeEvent(entry('resubmitted', { as: 'SR-0043' }), request, ENGLISH)?.headline).toBe('✏️ **SR-0042** resubmitted by Rita Requester as SR-0043');
    expect(describeEvent(entry('submitted', { resubmittedFrom: 'SR-0041' }), request, ENGLISH)?.headline).toBe('📝 **SR-0042** submitted by Rita Requester (resubmission of SR-0041): waiting for approval');
    expect(describeEvent(entry('submitted', {}), request, ENGLISH)?.headline).toBe('📝 **SR-0042** submitted by Rita Requester: waiting for approval');
  });

  test('the second run says which attempt it is; the first does not', () => {
    expect(describeEvent(entry('execution_started', { attempt: 2 }, { kind: 'system' }), request, ENGLISH)?.headline).toBe('⚙️ **SR-0042** approved setup is running (attempt 2)');
    expect(describeEvent(entry('execution_started', { attempt: 1 }, { kind: 'system' }), request, ENGLISH)?.headline).toBe('⚙️ **SR-0042** approved setup is running');
  });
});

describe("a change's summary in the submitted notification", () => {
  const before = validSetupContent();
  const after = validSetupContent({ environment: { ...before.environment, users: [...before.environment.users, { userId: 'carol', email: 'carol@contoso.com' }] } });
  const change = { environment: before.environment.name, baseRevision: 3, before, diff: diffSetup(before, after) };
  const summary = changeSummary(change);

  test("is stored as a message and said in the channel's words", () => {
    expect(describeEvent(entry('submitted', { kind: 'change', change: summary }), request, ENGLISH)?.headline).toBe(
      `📝 **SR-0042** submitted by Rita Requester — change to ${before.environment.name} (version 3): added user carol (carol@contoso.com): waiting for approval`,
    );
    // in the pseudo-locale every word of it comes from the catalogs; the names stay as typed
    const pseudo = describeEvent(entry('submitted', { kind: 'change', change: summary }), request, new Translations().for('qps-ploc'))?.headline ?? '';
    expect(pseudo).toContain('carol (carol@contoso.com)');
    expect(pseudo).not.toMatch(/change to|added user/);
  });

  test('an entry written before summaries were messages shows its English sentence as it is', () => {
    expect(describeEvent(entry('submitted', { kind: 'change', change: 'change to Contoso-UAT (version 2): removed user bob (bob@contoso.com)' }), request, ENGLISH)?.headline).toBe(
      '📝 **SR-0042** submitted by Rita Requester — change to Contoso-UAT (version 2): removed user bob (bob@contoso.com): waiting for approval',
    );
  });
});
