import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ptyAvailable, runInPty } from '../src/pty.js';

test('testkit: runInPty answers prompts of a program that needs a TTY', { skip: ptyAvailable() ? false : 'util-linux script missing' }, async () => {
  const script = `if [ -t 0 ]; then echo tty-yes; fi; printf 'Username: '; read u; printf 'Password: '; stty -echo; read p; stty echo; echo; echo "got $u/$p"`;
  const r = await runInPty('sh', ['-c', script], {
    steps: [{ expect: 'Username:', send: 'alice' }, { expect: /Password:/, send: 's3cret' }],
    timeoutMs: 10_000,
  });
  assert.equal(r.code, 0, r.output);
  assert.match(r.output, /tty-yes/);
  assert.match(r.output, /got alice\/s3cret/);
  assert.deepEqual(r.answered, [0, 1]);
});
