/**
 * `npm test`: the static checks (`npm run check`) and Jest side by side, after the set-up.
 *
 * Jest spends much of its time waiting on the stack (Temporal timers, device acks, HTTP), so the
 * checks' CPU work fits beside it instead of before it. The checks' output is printed once they end
 * (not interleaved with Jest's); the run fails if either fails. Arguments go to Jest.
 */
import { spawn } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command: string, args: string[], captured: boolean): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: captured ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function main(): Promise<number> {
  const setup = await run(npm, ['run', '--silent', 'setup'], false);
  if (setup.code !== 0) return setup.code;
  const started = Date.now();
  const [check, jest] = await Promise.all([
    run(npm, ['run', '--silent', 'check'], true).then((result) => ({ ...result, seconds: (Date.now() - started) / 1000 })),
    run(process.execPath, [require.resolve('jest/bin/jest'), ...process.argv.slice(2)], false),
  ]);
  process.stdout.write(`\n── npm run check (${check.seconds.toFixed(0)} s, beside Jest): ${check.code === 0 ? 'passed' : 'FAILED'}\n`);
  if (check.output.trim()) process.stdout.write(`${check.output.trimEnd()}\n`);
  if (check.code !== 0) return check.code;
  return jest.code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
