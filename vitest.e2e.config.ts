import { defineConfig } from "vitest/config";

/** The browser tests: Chromium against a real server serving the built web app. */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    globalSetup: ["test/helpers/global-setup.ts", "test/e2e/helpers/build-web.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
