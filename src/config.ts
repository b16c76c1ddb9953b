import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A plan a billing admin can buy: one product, a price per seat and a period. */
export interface Plan {
  id: string;
  product: string;
  name: string;
  /** Price of one seat for one period, in integer minor units of `currency` (cents). */
  pricePerSeat: number;
  currency: string;
  period: "month" | "year";
}

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  secret: string;
  trustProxy: boolean | number | string[];
  logLevel: string;
  invitationLifetimeMs: number;
  /** Most invitation addresses one organization may send per hour. */
  invitationsPerHour: number;
  signInRateLimit: { max: number; windowSeconds: number };
  plans: Plan[];
  /** Base URL of the package channel; the member's token goes after `/t/`. */
  channelUrl: string;
  /** Outgoing mail per second at most, for bulk invitation mail. */
  mailRatePerSecond: number;
  /** CSV uploads: most bytes and data rows in one file, most files per organization per hour. */
  upload: {
    maxBytes: number;
    maxRows: number;
    perHour: number;
    inlineRows: number;
    /** Rows per committed chunk of a large upload; unset, chosen by the kind of database. */
    chunkRows: number | undefined;
  };
  /** How long a claimed background job stays with its worker unless renewed. */
  jobLeaseSeconds: number;
  /** How long the token check keeps an answer in memory; 0 keeps none. */
  tokenCacheSeconds: number;
  /** Token checks waiting for the database at most; past it the check answers 503. */
  tokenCheckMaxInFlight: number;
  /** How long a stop may take before the process exits regardless. */
  shutdownSeconds: number;
}

/** A setting with a bad value: the message names the variable and what it wants. */
export class ConfigError extends Error {
  constructor(name: string, problem: string) {
    super(`${name}: ${problem}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const DEFAULT_PLANS: Plan[] = [
  {
    id: "conda-team-monthly",
    product: "conda",
    name: "Team, monthly",
    pricePerSeat: 1500,
    currency: "USD",
    period: "month",
  },
  {
    id: "conda-team-yearly",
    product: "conda",
    name: "Team, yearly",
    pricePerSeat: 15000,
    currency: "USD",
    period: "year",
  },
];

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);

  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${value}`);
  }

  return value;
}

function url(env: Env, name: string, fallback: string | undefined): string | undefined {
  const raw = env[name] || fallback;
  if (raw === undefined) return undefined;

  try {
    new URL(raw);
  } catch {
    throw new ConfigError(name, `expected a URL, got "${raw}"`);
  }

  return raw.replace(/\/+$/, "");
}

/** A URL people open in a browser or give to conda: http or https only. */
function webUrl(env: Env, name: string, fallback: string): string {
  const value = url(env, name, fallback) as string;
  const { protocol } = new URL(value);
  if (protocol !== "http:" && protocol !== "https:") {
    throw new ConfigError(name, `expected an http or https URL, got "${value}"`);
  }

  return value;
}

const DURATION_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Reads "7d", "36h" or "90m". */
function duration(env: Env, name: string, fallback: string): number {
  const raw = env[name] || fallback;
  const match = /^(\d+)([mhd])$/.exec(raw);
  if (!match)
    throw new ConfigError(name, `expected a duration such as 7d, 48h or 90m, got "${raw}"`);

  const amount = Number(match[1]);
  if (amount === 0) throw new ConfigError(name, "must be longer than zero");

  return amount * (DURATION_UNITS[match[2] ?? "d"] ?? 0);
}

function trustProxy(env: Env): Config["trustProxy"] {
  const raw = (env.TRUST_PROXY ?? "").trim();
  if (raw === "" || raw === "false") return false;
  if (raw === "true") return true;
  if (/^\d+$/.test(raw)) return Number(raw);

  const addresses = raw.split(",").map((part) => part.trim());
  if (addresses.some((address) => !/^[0-9a-fA-F:.]+(\/\d+)?$/.test(address))) {
    throw new ConfigError(
      "TRUST_PROXY",
      `expected true, false, a hop count or addresses, got "${raw}"`,
    );
  }

  return addresses;
}

function plans(env: Env): Plan[] {
  const raw = env.PLANS;
  if (!raw) return DEFAULT_PLANS;

  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError("PLANS", "expected a JSON array of plans");
  }

  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new ConfigError("PLANS", "expected a non-empty JSON array of plans");
  }

  return parsed.map((item, index) => plan(item, index));
}

