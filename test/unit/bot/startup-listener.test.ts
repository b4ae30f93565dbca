/**
 * The start-up listener: the port answers 503 while the bot starts (/healthz with the state,
 * every other address "starting"), each answer closing its connection; then the real server
 * listens on the same socket and the next connection reaches it.
 */
import { createServer, request, type Server } from 'node:http';
import { StartupListener } from '../../../bot/startup-listener.js';

function get(port: number, pathname: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, method, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    req.end();
  });
}

let real: Server | undefined;

afterEach(async () => {
  if (real) await new Promise((resolve) => real?.close(resolve));
  real = undefined;
});

test('answers 503 starting, then migrating with progress, then hands its socket to the real server', async () => {
  const listener = await StartupListener.listen(0, '127.0.0.1');
  const { port } = listener;
  expect(port).toBeGreaterThan(0);

  const starting = await get(port, '/healthz');
  expect(starting).toMatchObject({ status: 503, body: { status: 'starting' } });
  expect(starting.headers.connection).toBe('close');
  expect(starting.headers['retry-after']).toBe('5');
  expect(await get(port, '/api/messages', 'POST')).toMatchObject({ status: 503, body: { code: 'Starting' } });
  expect(await get(port, '/healthz?probe=1')).toMatchObject({ status: 503, body: { status: 'starting' } });

  listener.migrating({ done: 500, total: 2000 });
  expect(await get(port, '/healthz')).toMatchObject({ status: 503, body: { status: 'migrating', done: 500, total: 2000 } });

  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok' }));
  });
  real = server;
  await new Promise<void>((resolve) => server.listen(listener.handOver(), resolve));
  const address = server.address();
  expect(typeof address === 'object' && address?.port).toBe(port);
  expect(await get(port, '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
});

test('a port in use is refused at once', async () => {
  const first = await StartupListener.listen(0, '127.0.0.1');
  await expect(StartupListener.listen(first.port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
  const server = createServer();
  real = server;
  await new Promise<void>((resolve) => server.listen(first.handOver(), resolve));
});
