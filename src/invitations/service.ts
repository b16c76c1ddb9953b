import {
  parseAddress,
  splitAddressList,
  type AddressProblem,
  type ParsedAddress,
} from "../addresses/address.ts";
import { recordAudit } from "../audit/record.ts";
import type { Context } from "../context.ts";
import type { Queryable } from "../db/database.ts";
import { AppError, assertThat } from "../errors.ts";
import { confirmCaller, type Caller } from "../members/access.ts";
import { enqueueMail, MAIL_PRIORITY, type OutgoingMail } from "../mail/outbox.ts";
import { newSecret, sha256 } from "../secrets.ts";
import {
  classifyKeys,
  countCreatedSince,
  countSentBySince,
  expirePending,
  insertInvitations,
  insertSecrets,
  lockOrganizationForInvites,
  type InvitationRole,
} from "./queries.ts";

/** One address to invite, already parsed; `name` (a CSV column) overrides a display name. */
export interface InvitationEntry {
  input: string;
  address: ParsedAddress;
  name?: string | undefined;
}

export type Outcome = "invited" | "already_member" | "already_invited" | "duplicate" | "invalid";

/** What became of one entry, at the entry's index. */
export interface InvitationResult {
  input: string;
  /** The address as typed, for display. */
  email?: string;
  /** The key addresses compare by. */
  key?: string;
  name?: string;
  outcome: Outcome;
  reason?: AddressProblem;
  /** For a duplicate: the index of the first entry with the same key. */
  duplicateOf?: number;
  invitationId?: string;
}

export interface InviteInput {
  orgId: string;
  inviterId: string;
  entries: readonly InvitationEntry[];
  role: InvitationRole;
  seatProduct: string | null;
  /** Refuse the whole batch past the hourly limit; a caller with its own limit turns it off. */
  rateLimited?: boolean;
  /** When given, their permission is checked again under the organization's lock. */
  caller?: Caller;
}

const HOUR_MS = 3_600_000;

/** Splits pasted text (or several texts) into parsed entries, in input order. */
function entriesFromText(texts: readonly string[]): InvitationEntry[] {
  return texts
    .flatMap((text) => splitAddressList(text))
    .map((input) => ({ input, address: parseAddress(input) }));
}

/** Invalid and duplicate entries get their result at once; the rest are candidates. */
function normalize(entries: readonly InvitationEntry[]) {
  const results: InvitationResult[] = [];
  const candidates: number[] = [];
  const firstByKey = new Map<string, number>();

  entries.forEach((entry, index) => {
    const { input, address } = entry;
    if (!address.ok) {
      results.push({ input, outcome: "invalid", reason: address.reason });
      return;
    }

    const name = entry.name ?? address.name;
    const result: Omit<InvitationResult, "outcome"> = {
      input,
      email: address.display,
      key: address.key,
    };
    if (name) result.name = name;

    const first = firstByKey.get(address.key);
    if (first !== undefined) {
      results.push({ ...result, outcome: "duplicate", duplicateOf: first });
      return;
    }

    firstByKey.set(address.key, index);
    candidates.push(index);
    results.push({ ...result, outcome: "invited" });
  });

  return { results, candidates, keys: [...firstByKey.keys()] };
}

// Made once: building a formatter costs far more than using one, and a batch formats thousands.
const EXPIRY_FORMAT = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "long",
  timeStyle: "short",
  timeZone: "UTC",
});

/** The readable expiry date a mail shows. */
function readableDate(date: Date): string {
  return `${EXPIRY_FORMAT.format(date)} UTC`;
}

interface InvitationMail {
  to: string;
  /** Mail of a CSV upload waits behind invitations sent by list. */
  bulk?: boolean;
  email: string;
  name: string | undefined;
  inviter: string;
  organization: string;
  expiresAt: Date;
  secret: string;
}

