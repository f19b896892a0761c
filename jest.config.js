// ESM all the way: ts-jest compiles each test as an ES module, and ts-jest-resolver maps the
// `.js` suffixes NodeNext requires back to the `.ts` sources.
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  resolver: 'ts-jest-resolver',
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }]
  },
  collectCoverageFrom: ['./src/**'],
  coverageReporters: ['json-summary', 'text', 'lcov'],
  testTimeout: 30000,
  verbose: false
}
