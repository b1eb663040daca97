/** jest's global tear-down of the integration tests: stops the emulator start-emulator.ts started. */
import { once } from 'node:events';

export default async function stopEmulator(): Promise<void> {
  const server = globalThis.awsEmulator;
  if (server?.exitCode === null) {
    const exited = once(server, 'exit');
    server.kill();
    await exited;
  }
}