function plan(item: unknown, index: number): Plan {
  const where = `PLANS[${index}]`;
  if (typeof item !== "object" || item === null) throw new ConfigError(where, "expected an object");

  const p = item as Record<string, unknown>;
  const text = (key: string, pattern: RegExp): string => {
    const value = p[key];
    if (typeof value !== "string" || !pattern.test(value)) {
      throw new ConfigError(`${where}.${key}`, `expected text matching ${String(pattern)}`);
    }
    return value;
  };

  const price = p.pricePerSeat;
  if (typeof price !== "number" || !Number.isInteger(price) || price < 0) {
    throw new ConfigError(`${where}.pricePerSeat`, "expected whole minor units (cents), 0 or more");
  }

  const period = p.period;
  if (period !== "month" && period !== "year") {
    throw new ConfigError(`${where}.period`, 'expected "month" or "year"');
  }

  return {
    id: text("id", /^[a-z0-9][a-z0-9-]{0,62}$/),
    product: text("product", /^[a-z0-9][a-z0-9-]{0,62}$/),
    name: text("name", /^.{1,100}$/),
    pricePerSeat: price,
    currency: text("currency", /^[A-Z]{3}$/),
    period,
  };
}

/**
 * The secret that encrypts outbox secrets and signs sessions. On the embedded database it is
 * generated on first start and kept in the data folder; with a server every instance must share
 * one, so it has to be given.
 */
function secret(env: Env, dataDir: string, databaseUrl: string | undefined): string {
  const given = env.SECRET;
  if (given) {
    if (given.length < 32) throw new ConfigError("SECRET", "must be at least 32 characters");
    return given;
  }

  if (databaseUrl) {
    throw new ConfigError("SECRET", "is required with DATABASE_URL (every instance needs one)");
  }

  const file = path.join(dataDir, "secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();

  mkdirSync(dataDir, { recursive: true });
  const generated = randomBytes(32).toString("base64url");
  writeFileSync(file, generated + "\n", { mode: 0o600 });

  return generated;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function logLevel(env: Env): string {
  const level = env.LOG_LEVEL || "info";
  if (!LOG_LEVELS.includes(level)) {
    throw new ConfigError("LOG_LEVEL", `expected one of ${LOG_LEVELS.join(", ")}, got "${level}"`);
  }

  return level;
}

/** Reads and validates every setting once; throws a ConfigError naming the first bad one. */
export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, "PORT", 3000, 0, 65535);
  const dataDir = path.resolve(env.DATA_DIR || "./data");
  const databaseUrl = url(env, "DATABASE_URL", undefined);
  const publicUrl = url(env, "PUBLIC_URL", `http://localhost:${port}`) as string;

  return {
    port,
    host: env.HOST || "127.0.0.1",
    publicUrl,
    dataDir,
    databaseUrl,
    smtpUrl: url(env, "SMTP_URL", undefined),
    mailFrom: env.MAIL_FROM || "Tessera <tessera@localhost>",
    secret: secret(env, dataDir, databaseUrl),
    trustProxy: trustProxy(env),
    logLevel: logLevel(env),
    invitationLifetimeMs: duration(env, "INVITATION_LIFETIME", "7d"),
    invitationsPerHour: integer(env, "INVITATIONS_PER_HOUR", 1000, 1, 10_000_000),
    signInRateLimit: {
      max: integer(env, "SIGN_IN_RATE_LIMIT", 10, 1, 100_000),
      windowSeconds: integer(env, "SIGN_IN_RATE_WINDOW_SECONDS", 60, 1, 86_400),
    },
    plans: plans(env),
    channelUrl: webUrl(env, "CHANNEL_URL", `${publicUrl}/conda`),
    mailRatePerSecond: integer(env, "MAIL_RATE_PER_SECOND", 20, 1, 10_000),
    upload: {
      maxBytes: integer(env, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxRows: integer(env, "UPLOAD_MAX_ROWS", 100_000, 1, 10_000_000),
      perHour: integer(env, "UPLOADS_PER_HOUR", 20, 1, 100_000),
      // Files up to this many rows are read (and committed) within the request.
      inlineRows: integer(env, "UPLOAD_INLINE_ROWS", 2000, 0, 100_000),
      chunkRows: env.UPLOAD_CHUNK_ROWS
        ? integer(env, "UPLOAD_CHUNK_ROWS", 2000, 100, 100_000)
        : undefined,
    },
    jobLeaseSeconds: integer(env, "JOB_LEASE_SECONDS", 30, 1, 3600),
    tokenCacheSeconds: integer(env, "TOKEN_CACHE_SECONDS", 5, 0, 3600),
    tokenCheckMaxInFlight: integer(env, "TOKEN_CHECK_MAX_IN_FLIGHT", 256, 1, 1_000_000),
    shutdownSeconds: integer(env, "SHUTDOWN_SECONDS", 25, 1, 3600),
  };
}
