import { defineConfig } from 'drizzle-kit';

// Each context keeps its tables in its own folder (and lists them in its manifest); the platform's
// messaging tables live beside the messaging code. drizzle-kit reads them all by file name.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/**/*.table.ts', './src/**/*.tables.ts'],
  out: './migrations',
});
