/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/support/node-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } }, module: { type: 'commonjs' } }],
  },
  // ESM-only dependencies are compiled to CommonJS like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!(env-paths)/)'],
  testTimeout: 120000,
  // The Photoshop panel's host code runs against in-repo fakes of the modules Photoshop provides.
  moduleNameMapper: {
    '^photoshop$': '<rootDir>/test/plugin/fakes/photoshop/index.ts',
    '^uxp$': '<rootDir>/test/plugin/fakes/uxp.ts',
  },
};
