import { ConfigError, loadConfig } from "./config.ts";
import { DataDirInUseError } from "./db/pglite.ts";
import { startTessera } from "./server.ts";
import { ensureWebBuild } from "./web/build.ts";
import { defaultWebRoot } from "./web/static.ts";

async function main(): Promise<void> {
  const config = loadConfig();
  const webRoot = defaultWebRoot();
  await ensureWebBuild(webRoot, (line) => process.stdout.write(line + "\n"));

  const tessera = await startTessera({ config, webRoot });
  const mode = config.databaseUrl ? "PostgreSQL server" : `embedded database in ${config.dataDir}`;
  const mail = config.smtpUrl
    ? "SMTP"
    : `the development mailbox at ${config.publicUrl}/dev/mailbox`;
  tessera.app.log.info(
    { url: config.publicUrl, listening: tessera.url },
    `tessera serving on ${mode}; mail goes to ${mail}`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    tessera.app.log.info({ signal }, "stopping");
    // A database that stopped answering would hold requests, and so the stop, for good: a
    // supervisor's kill would come next anyway, with no word in the log.
    setTimeout(() => {
      tessera.app.log.error(
        { shutdownSeconds: config.shutdownSeconds },
        "stop took longer than SHUTDOWN_SECONDS; exiting with work unfinished",
      );
      process.exit(1);
    }, config.shutdownSeconds * 1000).unref();
    tessera.close().then(
      () => process.exit(0),
      (error: unknown) => {
        tessera.app.log.error({ err: error }, "stop failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirInUseError) {
    process.stderr.write(`tessera: ${error.message}\n`);
  } else {
    process.stderr.write(
      `tessera: could not start: ${String(error instanceof Error ? error.stack : error)}\n`,
    );
  }
  process.exit(1);
});
