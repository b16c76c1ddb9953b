import { afterAll, afterEach, beforeAll } from "vitest";
import { startTestServer, type TestServer, type TestServerOptions } from "../../helpers/server.ts";
import { launchBrowser, type TestBrowser } from "./browser.ts";

export interface BrowserSuite {
  server: TestServer;
  browser: TestBrowser;
}

/**
 * One server and one browser for a whole test file: started before its first test, stopped
 * after its last; a failed test leaves its page's screenshot and console behind. `started`
 * hands them to the file's own variables.
 */
export function useBrowserSuite(
  started: (suite: BrowserSuite) => void,
  options: TestServerOptions = {},
): void {
  let suite: BrowserSuite | undefined;

  beforeAll(async () => {
    const server = await startTestServer(options);
    suite = { server, browser: await launchBrowser() };
    started(suite);
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") await suite?.browser.explainFailure(task.name);
  });

  afterAll(async () => {
    await suite?.browser.close();
    await suite?.server.stop();
  });
}
