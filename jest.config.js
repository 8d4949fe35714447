/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // The worker's virtual module, so @azure/functions registers for real (see local/host/functions-core.ts).
  moduleNameMapper: { "^@azure/functions-core$": "<rootDir>/local/host/functions-core.ts" },
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // Integration suites start servers (Azurite, emulators, the local host); give them room on a 2-core machine.
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
};
