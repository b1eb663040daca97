/** Jest's global teardown of the infrastructure tests: the synthesized assembly goes. */
import { rmSync } from 'node:fs';

import { ASSEMBLY_DIRECTORY } from './harness';

export default function removeAssembly(): void {
  const directory = process.env[ASSEMBLY_DIRECTORY];
  if (directory !== undefined) {
    rmSync(directory, { recursive: true, force: true });
  }
}
