import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: more parallel files only make the PGlite/argon2-heavy suites slower.
    maxWorkers: 2,
    coverage: {
      provider: 'v8',
      include: ['src/contexts/*/domain/**', 'src/contexts/*/application/**', 'src/shared/domain/**', 'src/shared/application/**'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 95, branches: 95, functions: 95, statements: 95 },
    },
  },
});
