import { ManualClock } from "../../src/clock.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { startTessera, type Tessera } from "../../src/server.ts";
import { Client } from "./client.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { TestSmtp } from "./smtp.ts";
import { freePort } from "./ports.ts";

export interface TestServer {
  tessera: Tessera;
  url: string;
  clock: ManualClock;
  smtp: TestSmtp;
  database: TestDatabase;
  /** A new person with an empty cookie jar. */
  client(): Client;
  /** Delivers every mail in the outbox now. */
  deliverMail(): Promise<number>;
  /** Runs every background job (large uploads) that is ready now. */
  runJobs(): Promise<number>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  env?: Record<string, string>;
  /** Use the development mailbox instead of the test's SMTP server. */
  mailbox?: boolean;
  /** Receives the server's JSON log lines. */
  logLines?: string[];
}

/**
 * Tessera on a loopback port with a database of its own, a real SMTP server catching its
 * mail, a clock the test moves, and strict response checks.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const smtp = await new TestSmtp().start();
  const database = await createTestDatabase();
  const clock = new ManualClock(new Date());
  const port = await freePort();

  const config: Config = loadConfig({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SECRET: "test-secret-test-secret-test-secret-0123",
    SIGN_IN_RATE_LIMIT: "1000",
    INVITATIONS_PER_HOUR: "100000",
    MAIL_RATE_PER_SECOND: "1000",
    ...(options.mailbox ? {} : { SMTP_URL: smtp.url }),
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });

  const tessera = await startTessera({
    config,
    db: database.db,
    clock,
    strictResponses: true,
    logger: options.logLines
      ? { level: "info", stream: { write: (line: string) => options.logLines?.push(line) } }
      : false,
    print: () => {},
    manualBackground: true,
  });

  return {
    tessera,
    url: tessera.url,
    clock,
    smtp,
    database,
    client: () => new Client(config.publicUrl),
    deliverMail: () => tessera.mail.drain(),
    runJobs: () => tessera.jobs.drain(),
    async stop() {
      await tessera.close().catch(() => {});
      await database.drop();
      await smtp.stop();
    },
  };
}
