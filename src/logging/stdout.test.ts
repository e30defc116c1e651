import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

test('a stdout nobody reads costs bounded memory: whole writes past the bound are dropped and counted', async () => {
  const module = JSON.stringify(new URL('./stdout.js', import.meta.url).href);
  // 200 MiB of lines into a pipe the parent does not read, then a report on stderr.
  const script = `
    const { stdoutDestination, stdoutDrops } = await import(${module});
    const out = stdoutDestination();
    const line = Buffer.from('x'.repeat(100 * 1024 - 1) + '\\n');
    for (let i = 0; i < 2048; i++) out.write(line);
    process.stderr.write(JSON.stringify({ drops: stdoutDrops(), rssMiB: process.memoryUsage().rss / 1048576 }) + '\\n');
  `;
  const child = spawn(process.execPath, ['--input-type=module', '--eval', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pause();
  let err = '';
  const report = await new Promise<{ drops: number; rssMiB: number }>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const nl = err.indexOf('\n');
      if (nl !== -1) resolve(JSON.parse(err.slice(0, nl)));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before reporting: ${err}`)));
  });
  // Now read, so the child can flush what it kept and exit.
  let received = 0;
  child.stdout.on('data', (d: Buffer) => { received += d.length; });
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0);
  assert.ok(report.drops > 1000, `only ${report.drops} of 2048 writes dropped`);
  assert.ok(report.rssMiB < 200, `resident ${report.rssMiB.toFixed(0)} MiB with 200 MiB written`);
  // What was kept arrives whole: a multiple of the line length, nothing cut.
  assert.equal(received % (100 * 1024), 0);
  assert.equal(received / (100 * 1024), 2048 - report.drops);
});

test('logger records (strings) and request-line chunks (bytes) reach stdout whole, in order, as UTF-8', async () => {
  const module = JSON.stringify(new URL('./stdout.js', import.meta.url).href);
  const script = `
    const { stdoutDestination, stdoutLogStream } = await import(${module});
    const log = stdoutLogStream();
    const out = stdoutDestination();
    for (let i = 0; i < 50; i++) {
      log.write('{"msg":"started ' + i + ' – ünïcode"}\\n');
      out.write(Buffer.from('{"requestId":"r' + i + '","model":"modèle"}\\n{"requestId":"s' + i + '"}\\n'));
    }
  `;
  const child = spawn(process.execPath, ['--input-type=module', '--eval', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => chunks.push(d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0);
  const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
  const expected = Array.from({ length: 50 }, (_, i) => [`{"msg":"started ${i} – ünïcode"}`, `{"requestId":"r${i}","model":"modèle"}`, `{"requestId":"s${i}"}`]).flat();
  assert.deepEqual(lines, expected);
});
