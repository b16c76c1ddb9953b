import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

const folders: string[] = [];

function dataDir(): string {
  const folder = mkdtempSync(path.join(tmpdir(), "tessera-config-"));
  folders.push(folder);
  return folder;
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("loadConfig", () => {
  it("needs nothing on the embedded database: the secret is generated once and kept", () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });

    expect(first.secret).toHaveLength(43);
    expect(second.secret).toBe(first.secret);
    expect(readFileSync(path.join(dir, "secret"), "utf8").trim()).toBe(first.secret);
    expect(first.port).toBe(3000);
    expect(first.publicUrl).toBe("http://localhost:3000");
    expect(first.invitationLifetimeMs).toBe(7 * 86_400_000);
    expect(first.plans.map((plan) => plan.id)).toEqual(["conda-team-monthly", "conda-team-yearly"]);
  });

  it("requires SECRET with DATABASE_URL", () => {
    expect(() =>
      loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: "postgres://db/tessera" }),
    ).toThrow("SECRET: is required with DATABASE_URL (every instance needs one)");
  });

  it.each([
    [{ PORT: "http" }, 'PORT: expected a whole number, got "http"'],
    [{ PORT: "70000" }, "PORT: expected a number from 0 to 65535, got 70000"],
    [{ PUBLIC_URL: "not a url" }, 'PUBLIC_URL: expected a URL, got "not a url"'],
    [
      { CHANNEL_URL: "ftp://x/conda" },
      'CHANNEL_URL: expected an http or https URL, got "ftp://x/conda"',
    ],
    [{ CHANNEL_URL: "file:///srv/conda" }, "CHANNEL_URL: expected an http or https URL"],
    [{ CHANNEL_URL: "conda" }, 'CHANNEL_URL: expected a URL, got "conda"'],
    [{ SECRET: "short" }, "SECRET: must be at least 32 characters"],
    [{ INVITATION_LIFETIME: "7 days" }, "INVITATION_LIFETIME: expected a duration"],
    [{ TRUST_PROXY: "maybe" }, "TRUST_PROXY: expected true, false, a hop count or addresses"],
    [{ PLANS: "[" }, "PLANS: expected a JSON array of plans"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL: expected one of fatal, error, warn, info, debug"],
    [{ PLANS: '[{"id":"x"}]' }, "PLANS[0].pricePerSeat: expected whole minor units"],
  ])("names the bad value in one line: %o", (env, message) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), ...env })).toThrow(message);
  });

  it("takes an http or https CHANNEL_URL, and defaults it under PUBLIC_URL", () => {
    const given = loadConfig({ DATA_DIR: dataDir(), CHANNEL_URL: "HTTPS://conda.example.com/c/" });
    const plain = loadConfig({ DATA_DIR: dataDir(), CHANNEL_URL: "http://127.0.0.1:8080/conda" });
    const fallback = loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: "https://tessera.example" });

    expect(given.channelUrl).toBe("HTTPS://conda.example.com/c");
    expect(plain.channelUrl).toBe("http://127.0.0.1:8080/conda");
    expect(fallback.channelUrl).toBe("https://tessera.example/conda");
  });

  it("reads plans, durations and proxy settings", () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      INVITATION_LIFETIME: "48h",
      TRUST_PROXY: "10.0.0.1, 10.0.0.2",
      PLANS: JSON.stringify([
        {
          id: "pro",
          product: "conda",
          name: "Pro",
          pricePerSeat: 999,
          currency: "EUR",
          period: "year",
        },
      ]),
    });

    expect(config.invitationLifetimeMs).toBe(48 * 3_600_000);
    expect(config.trustProxy).toEqual(["10.0.0.1", "10.0.0.2"]);
    expect(config.plans).toEqual([
      {
        id: "pro",
        product: "conda",
        name: "Pro",
        pricePerSeat: 999,
        currency: "EUR",
        period: "year",
      },
    ]);
  });
});
