import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A Tessera server process started as `npm start` would, with its output kept. */
export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `src/main.ts` in a process of its own, with only PATH and `env` in its environment. */
export function launch(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  return { child, output: () => output, exited };
}

/** Waits until `path` answers 2xx on the port, failing with the output if the process ends. */
export async function waitUntilAnswering(
  port: number,
  running: Running,
  answers = "/healthz",
): Promise<void> {
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}${answers}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (running.child.exitCode !== null) throw new Error(`exited early:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no ${answers}:\n${running.output()}`);
}
