// The suites of `make test`: CDK assertions, unit tests of the service's code and the scripts, and integration
// tests against the local AWS emulator that their global setup starts. TypeScript runs through swc.
/** @type {import('jest').Config} */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': '@swc/jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // A relative import spelled with .js, as Node.js's ES module resolution wants it, is the .ts file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

module.exports = {
  // Per test and hook, not jest's 5 s: on a busy runner an emulator call can take seconds.
  testTimeout: 30_000,
  projects: [
    {
      ...shared,
      displayName: 'infrastructure',
      testMatch: ['<rootDir>/tests/infrastructure/**/*.test.ts'],
      // The app is synthesized once for every test file, as the Python render's session fixture does.
      globalSetup: '<rootDir>/tests/infrastructure/synthesize.ts',
      globalTeardown: '<rootDir>/tests/infrastructure/remove-assembly.ts',
    },
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
      // The AWS SDK pointed away from AWS, and the handlers' settings, before any test imports them.
      setupFiles: ['<rootDir>/tests/environment.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/environment.ts'],
      globalSetup: '<rootDir>/tests/integration/start-emulator.ts',
      globalTeardown: '<rootDir>/tests/integration/stop-emulator.ts',
    },
  ],
};
