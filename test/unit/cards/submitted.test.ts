import { renderSubmitted, type SubmittedView } from '../../../cards/submitted.js';
import { cardProblems, cardText } from '../../harness/card-check.js';
import { nodesOf, type CardNode } from './card-walk.js';

const view: SubmittedView = {
  requestId: 'SR-0042', environmentName: 'contoso-uat', requesterName: 'Alice Admin', submittedAt: '2025-03-04T09:15:00.000Z',
  keyVaultName: 'contoso-kv', itemCount: 4, connectedAppCount: 1, dryRun: false,
};

describe('submitted request card', () => {
  test('passes the Adaptive Cards parser', () => {
    expect(cardProblems(renderSubmitted(view))).toEqual([]);
    expect(cardProblems(renderSubmitted({ ...view, dryRun: true, environmentName: '', keyVaultName: '' }))).toEqual([]);
  });

  test('leads with the request id and its state, then who asked and when', () => {
    const [title, asked] = renderSubmitted(view).body as CardNode[];
    expect(title).toMatchObject({ text: 'SR-0042 · Waiting for approval' });
    expect(asked.text).toBe('Asked by Alice Admin · {{DATE(2025-03-04T09:15:00Z, SHORT)}} {{TIME(2025-03-04T09:15:00Z)}}');
  });

  test('summarises the request as facts', () => {
    const facts = nodesOf(renderSubmitted(view)).filter((node) => node.type === 'FactSet').flatMap((set) => set.facts as CardNode[]);
    expect(facts.map((fact) => [fact.title, fact.value])).toEqual([
      ['Service environment', 'contoso-uat'], ['Key Vault reference', 'contoso-kv'], ['Key Vault items', '4'], ['Connected applications', '1'],
    ]);
  });

  test('says when it is a dry run, and only then', () => {
    expect(cardText(renderSubmitted({ ...view, dryRun: true }))).toContain('Dry run');
    expect(cardText(renderSubmitted(view))).not.toContain('Dry run');
  });

  test('has no buttons yet', () => {
    expect(nodesOf(renderSubmitted(view)).filter((node) => String(node.type).startsWith('Action.'))).toEqual([]);
  });
});
