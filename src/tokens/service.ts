import { recordAudit } from "../audit/record.ts";
import type { Context } from "../context.ts";
import type { Queryable } from "../db/database.ts";
import { AppError, assertThat } from "../errors.ts";
import { enqueueMail, MAIL_PRIORITY } from "../mail/outbox.ts";
import type { Caller } from "../members/access.ts";
import { findMembership } from "../members/access.ts";
import { sha256 } from "../secrets.ts";
import { generateToken, isWellFormed, tokenHint } from "./format.ts";
import {
  type ActiveToken,
  findActiveToken,
  findTokenStanding,
  insertToken,
  liveProducts,
  markReissued,
  organizationName,
  touchToken,
} from "./queries.ts";

/** The caller's own view of their token: never the token itself. */
export interface MyToken {
  /** True when they hold at least one seat whose subscription is live now. */
  hasSeat: boolean;
  /** The products those seats are for, sorted. */
  products: string[];
  /** Their active token; "inactive" while no live seat covers it. */
  token: (Omit<ActiveToken, "tokenId"> & { status: "active" | "inactive" }) | null;
}

/** A token as shown once, right after it is made, with what to do with it. */
export interface IssuedToken {
  token: string;
  hint: string;
  products: string[];
  channelUrl: string;
  instructions: { condaConfig: string; condarc: string };
}

/** What the check says yes with. */
export interface CheckAnswer {
  organization: string;
  products: string[];
}

const USE_RECORDING_INTERVAL_MS = 60_000;

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

  return {
    hasSeat,
    products,
    token: token && {
      status: hasSeat ? "active" : "inactive",
      hint: token.hint,
      createdAt: token.createdAt,
      lastUsedAt: token.lastUsedAt,
    },
  };
}

interface Issue {
  caller: Caller;
  products: string[];
  at: Date;
  template: "token-issued" | "token-reissued";
}

/** Makes a token, stores its hash, and mails it with the install instructions. */
async function issue(ctx: Context, tx: Queryable, step: Issue) {
  const { orgId, userId } = step.caller.membership;
  const token = generateToken();
  const hint = tokenHint(token);
  const tokenId = await insertToken(tx, { orgId, userId, hint, hash: sha256(token), at: step.at });

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

  return { tokenId, issued };
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

  const { tokenId, issued } = await ctx.db.transaction(async (tx) => {
    await lockMembership(tx, caller);
    const products = await liveProducts(tx, orgId, userId, at);
    assertThat(products.length > 0, "token.no_seat");
    assertThat(!(await findActiveToken(tx, orgId, userId, true)), "token.exists");

    const made = await issue(ctx, tx, { caller, products, at, template: "token-issued" });
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

  const { tokenId, issued } = await ctx.db.transaction(async (tx) => {
    await lockMembership(tx, caller);
    const old = await findActiveToken(tx, orgId, userId, true);
    assertThat(old, "token.not_found");
    const products = await liveProducts(tx, orgId, userId, at);
    assertThat(products.length > 0, "token.no_seat");

    await markReissued(tx, orgId, old.tokenId, at);
    const made = await issue(ctx, tx, { caller, products, at, template: "token-reissued" });
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

  ctx.log.info({ orgId, tokenId }, "token.reissued");

  return issued;
}

/** Records the use without holding up the answer; a lost record only costs a timestamp. */
function recordUse(
  ctx: Context,
  orgId: string,
  tokenId: string,
  lastUsedAt: Date | null,
  at: Date,
) {
  if (lastUsedAt && at.getTime() - lastUsedAt.getTime() < USE_RECORDING_INTERVAL_MS) return;

  void touchToken(ctx.db, orgId, tokenId, at).catch((error: unknown) => {
    ctx.log.warn({ err: error, orgId, tokenId }, "token use not recorded");
  });
}

/**
 * The package repository's question: is this token good now, and for which products? One
 * indexed query; a malformed token is refused before the database is asked.
 * Errors: 401 `token.missing`, `token.malformed`, `token.invalid` (unknown, reissued,
 * revoked); 403 `token.inactive` (membership, seat or subscription over, or ended),
 * `token.product_not_covered` (a `product` was asked for that the token does not cover).
 */
export async function checkToken(
  ctx: Context,
  token: string | undefined,
  product: string | undefined,
): Promise<CheckAnswer> {
  assertThat(token, "token.missing");
  assertThat(isWellFormed(token), "token.malformed");

  const at = ctx.clock.now();
  const standing = await findTokenStanding(ctx.db, sha256(token), at);
  if (!standing || standing.status === "reissued" || standing.status === "revoked") {
    throw new AppError("token.invalid");
  }

  const { orgId, tokenId, products } = standing;
  const current = standing.status === "active" && standing.isMember && products.length > 0;
  assertThat(current, "token.inactive");
  assertThat(product === undefined || products.includes(product), "token.product_not_covered", {
    product,
  });

  recordUse(ctx, orgId, tokenId, standing.lastUsedAt, at);

  return { organization: orgId, products };
}
