import { pageParameter } from '../../../read-api/routes.js';

describe('the history page query parameter (read through its schema)', () => {
  test.each([
    ['/api/environments/x/history', 1],
    ['/api/environments/x/history?page=', 1],
    ['/api/environments/x/history?page=1', 1],
    ['/api/environments/x/history?page=42', 42],
    ['/api/environments/x/history?page=1000000', 1_000_000],
  ])('%s is page %d', (url, page) => {
    expect(pageParameter(url)).toBe(page);
  });

  test.each(['0', '-1', '1.5', '1e3', ' 2', 'two', '1000001', '12345678', '0x10'])('page=%s is refused', (raw) => {
    expect(pageParameter(`/api/environments/x/history?page=${encodeURIComponent(raw)}`)).toBeUndefined();
  });
});
