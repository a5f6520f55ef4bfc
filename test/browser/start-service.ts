import { ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Starts the built service (`dist/src/main.js`) with only `env` (and PATH), and waits until
 * `readyUrl` answers 2xx; stops it again if it never does.
 */
export async function startBuiltService(
  env: Record<string, string>,
  readyUrl: string,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 480; i++) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    if (
      await fetch(readyUrl).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGTERM');
  throw new Error('service did not become ready');
}

/** Stops a service started above and removes its data folder. */
export async function stopBuiltService(service: ChildProcess, dataDir: string): Promise<void> {
  service.kill('SIGTERM');
  await new Promise((resolve) => service.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
