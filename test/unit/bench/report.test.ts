import { Results } from '../../../bench/report.js';

describe('bench results', () => {
  test('nests dotted keys in the JSON object and rounds numbers', () => {
    const results = new Results();
    results.set('help.c8.p99Ratio', 1.23456, '× echo');
    results.set('help.c8.throughput', 812.345, 'turns/s');
    results.set('history.n100k.helpStatus', 'did not finish (3 of 40 in 45 s)');
    results.set('startup.n100k.ms', undefined, 'ms');
    const json = results.toJson() as { help: { c8: Record<string, unknown> }; history: { n100k: Record<string, unknown> }; startup: { n100k: Record<string, unknown> } };
    expect(json.help.c8).toEqual({ p99Ratio: 1.23, throughput: 812.3 });
    expect(json.history.n100k.helpStatus).toBe('did not finish (3 of 40 in 45 s)');
    expect(json.startup.n100k.ms).toBeNull();
  });

  test('reads each target from its figure: met, missed, or not run', () => {
    const results = new Results();
    results.set('help.c8.p99Ratio', 1.4);
    results.set('help.c1.throughputRatio', 0.5);
    results.set('startup.n100k.ms', undefined);
    const verdicts = new Map<string, string[]>();
    for (const target of results.targets()) verdicts.set(target.key, [...(verdicts.get(target.key) ?? []), target.verdict]);
    // one figure may answer two targets: issue 10's (p99 ≤ 1.5 × echo) and issue 22's stricter one (≤ 1 × echo)
    expect(verdicts.get('help.c8.p99Ratio')).toEqual(['met', 'missed']);
    expect(verdicts.get('help.c1.throughputRatio')).toEqual(['missed', 'missed']);
    expect(verdicts.get('startup.n100k.ms')).toEqual(['missed']);
    expect(verdicts.get('notify.ratio')).toEqual(['not run']);
  });

  test('prints every figure and the targets in the table', () => {
    const results = new Results();
    results.set('help.c8.p99Ratio', 1.6, '× echo');
    const table = results.table();
    expect(table).toMatch(/help\.c8\.p99Ratio\s+1\.6\s+× echo\s+≤ 1: MISSED/);
    expect(table).toContain('MISSED  help.c8.p99Ratio ≤ 1.5 (help p99 vs echo p99, c=8): 1.6');
    expect(table).toContain('MISSED  help.c8.p99Ratio ≤ 1 (help p99 vs echo p99, c=8 (issue 22)): 1.6');
    expect(table).toContain('0 of 2 measured are met');
  });
});
