import type { AuditEntry } from '../../../../setup/audit/audit.js';
import { describeAuditEntry } from '../../../../setup/audit/history.js';
import { domainMessage } from '../../../../setup/model/messages.js';
import { retireSummary } from '../../../../setup/requests/change-requests.js';
import { validSetupContent } from '../../../fixtures/setup-content.js';
import { english } from '../../../fixtures/english.js';

const rita = { kind: 'user', objectId: 'req-rita', name: 'Rita Requester' } as const;

function entry(action: AuditEntry['action'], details: AuditEntry['details']): AuditEntry {
  return { seq: 2, at: '2026-11-25T09:05:00.000Z', requestId: 'SR-0042', action, actor: { kind: 'system' }, details, prevHash: '', hash: '' };
}

function submitted(details: AuditEntry['details']): AuditEntry {
  return { seq: 1, at: '2026-11-25T09:00:00.000Z', requestId: 'SR-0042', action: 'submitted', actor: rita, details, prevHash: '', hash: '' };
}

describe("the history line of a change or retirement's submission", () => {
  test('a summary stored as a message is said inside the line', () => {
    const content = validSetupContent();
    const summary = retireSummary({ content, retire: { environment: content.environment.name, baseRevision: 4 } } as Parameters<typeof retireSummary>[0]);
    expect(summary).toEqual(domainMessage('diff.summary.retire', { environment: content.environment.name, version: 4, count: content.connectedApplications.length }));
    const apps = content.connectedApplications.length;
    expect(english(describeAuditEntry(submitted({ kind: 'retire', change: summary, dryRun: false })))).toBe(
      `Requested by Rita Requester: retire ${content.environment.name} (version 4): unlink ${apps} application${apps === 1 ? '' : 's'}, mark it Retired`,
    );
  });

  test('an entry written before summaries were messages shows its English sentence as it is', () => {
    expect(english(describeAuditEntry(submitted({ kind: 'change', change: 'change to Contoso-UAT (version 2): removed user bob (bob@contoso.com)', dryRun: true })))).toBe(
      'Requested by Rita Requester: change to Contoso-UAT (version 2): removed user bob (bob@contoso.com) (dry run)',
    );
  });
});

describe('the history line of a finished step', () => {
  test("names the step by its label, said in the reader's words; an older entry by its English title", () => {
    const label = domainMessage('plan.publishEnvironment', { environment: 'contoso-uat' });
    const stored = entry('step_finished', { step: 'Publish service environment contoso-uat', outcome: 'ok', label });
    expect(describeAuditEntry(stored)).toEqual(domainMessage('history.stepFinished', { step: label, outcome: 'ok' }));
    expect(english(describeAuditEntry(stored))).toBe('Publish service environment contoso-uat: done');
    expect(english(describeAuditEntry(entry('step_finished', { step: 'Connect Contoso Finance UAT', outcome: 'failed' })))).toBe('Connect Contoso Finance UAT: failed');
  });
});
