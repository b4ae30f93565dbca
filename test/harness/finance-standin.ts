/**
 * A local stand-in for a Finance / SCM environment's front door: an HTTPS server on loopback
 * with its own test CA, answering a configurable status and recording requests. Plus the odd
 * servers a connection check meets in the wild: a closed port and a server that never answers.
 */
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import forge from 'node-forge';

export interface TestPki {
  /** The test CA certificate (PEM): trust it to make the stand-in trusted. */
  caCert: string;
  serverKey: string;
  /** Valid for 127.0.0.1, ::1 and localhost. */
  serverCert: string;
  /** Signed by the test CA but only for other-host.test. */
  wrongNameCert: string;
  /** Right names, but expired yesterday. */
  expiredCert: string;
}

const DAY = 24 * 60 * 60 * 1000;

interface IssueInput {
  subject: string;
  publicKey: forge.pki.rsa.PublicKey;
  signer: { key: forge.pki.rsa.PrivateKey; subject: forge.pki.CertificateField[] } | 'self';
  signingKey: forge.pki.rsa.PrivateKey;
  isCa: boolean;
  altNames?: Array<{ type: 2; value: string } | { type: 7; ip: string }>;
  notBefore: Date;
  notAfter: Date;
  serial: number;
}

function issue(input: IssueInput): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = input.publicKey;
  cert.serialNumber = `0${input.serial.toString(16)}${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  cert.validity.notBefore = input.notBefore;
  cert.validity.notAfter = input.notAfter;
  const subject = [{ name: 'commonName', value: input.subject }, { name: 'organizationName', value: 'setupbot tests' }];
  cert.setSubject(subject);
  cert.setIssuer(input.signer === 'self' ? subject : input.signer.subject);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: input.isCa, critical: true },
    input.isCa
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (!input.isCa) extensions.push({ name: 'extKeyUsage', serverAuth: true });
  if (input.altNames) extensions.push({ name: 'subjectAltName', altNames: input.altNames });
  cert.setExtensions(extensions);
  cert.sign(input.signingKey, forge.md.sha256.create());
  return cert;
}

function generatePki(): TestPki {
  const now = Date.now();
  const caKeys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const serverKeys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const ca = issue({
    subject: 'setupbot test CA',
    publicKey: caKeys.publicKey,
    signer: 'self',
    signingKey: caKeys.privateKey,
    isCa: true,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 30 * DAY),
    serial: 1,
  });
  const signer = { key: caKeys.privateKey, subject: ca.subject.attributes };
  const leaf = (serial: number, subject: string, altNames: IssueInput['altNames'], notBefore: number, notAfter: number) =>
    forge.pki.certificateToPem(
      issue({
        subject,
        publicKey: serverKeys.publicKey,
        signer,
        signingKey: caKeys.privateKey,
        isCa: false,
        altNames,
        notBefore: new Date(notBefore),
        notAfter: new Date(notAfter),
        serial,
      }),
    );
  const loopbackNames: IssueInput['altNames'] = [
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
    { type: 2, value: 'localhost' },
  ];
  return {
    caCert: forge.pki.certificateToPem(ca),
    serverKey: forge.pki.privateKeyToPem(serverKeys.privateKey),
    serverCert: leaf(2, 'localhost', loopbackNames, now - DAY, now + 30 * DAY),
    wrongNameCert: leaf(3, 'other-host.test', [{ type: 2, value: 'other-host.test' }], now - DAY, now + 30 * DAY),
    expiredCert: leaf(4, 'localhost', loopbackNames, now - 30 * DAY, now - DAY),
  };
}

let pki: TestPki | undefined;

/** The test CA and server certificates, generated once per test process (node-forge). */
export function testPki(): TestPki {
  pki ??= generatePki();
  return pki;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  receivedAt: number;
}

export interface FinanceStandInOptions {
  /** Default 200. */
  status?: number;
  /** Default a small HTML page. */
  body?: string;
  headers?: Record<string, string>;
  /** Which certificate the server presents. Default 'valid'. */
  certificate?: 'valid' | 'wrong-name' | 'expired';
  /** 'never': completes TLS and reads the request, then never answers. */
  answer?: 'normal' | 'never';
  /** Listen on this loopback port (e.g. one a URL already names) instead of any free one. */
  port?: number;
}

const DEFAULT_BODY = '<!DOCTYPE html><html><head><title>Finance and Operations</title></head><body>Sign in</body></html>';

/** Tracks sockets so close() never waits for a client that keeps a connection open. */
function trackSockets(server: { on(event: 'connection', listener: (socket: Socket) => void): unknown }): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

async function listenOnLoopback(server: HttpsServer | TcpServer, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function closeServer(server: HttpsServer | TcpServer, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export class FinanceStandIn {
  readonly requests: RecordedRequest[] = [];
  /** The status answered from now on. */
  status: number;
  private readonly server: HttpsServer;
  private readonly sockets: Set<Socket>;
  private port = 0;

  private constructor(private readonly options: FinanceStandInOptions) {
    this.status = options.status ?? 200;
    const material = testPki();
    const cert =
      options.certificate === 'wrong-name'
        ? material.wrongNameCert
        : options.certificate === 'expired'
          ? material.expiredCert
          : material.serverCert;
    this.server = createHttpsServer({ key: material.serverKey, cert: `${cert}${material.caCert}` }, (req, res) => {
      this.requests.push({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        receivedAt: Date.now(),
      });
      req.resume();
      if (this.options.answer === 'never') return;
      const body = this.options.body ?? DEFAULT_BODY;
      res.writeHead(this.status, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        ...this.options.headers,
      });
      res.end(body);
    });
    this.sockets = trackSockets(this.server);
  }

  static async start(options: FinanceStandInOptions = {}): Promise<FinanceStandIn> {
    const standIn = new FinanceStandIn(options);
    standIn.port = await listenOnLoopback(standIn.server, options.port);
    return standIn;
  }

  /** The test CA certificate that makes this stand-in trusted. */
  get ca(): string {
    return testPki().caCert;
  }

  /** https://<host>:<port><path>; host 127.0.0.1 unless given (localhost, [::1] also valid). */
  url(path = '/', host = '127.0.0.1'): string {
    return `https://${host}:${this.port}${path}`;
  }

  get listeningPort(): number {
    return this.port;
  }

  async close(): Promise<void> {
    await closeServer(this.server, this.sockets);
  }
}

/** A TCP server that accepts connections and never says a word (no TLS handshake, no answer). */
export class SilentServer {
  readonly accepted: number[] = [];
  private readonly server: TcpServer;
  private readonly sockets: Set<Socket>;
  private port = 0;

  private constructor() {
    this.server = createTcpServer((socket) => {
      this.accepted.push(Date.now());
      socket.on('error', () => undefined);
    });
    this.sockets = trackSockets(this.server);
  }

  static async start(): Promise<SilentServer> {
    const server = new SilentServer();
    server.port = await listenOnLoopback(server.server);
    return server;
  }

  url(path = '/'): string {
    return `https://127.0.0.1:${this.port}${path}`;
  }

  async close(): Promise<void> {
    await closeServer(this.server, this.sockets);
  }
}

/** A loopback port nothing listens on: listen on port 0, close, hand back the number. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listenOnLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
