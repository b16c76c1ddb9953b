import { recordAudit } from "../audit/record.ts";
import type { Context } from "../context.ts";
import type { Queryable } from "../db/database.ts";
import { assertThat } from "../errors.ts";
import { enqueueMail, MAIL_PRIORITY } from "../mail/outbox.ts";
import type { Caller } from "../members/access.ts";
import { findMembership } from "../members/access.ts";
import { sha256, sha256Hex } from "../secrets.ts";
import type { Standing, Yes } from "./cache.ts";
import type { TokenChecks } from "./checks.ts";
import { generateToken, isWellFormed, tokenHint } from "./format.ts";
import {
  type ActiveToken,
  findActiveToken,
  findTokenStanding,
  insertToken,
  liveProducts,
  markReissued,
  organizationName,
  type TokenStanding,
  usesOn,
} from "./queries.ts";

/** The caller's own view of their token: never the token itself. */
export interface MyToken {
  /** True when they hold at least one seat whose subscription is live now. */
  hasSeat: boolean;
  /** The products those seats are for, sorted. */
  products: string[];
  /** Their active token; "inactive" while no live seat covers it. */
  token:
    (Omit<ActiveToken, "tokenId"> & { status: "active" | "inactive"; usesToday: number }) | null;
}

/** A token as shown once, right after it is made, with what to do with it. */
export interface IssuedToken {
  token: string;
  hint: string;
  products: string[];
  channelUrl: string;
  instructions: { condaConfig: string; condarc: string };
}

/** Why the check says no: a 401 (`token.*` but `inactive`), 403 or 503 code. */
export type Refusal =
  | "token.missing"
  | "token.malformed"
  | "token.invalid"
  | "token.inactive"
  | "token.product_not_covered"
  | "token.overloaded";

/**
 * The check's answer, as a value rather than a thrown error: refusals are most of what a
 * flood of bad requests gets, and they should cost no more than a yes.
 */
export type Verdict = Yes | { ok: false; code: Refusal; product?: string };

/**
 * The channel URL with the token in it: `/t/<token>` goes between the origin and the path of
 * the configured channel, so `http://host/conda` becomes `http://host/t/<token>/conda`.
 */
export function channelWithToken(channelUrl: string, token: string): string {
  const url = new URL(channelUrl);

  return `${url.origin}/t/${token}${url.pathname}`;
}

function instructionsFor(channel: string): IssuedToken["instructions"] {
  return {
    condaConfig: `conda config --add channels ${channel}`,
    condarc: `channels:\n  - ${channel}\n  - defaults`,
  };
}

/** The caller's seat coverage and active token in the organization. */
export async function getMyToken(ctx: Context, caller: Caller): Promise<MyToken> {
  const { orgId, userId } = caller.membership;
  const [products, token] = await Promise.all([
    liveProducts(ctx.db, orgId, userId, ctx.clock.now()),
    findActiveToken(ctx.db, orgId, userId),
  ]);
  const hasSeat = products.length > 0;
  const usesToday = token ? await usesOn(ctx.db, orgId, token.tokenId, ctx.clock.now()) : 0;

  return {
    hasSeat,
    products,
    token: token && {
      status: hasSeat ? "active" : "inactive",
      hint: token.hint,
      createdAt: token.createdAt,
      lastUsedAt: token.lastUsedAt,
      usesToday,
    },
  };
}

interface Issue {
  caller: Caller;
  products: string[];
  at: Date;
  template: "token-issued" | "token-reissued";
}

/**
 * Makes a token, stores its hash, and mails it with the install instructions. Announces the
 * change: the organization's answers, and a cached "unknown" for the new hash, must go.
 */
async function issue(ctx: Context, checks: TokenChecks, tx: Queryable, step: Issue) {
  const { orgId, userId } = step.caller.membership;
  const token = generateToken();
  const hint = tokenHint(token);
  const hash = sha256(token);
  const tokenId = await insertToken(tx, { orgId, userId, hint, hash, at: step.at });
  const change = { orgId, hash };
  await checks.announce(tx, change);

  const channel = channelWithToken(ctx.config.channelUrl, token);
  await enqueueMail(tx, ctx.sealer, [
    {
      template: step.template,
      to: step.caller.user.email,
      params: {
        name: step.caller.user.name,
        organization: await organizationName(tx, orgId),
        products: step.products.join(", "),
      },
      secrets: { token, channel },
      priority: MAIL_PRIORITY.member,
    },
  ]);

  const issued: IssuedToken = {
    token,
    hint,
    products: step.products,
    channelUrl: channel,
    instructions: instructionsFor(channel),
  };

  return { tokenId, issued, change };
}

/** Locks the caller's membership for the transaction; gone since authorization means 404. */
async function lockMembership(tx: Queryable, caller: Caller): Promise<void> {
  const { orgId, userId } = caller.membership;
  const membership = await findMembership(tx, orgId, userId, true);
  assertThat(membership, "organization.not_found");
}

/**
 * Issues the caller's token for the organization, covering every product they hold a live
 * seat of. Errors: `token.no_seat` without such a seat, `token.exists` with an active token.
 */
