// Host-side checks of the job machinery with real child processes (no VS Code needed).
// Run by test/e2e/run.mjs before the browser scenarios.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/e2e/host/**/*.test.ts'], testTimeout: 60_000, pool: 'forks' },
});