/** The invitation mail with its link; the secret travels sealed in the outbox. */
export function invitationMail(ctx: Context, mail: InvitationMail): OutgoingMail {
  return {
    template: "invitation",
    to: mail.to,
    params: {
      inviter: mail.inviter,
      organization: mail.organization,
      email: mail.email,
      name: mail.name ?? "",
      expires: readableDate(mail.expiresAt),
    },
    secrets: { link: `${ctx.config.publicUrl}/invite/${mail.secret}` },
    priority: mail.bulk ? MAIL_PRIORITY.upload : MAIL_PRIORITY.invitation,
  };
}

/** The hourly limit holds per organization and per inviter, so new organizations add nothing. */
async function assertWithinRate(tx: Queryable, ctx: Context, input: InviteInput, wanted: number) {
  const since = new Date(ctx.clock.now().getTime() - HOUR_MS);
  const limit = ctx.config.invitationsPerHour;
  const byOrganization = await countCreatedSince(tx, input.orgId, since);
  const byInviter = await countSentBySince(tx, input.inviterId, since);
  const remaining = Math.max(0, limit - Math.max(byOrganization, byInviter));
  if (wanted > remaining) throw new AppError("invitation.rate_limited", { limit, remaining });
}

/** Marks entries of members and of pending invitations; what is left is to be invited. */
async function classify(
  tx: Queryable,
  ctx: Context,
  orgId: string,
  batch: ReturnType<typeof normalize>,
): Promise<number[]> {
  await expirePending(tx, orgId, batch.keys, ctx.clock.now());
  const states = await classifyKeys(tx, orgId, batch.keys);
  const members = new Set(states.filter((s) => s.state === "member").map((s) => s.key));
  const pending = new Map(states.filter((s) => s.state === "invited").map((s) => [s.key, s]));

  return batch.candidates.filter((index) => {
    const result = batch.results[index] as InvitationResult;
    const key = result.key as string;
    const invited = pending.get(key);
    if (members.has(key)) result.outcome = "already_member";
    else if (invited) {
      result.outcome = "already_invited";
      if (invited.invitationId) result.invitationId = invited.invitationId;
    }

    return result.outcome === "invited";
  });
}

/**
 * Invites parsed entries into an organization in a constant number of statements, however
 * many there are: classifies them against members and pending invitations in one query,
 * inserts invitations, link secrets, mails and audit records in bulk, and answers one result
 * per entry in input order. Expired pending invitations of the same addresses are marked
 * expired first. Throws `invitation.rate_limited` when the organization's hourly limit would
 * be passed, and `organization.not_found`.
 */
export async function inviteAddresses(
  tx: Queryable,
  ctx: Context,
  input: InviteInput,
): Promise<InvitationResult[]> {
  const batch = normalize(input.entries);
  const names = await lockOrganizationForInvites(tx, input.orgId, input.inviterId);
  if (!names) throw new AppError("organization.not_found");
  if (input.caller) await confirmCaller(tx, input.caller, "invitation.manage");
  if (batch.keys.length === 0) return batch.results;

  const toInvite = await classify(tx, ctx, input.orgId, batch);
  if (input.rateLimited !== false) {
    await assertWithinRate(tx, ctx, input, toInvite.length);
  }
  if (toInvite.length === 0) return batch.results;

  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ctx.config.invitationLifetimeMs);
  const chosen = toInvite.map((index) => batch.results[index] as InvitationResult);
  const inserted = await insertInvitations(tx, {
    orgId: input.orgId,
    inviterId: input.inviterId,
    role: input.role,
    seatProduct: input.seatProduct,
    now,
    expiresAt,
    emails: chosen.map((r) => r.email as string),
    keys: chosen.map((r) => r.key as string),
    names: chosen.map((r) => r.name ?? null),
  });

  const ids = new Map(inserted.map((row) => [row.key, row.invitationId]));
  const sent: Array<InvitationResult & { invitationId: string }> = [];
  for (const result of chosen) {
    const invitationId = ids.get(result.key as string);
    // Another request invited the same address a moment ago.
    if (!invitationId) result.outcome = "already_invited";
    else sent.push(Object.assign(result, { invitationId }));
  }

  await sendInvitations(tx, ctx, { ...input, ...names, expiresAt, sent });

  return batch.results;
}

