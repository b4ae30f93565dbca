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
    const verdicts = Object.fromEntries(results.targets().map((target) => [target.key, target.verdict]));
    expect(verdicts['help.c8.p99Ratio']).toBe('met');
    expect(verdicts['help.c1.throughputRatio']).toBe('missed');
    expect(verdicts['startup.n100k.ms']).toBe('missed');
    expect(verdicts['notify.ratio']).toBe('not run');
  });

  test('prints every figure and the targets in the table', () => {
    const results = new Results();
    results.set('help.c8.p99Ratio', 1.6, '× echo');
    const table = results.table();
    expect(table).toMatch(/help\.c8\.p99Ratio\s+1\.6\s+× echo\s+≤ 1\.5: MISSED/);
    expect(table).toContain('targets (issue 10): 0 of 1 measured are met');
  });
});
