import { createSocket, type Socket } from 'node:dgram';
import dnsPacket, { type Answer } from 'dns-packet';

/** How the test server answers for one name: records (by type), NXDOMAIN, SERVFAIL, or silence. */
export type ZoneEntry = { readonly kind: 'records'; readonly records: Partial<Record<'NS' | 'MX', readonly string[]>> } | { readonly kind: 'nxdomain' } | { readonly kind: 'servfail' } | { readonly kind: 'silent' };

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;

/**
 * A real DNS server on UDP loopback (the DNS wire format through dns-packet): enough of one to
 * answer NS and MX questions the way an authoritative-ish recursive resolver would.
 */
export class LoopbackDns {
  private constructor(private readonly socket: Socket, readonly address: string, readonly queries: string[]) {}

  static async start(zone: Readonly<Record<string, ZoneEntry>>): Promise<LoopbackDns> {
    const socket = createSocket('udp4');
    const queries: string[] = [];
    socket.on('message', (message, remote) => {
      const request = dnsPacket.decode(message);
      const question = request.questions?.[0];
      if (!question) return;
      const name = question.name.toLowerCase().replace(/\.$/, '');
      queries.push(`${question.type} ${name}`);
      const entry = zone[name] ?? { kind: 'nxdomain' };
      if (entry.kind === 'silent') return;
      let rcode: number = RCODE.NOERROR;
      const answers: Answer[] = [];
      if (entry.kind === 'nxdomain') rcode = RCODE.NXDOMAIN;
      else if (entry.kind === 'servfail') rcode = RCODE.SERVFAIL;
      else if (question.type === 'NS') for (const ns of entry.records.NS ?? []) answers.push({ type: 'NS', name: question.name, ttl: 60, data: ns });
      else if (question.type === 'MX') for (const [i, mx] of (entry.records.MX ?? []).entries()) answers.push({ type: 'MX', name: question.name, ttl: 60, data: { preference: 10 * (i + 1), exchange: mx } });
      // The rcode is the low four bits of the flags; RD and RA as a recursive resolver sets them.
      const response = dnsPacket.encode({
        type: 'response', id: request.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode,
        questions: request.questions, answers,
      });
      socket.send(response, remote.port, remote.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new LoopbackDns(socket, `127.0.0.1:${socket.address().port}`, queries);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** The zone the AUTHN-2a tests use. */
export const TEST_ZONE: Record<string, ZoneEntry> = {
  'gone.test': { kind: 'nxdomain' },
  'alive.test': { kind: 'records', records: { NS: ['ns1.alive.test'], MX: ['mx.alive.test'] } },
  'mail-only.test': { kind: 'records', records: { MX: ['mx.mail-only.test'] } },
  'empty.test': { kind: 'records', records: {} },
  'broken.test': { kind: 'servfail' },
  'expiring.test': { kind: 'records', records: { NS: ['ns1.expiring.test'], MX: ['mx.expiring.test'] } },
};