interface Sending extends InviteInput {
  organization: string;
  inviter: string;
  expiresAt: Date;
  sent: Array<InvitationResult & { invitationId: string }>;
}

/** Link secrets, mails and audit records for the invitations just inserted. */
async function sendInvitations(tx: Queryable, ctx: Context, batch: Sending): Promise<void> {
  const secrets = batch.sent.map(() => newSecret());

  await insertSecrets(
    tx,
    batch.orgId,
    batch.sent.map((result, i) => ({
      invitationId: result.invitationId,
      hash: sha256(secrets[i] as string),
    })),
  );

  const mails = batch.sent.map((result, i) =>
    invitationMail(ctx, {
      to: result.key as string,
      email: result.email as string,
      name: result.name,
      inviter: batch.inviter,
      organization: batch.organization,
      expiresAt: batch.expiresAt,
      secret: secrets[i] as string,
    }),
  );
  await enqueueMail(tx, ctx.sealer, mails);

  await recordAudit(
    tx,
    batch.sent.map((result) => ({
      orgId: batch.orgId,
      actorId: batch.inviterId,
      action: "invitation.created" as const,
      targetType: "invitation",
      targetId: result.invitationId,
      details: { email: result.email, role: batch.role, seatProduct: batch.seatProduct },
    })),
  );
}

/** How many entries had each outcome. */
export function countOutcomes(results: readonly InvitationResult[]) {
  const counts = { invited: 0, alreadyMember: 0, alreadyInvited: 0, duplicate: 0, invalid: 0 };
  const field = {
    invited: "invited",
    already_member: "alreadyMember",
    already_invited: "alreadyInvited",
    duplicate: "duplicate",
    invalid: "invalid",
  } as const;
  for (const result of results) counts[field[result.outcome]] += 1;

  return counts;
}

/** Most entries one JSON request may carry; longer lists go through the CSV upload. */
export const MAX_ENTRIES_PER_REQUEST = 1000;

export interface CreateInvitationsInput {
  caller: Caller;
  /** Pasted text, or several texts; each is split into addresses. */
  emails: string | readonly string[];
  role: InvitationRole;
  seatProduct: string | null;
}

/** Refuses a product no plan sells, so an invitation never promises a seat that cannot exist. */
export function assertKnownProduct(
  ctx: Context,
  product: string | null,
  path = "/body/seatProduct",
): void {
  if (product === null || ctx.config.plans.some((plan) => plan.product === product)) return;

  throw new AppError("request.invalid", {
    fields: [{ path, message: "no plan sells this product" }],
  });
}

/**
 * Invites every address in pasted text: one result per address in input order, and counts.
 * Errors: `invitation.empty`, `invitation.too_many`, `invitation.rate_limited`.
 */
export async function createInvitations(ctx: Context, input: CreateInvitationsInput) {
  const texts = typeof input.emails === "string" ? [input.emails] : input.emails;
  const entries = entriesFromText(texts);
  assertThat(entries.length > 0, "invitation.empty");
  assertThat(entries.length <= MAX_ENTRIES_PER_REQUEST, "invitation.too_many", {
    limit: MAX_ENTRIES_PER_REQUEST,
    count: entries.length,
  });
  assertKnownProduct(ctx, input.seatProduct);

  const results = await ctx.db.transaction((tx) =>
    inviteAddresses(tx, ctx, {
      orgId: input.caller.membership.orgId,
      inviterId: input.caller.user.id,
      caller: input.caller,
      entries,
      role: input.role,
      seatProduct: input.seatProduct,
    }),
  );
  const counts = countOutcomes(results);
  ctx.log.info({ orgId: input.caller.membership.orgId, ...counts }, "invitation.created");

  return { results, counts };
}
