import { createDefaultEsmPreset } from 'ts-jest';

/** @type {import('jest').Config} */
export default {
  ...createDefaultEsmPreset({ tsconfig: 'tsconfig.json' }),
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // see test/harness/strip-bom.cjs
    '^strip-bom$': '<rootDir>/test/harness/strip-bom.cjs',
  },
  // A liveness budget, not a speed check: suites start child bots, stand-ins and Azurite, and on a
  // CI machine shared by other jobs (load 10-20 seen) a start-up once took over 30 s.
  testTimeout: 90_000,
  // Most suites wait on real HTTP, child bot processes, Azurite and Chromium rather than compute:
  // four workers keep both cores of this machine busy (jest's default here is one, cores - 1).
  // Measured on this 2-core machine: 432 s with one worker, 185 s with four (README, Tests).
  maxWorkers: 4,
};
