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
  testTimeout: 30000,
  // Most suites wait on real HTTP, child bot processes, Azurite and Chromium rather than compute:
  // four workers keep both cores of this machine busy (jest's default here is one, cores - 1).
  // Measured on this 2-core machine: 432 s with one worker, 185 s with four (README, Tests).
  maxWorkers: 4,
};
