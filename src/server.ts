import type { FastifyServerOptions } from "fastify";
import { buildApp } from "./app.ts";
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Context } from "./context.ts";
import type { Database } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import { openDatabase } from "./db/open.ts";
import type { App } from "./http/types.ts";
import { MailWorker } from "./mail/worker.ts";
import { mailboxTransport, smtpTransport, type MailTransport } from "./mail/transport.ts";
import { startBackground } from "./background.ts";
import { uploadJob } from "./invitations/uploads/service.ts";
import { JobWorker } from "./jobs/worker.ts";

export interface Tessera {
  app: App;
  ctx: Context;
  mail: MailWorker;
  /** Long background jobs: large CSV uploads. */
  jobs: JobWorker;
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  /** An open database to use instead of the configured one (tests). */
  db?: Database;
  clock?: Clock;
  strictResponses?: boolean;
  logger?: FastifyServerOptions["logger"];
  /** Print lines of the development mailbox (links) somewhere other than stdout. */
  print?: (line: string) => void;
  /** The built web app to serve (default web/dist). */
  webRoot?: string;
  /** Start no background loops; tests drive them by hand. */
  manualBackground?: boolean;
}

function transportFor(config: Config, db: Database, print: (line: string) => void): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl) : mailboxTransport(db, print);
}

/** Opens and migrates the database, builds the app, starts the workers and listens. */
export async function startTessera(options: StartOptions): Promise<Tessera> {
  const { config } = options;
  const db = options.db ?? (await openDatabase(config));
  await migrate(db);

  const { app, ctx } = await buildApp({ ...options, db });
  const print = options.print ?? ((line: string) => process.stdout.write(line + "\n"));
  const transport = transportFor(config, db, print);
  const mail = new MailWorker({
    db,
    sealer: ctx.sealer,
    transport,
    from: config.mailFrom,
    log: app.log,
    ratePerSecond: config.mailRatePerSecond,
  });
  const jobs = new JobWorker({
    db,
    log: app.log,
    handlers: [uploadJob(ctx)],
    leaseSeconds: config.jobLeaseSeconds,
  });
  const checks = ctx.tokenChecks;
  await checks.start();
  const background = startBackground(ctx, options.manualBackground ?? false);
  if (!options.manualBackground) {
    mail.start();
    jobs.start();
  }

  // Room for a burst of new connections (nginx workers, many clients) while the event loop is
  // busy: past Node's default of 511 the kernel drops them, and each one waits a second to retry.
  const address = await app.listen({ port: config.port, host: config.host, backlog: 4096 });

  return {
    app,
    ctx,
    mail,
    jobs,
    url: address.replace("[::1]", "localhost"),
    async close() {
      await app.close();
      await checks.stop();
      await background.stop();
      await jobs.stop();
      await mail.stop();
      await transport.close();
      await db.close();
    },
  };
}