export async function activateToken(ctx: Context, caller: Caller): Promise<IssuedToken> {
  const { orgId, userId } = caller.membership;
  const at = ctx.clock.now();
  const checks = ctx.tokenChecks;

  const { tokenId, issued, change } = await ctx.db.transaction(async (tx) => {
    await lockMembership(tx, caller);
    const products = await liveProducts(tx, orgId, userId, at);
    assertThat(products.length > 0, "token.no_seat");
    assertThat(!(await findActiveToken(tx, orgId, userId, true)), "token.exists");

    const made = await issue(ctx, checks, tx, { caller, products, at, template: "token-issued" });
    await recordAudit(tx, [
      {
        orgId,
        actorId: userId,
        action: "token.activated",
        targetType: "token",
        targetId: made.tokenId,
        details: { products, hint: made.issued.hint },
      },
    ]);

    return made;
  });

  checks.forget(change);
  ctx.log.info({ orgId, tokenId }, "token.activated");

  return issued;
}

/**
 * Replaces the caller's active token with a new one; the old one is refused from this moment.
 * Errors: `token.not_found` without an active token, `token.no_seat` without a live seat.
 */
export async function reissueToken(ctx: Context, caller: Caller): Promise<IssuedToken> {
  const { orgId, userId } = caller.membership;
  const at = ctx.clock.now();
  const checks = ctx.tokenChecks;

  const { tokenId, issued, change } = await ctx.db.transaction(async (tx) => {
    await lockMembership(tx, caller);
    const old = await findActiveToken(tx, orgId, userId, true);
    assertThat(old, "token.not_found");
    const products = await liveProducts(tx, orgId, userId, at);
    assertThat(products.length > 0, "token.no_seat");

    await markReissued(tx, orgId, old.tokenId, at);
    const made = await issue(ctx, checks, tx, { caller, products, at, template: "token-reissued" });
    await recordAudit(tx, [
      {
        orgId,
        actorId: userId,
        action: "token.reissued",
        targetType: "token",
        targetId: made.tokenId,
        details: { previousTokenId: old.tokenId, products, hint: made.issued.hint },
      },
    ]);

    return made;
  });

  checks.forget(change);
  ctx.log.info({ orgId, tokenId }, "token.reissued");

  return issued;
}

/** What a database row says about a token, and until when that can stand. */
function judge(row: TokenStanding | null): { standing: Standing; until: Date | null } {
  if (!row) return { standing: { kind: "unknown" }, until: null };

  const { orgId, tokenId, products } = row;
  if (row.status === "reissued" || row.status === "revoked") {
    return { standing: { kind: "refused", orgId, code: "token.invalid" }, until: null };
  }

  const current = row.status === "active" && row.isMember && products.length > 0;
  const yes: Yes = { ok: true, organization: orgId, products };
  const standing: Standing = current
    ? { kind: "good", orgId, tokenId, products, yes }
    : { kind: "refused", orgId, code: "token.inactive" };

  return { standing, until: row.liveUntil };
}

/**
 * The token's standing from the cache, else from the database (one indexed query) if fewer
 * lookups than the limit are in flight (`undefined` otherwise), remembered for next time.
 */
async function standingOf(
  ctx: Context,
  checks: TokenChecks,
  key: string,
  at: Date,
): Promise<Standing | undefined> {
  const now = at.getTime();
  const cached = checks.cache.get(key, now);
  if (cached) return cached;

  const epoch = checks.cache.epoch;
  const hash = Buffer.from(key, "hex");
  const looked = await checks.lookup(() => findTokenStanding(ctx.db, hash, at));
  if (!looked) return undefined;

  const { standing, until } = judge(looked.value);
  checks.cache.set(key, standing, epoch, now, until?.getTime());

  return standing;
}

/**
 * The package repository's question: is this token good now, and for which products? Served
 * from memory when the answer was looked up in the last TOKEN_CACHE_SECONDS; a malformed token
 * is refused before the cache or the database is asked. A yes is counted, not written.
 * Refusals: `token.missing`, `token.malformed`, `token.invalid` (unknown, reissued, revoked);
 * `token.inactive` (membership, seat or subscription over, or ended);
 * `token.product_not_covered` (a `product` was asked for that the token does not cover);
 * `token.overloaded` (too many lookups in flight). A database failure is thrown.
 */
export async function checkToken(
  ctx: Context,
  token: string | undefined,
  product: string | undefined,
): Promise<Verdict> {
  if (!token) return { ok: false, code: "token.missing" };
  if (!isWellFormed(token)) return { ok: false, code: "token.malformed" };

  const checks = ctx.tokenChecks;
  const at = ctx.clock.now();
  const standing = await standingOf(ctx, checks, sha256Hex(token), at);
  if (!standing) return { ok: false, code: "token.overloaded" };
  if (standing.kind === "unknown") return { ok: false, code: "token.invalid" };
  if (standing.kind === "refused") return { ok: false, code: standing.code };

  const { orgId, tokenId, products } = standing;
  if (product !== undefined && !products.includes(product)) {
    return { ok: false, code: "token.product_not_covered", product };
  }

  checks.uses.record(orgId, tokenId, at);

  return standing.yes;
}
