// A real HTTP receiver for event deliveries (webhooks, SET push): records every request, answers
// with the status a test sets, and can go down and come back on the same port.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export class Receiver {
  readonly received: Received[] = [];
  /** The status of the next answers; a function decides per request. */
  status: number | ((request: Received) => number) = 200;
  /** The body of the next answers. */
  reply = '';
  /** Requests are held, never answered, while set. */
  hang = false;
  private server: Server | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/events`;
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(request);
        if (this.hang) return;
        res.statusCode = typeof this.status === 'function' ? this.status(request) : this.status;
        if (this.reply) res.setHeader('content-type', 'application/json');
        res.end(this.reply);
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening: deliveries meet a refused connection until up() again. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Waits until `done` holds for what was received; fails after `timeoutMs`. */
  async until(done: (received: Received[]) => boolean, timeoutMs = 10_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.received)) {
      if (Date.now() > deadline) throw new Error(`Receiver: condition not met within ${timeoutMs} ms (${this.received.length} received)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.received;
  }
}

/** Starts a receiver; close it with down(). */
export async function startReceiver(): Promise<Receiver> {
  const receiver = new Receiver();
  await receiver.up();
  return receiver;
}
