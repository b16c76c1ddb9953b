import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Loopback only: no proxy a developer's environment may name, for either client. */
const CLIENT_ENV = { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" };

export interface CurlAnswer {
  status: number;
  retryAfter: string;
  contentType: string;
  cacheControl: string;
  wwwAuthenticate: string;
  body: Buffer;
}

/** One GET with Debian's curl; the status and four headers go to stderr, the body to stdout. */
export async function curl(url: string, headers: Record<string, string> = {}) {
  const args = [
    "--silent",
    "--noproxy",
    "*",
    "--write-out",
    "%{stderr}%{http_code}\t%header{retry-after}\t%header{content-type}\t%header{cache-control}" +
      "\t%header{www-authenticate}",
  ];
  for (const [name, value] of Object.entries(headers)) args.push("--header", `${name}: ${value}`);

  const { stdout, stderr } = await run("/usr/bin/curl", [...args, url], {
    encoding: "buffer",
    env: CLIENT_ENV,
  });
  const [status = "", retryAfter = "", contentType = "", cacheControl = "", wwwAuthenticate = ""] =
    stderr.toString().split("\t");

  return {
    status: Number(status),
    retryAfter,
    contentType,
    cacheControl,
    wwwAuthenticate,
    body: stdout,
  } satisfies CurlAnswer;
}

/** Reads a package's info/ over HTTP range requests and prints its info/index.json. */
const READ_INDEX = `
import sys
from conda_package_streaming.url import stream_conda_info

for tar, member in stream_conda_info(sys.argv[1]):
    if member.name == "info/index.json":
        sys.stdout.write(tar.extractfile(member).read().decode())
        break
`;

/**
 * The package's index.json as Debian's conda_package_streaming reads it from `url`, run by
 * Debian's own python3 in isolated mode (no user site, no PYTHON* variables).
 */
export async function streamCondaIndex(url: string): Promise<Record<string, unknown>> {
  const { stdout } = await run("/usr/bin/python3", ["-I", "-c", READ_INDEX, url], {
    env: CLIENT_ENV,
  });

  return JSON.parse(stdout) as Record<string, unknown>;
}
