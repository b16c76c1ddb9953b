import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createConnection } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { freePort } from "../helpers/ports.ts";

const SHIPPED = path.join(import.meta.dirname, "../../deploy/nginx/tessera-channel.conf");
const NGINX = "/usr/sbin/nginx";

export interface NginxSettings {
  /** Tessera's HOST:PORT, or several instances' as an operator lists them, one server each. */
  tessera: string | string[];
  channelRoot: string;
  /** Serve the folder with no token check at all (the benchmark's baseline). */
  plain?: boolean;
  /** Run it on this CPU only (the benchmark keeps load and server apart). */
  cpu?: number;
}

function servers(tessera: string | string[]): string {
  return [tessera]
    .flat()
    .map((instance) => `server ${instance};`)
    .join("\n    ");
}

/**
 * The shipped configuration with its placeholders filled in and the commented product-channel
 * example (conda-pro for the product pro) switched on, as an operator would.
 */
async function channelConfig(settings: NginxSettings & { listen: string; accessLog: string }) {
  const template = await readFile(SHIPPED, "utf8");
  const lines = template.split("\n");
  const begin = lines.findIndex((line) => line.includes("# BEGIN product channel"));
  const end = lines.findIndex((line) => line.includes("# END product channel"));
  if (begin < 0 || end < begin) throw new Error("the product channel example is missing");

  const enabled = lines.map((line, i) => (i > begin && i < end ? line.replace("# ", "") : line));
  const filled = enabled
    .join("\n")
    .replace("server @TESSERA@;", servers(settings.tessera))
    .replaceAll("@LISTEN@", settings.listen)
    .replaceAll("@SERVER_NAME@", "localhost")
    .replaceAll("@CHANNEL_ROOT@", settings.channelRoot)
    .replaceAll("@ACCESS_LOG@", settings.accessLog);
  if (/@[A-Z_]+@/.test(filled)) throw new Error("a setting of the shipped config is not filled");

  return filled;
}

/** The main configuration around it: everything in the folder, the current user's workers. */
function mainConfig(folder: string, channelConf: string): string {
  const temp = (name: string) => `${name}_temp_path ${path.join(folder, "temp", name)};`;
  // A root master would run its workers as nobody, who cannot read the test's private folder.
  const user = process.getuid?.() === 0 ? `user ${userInfo().username};` : "";

  return `
daemon off;
worker_processes 1;
${user}
pid ${path.join(folder, "nginx.pid")};
error_log ${path.join(folder, "error.log")} info;
events { worker_connections 1024; }
http {
  types { application/json json; }
  default_type application/octet-stream;
  ${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp).join("\n  ")}
  access_log ${path.join(folder, "default-access.log")};
  include ${channelConf};
}
`;
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitUntilListening(child: ChildProcess, port: number, errorLog: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break;
    if (await accepting(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const log = await readFile(errorLog, "utf8").catch(() => "");
  throw new Error(`nginx did not start on port ${port}:\n${log}`);
}

export interface Nginx {
  url: string;
  accessLog: string;
  errorLog: string;
  stop(): Promise<void>;
}

/** Debian's nginx as the current user with the shipped config, on a free loopback port. */
export async function startNginx(settings: NginxSettings): Promise<Nginx> {
  const folder = await mkdtemp(path.join(tmpdir(), "tessera-nginx-"));
  await mkdir(path.join(folder, "temp"));
  const port = await freePort();
  const accessLog = path.join(folder, "access.log");
  const errorLog = path.join(folder, "error.log");

  const channelConf = path.join(folder, "tessera-channel.conf");
  const mainConf = path.join(folder, "nginx.conf");
  const listen = `127.0.0.1:${port}`;
  const plain = `server { listen ${listen}; root ${settings.channelRoot}; access_log ${accessLog}; }`;
  await writeFile(
    channelConf,
    settings.plain ? plain : await channelConfig({ ...settings, listen, accessLog }),
  );
  await writeFile(mainConf, mainConfig(folder, channelConf));

  const args = ["-p", folder, "-c", mainConf, "-e", errorLog];
  const child =
    settings.cpu === undefined
      ? spawn(NGINX, args, { stdio: "ignore" })
      : spawn("taskset", ["-c", String(settings.cpu), NGINX, ...args], { stdio: "ignore" });
  await waitUntilListening(child, port, errorLog);

  return {
    url: `http://${listen}`,
    accessLog,
    errorLog,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
      await rm(folder, { recursive: true, force: true });
    },
  };
}
