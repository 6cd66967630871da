import { defineConfig } from 'vitest/config';

const shared = { testTimeout: 180_000, hookTimeout: 180_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // Integration tests drive the shipped bundles, built once by the global setup.
      { test: { ...shared, name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: ['test/integration/globalSetup.ts'] } },
    ],
  },
});
