/**
 * The box's limit: a bare node:http server that reads the body and answers 200, nothing else.
 * Run by the bench as a child process: PORT and HOST from the environment.
 */
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
    res.end('{}');
  });
});
const port = Number(process.env.PORT ?? '0');
server.listen(port, process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ event: 'listening', port: typeof address === 'object' && address ? address.port : port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
