/** jest's global tear-down of the integration tests: stops the emulator start-emulator.ts started. */
export default function stopEmulator(): void {
  globalThis.awsEmulator?.kill();
}
