import { test } from 'node:test';
import assert from 'node:assert/strict';
import { publishBody } from '@bulwark/testkit';
import {
  cosigner, formatCosignatureVerifierKey, generateEd25519, openCheckpoint, parseCosignatureVerifierKey, parseNote, parseVerifierKey, signNote,
} from '../../src/domain/tlog/index.js';
import { bearer, inProcessRegistry } from './harness.js';

test('GEN-3b: a configured witness cosigns the served checkpoint; strangers and stale checkpoints are refused', async () => {
  const witnessKey = generateEd25519();
  const strangerKey = generateEd25519();
  const witnessVkey = formatCosignatureVerifierKey('witness.test', witnessKey.publicKey);
  const reg = await inProcessRegistry({ tlog: { origin: 'registry.test/log', witnesses: [witnessVkey], checkpointIntervalSeconds: 3600 } });
  try {
    const alice = await reg.user('alice');
    const publish = (version: string) => reg.app.inject({
      method: 'PUT', url: '/witnessed', headers: { 'content-type': 'application/json', ...bearer(alice) }, payload: JSON.stringify(publishBody({ name: 'witnessed', version }).body),
    });
    assert.equal((await publish('1.0.0')).statusCode, 201);
    const served = (await reg.app.inject({ url: '/-/tlog/checkpoint' })).body;
    const text = parseNote(served).text;
    const cosign = (seed: Uint8Array, name: string) => signNote(text, [cosigner(name, seed, Math.floor(Date.now() / 1000))], parseNote(served).signatures);
    const post = (note: string) => reg.app.inject({ method: 'POST', url: '/-/tlog/cosignatures', headers: { 'content-type': 'text/plain' }, payload: note });

    const stranger = await post(cosign(strangerKey.seed, 'stranger.test'));
    assert.equal(stranger.statusCode, 403, stranger.body);
    const accepted = await post(cosign(witnessKey.seed, 'witness.test'));
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json().accepted, 1);

    const logVerifier = parseVerifierKey((await reg.app.inject({ url: '/-/tlog/key' })).body.trim());
    const opened = openCheckpoint((await reg.app.inject({ url: '/-/tlog/checkpoint' })).body, logVerifier, { witnesses: [parseCosignatureVerifierKey(witnessVkey)] });
    assert.deepEqual(opened.note.verified.map((s) => s.name).sort(), ['registry.test/log', 'witness.test']);

    // With a one-hour interval, a new publish does not issue a new checkpoint yet.
    assert.equal((await publish('1.0.1')).statusCode, 201);
    assert.equal(parseNote((await reg.app.inject({ url: '/-/tlog/checkpoint' })).body).text, text);

    const tampered = text.replace(/\n\d+\n/, '\n999\n');
    const forged = await post(signNote(tampered, [cosigner('witness.test', witnessKey.seed, 1)]));
    assert.ok([400, 409].includes(forged.statusCode), `a note not signed by the log is refused (${forged.statusCode})`);
  } finally {
    await reg.close();
  }
});
