import type { SignedInUser } from "../accounts/session.ts";
import { parseAddress } from "../addresses/address.ts";
import { recordAudit } from "../audit/record.ts";
import type { Context } from "../context.ts";
import { AppError, assertThat, fromConstraint } from "../errors.ts";
import { confirmCaller, type Caller } from "../members/access.ts";
import { organizationIdProblem } from "./id-rules.ts";
import {
  deleteOrganizationData,
  findOrganization,
  insertOrganization,
  listOrganizationsOf,
  organizationIdRetired,
  organizationIdUsed,
  updateOrganizationRow,
  type MyOrganizationRow,
  type OrganizationRow,
  type ProfileFields,
} from "./queries.ts";

/** The profile fields in the order the `missing` list names them. */
const PROFILE_FIELDS = ["billingEmail", "website", "address", "description"] as const;

export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** An organization with the profile fields still to be filled in. */
export interface Organization extends OrganizationRow {
  missing: ProfileField[];
}

/** What updateOrganization may change; `orgId` is accepted only to refuse a change of it. */
export interface OrganizationPatch {
  orgId?: string;
  name?: string;
  billingEmail?: string | null;
  website?: string | null;
  address?: string | null;
  description?: string | null;
}

export interface IdAvailability {
  orgId: string;
  available: boolean;
  reason?: "organization.id_invalid" | "organization.id_reserved" | "organization.id_taken";
}

function invalidField(field: string, message: string): AppError {
  return new AppError("request.invalid", { fields: [{ path: `/body/${field}`, message }] });
}

function withMissing(row: OrganizationRow): Organization {
  return { ...row, missing: PROFILE_FIELDS.filter((field) => row[field] === null) };
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "") throw invalidField("name", "must not be blank");

  return trimmed;
}

/** Blank text clears a field; anything else is kept trimmed. */
function cleanText(value: string | null): string | null {
  const trimmed = value?.trim() ?? "";

  return trimmed === "" ? null : trimmed;
}

function cleanBillingEmail(value: string | null): string | null {
  const text = cleanText(value);
  if (text === null) return null;

  const parsed = parseAddress(text);
  if (!parsed.ok) throw invalidField("billingEmail", parsed.reason);

  return parsed.display;
}

function cleanWebsite(value: string | null): string | null {
  const text = cleanText(value);
  if (text === null) return null;

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidField("website", "must be an http or https URL");
  }
  const web = url.protocol === "http:" || url.protocol === "https:";
  if (!web || url.hostname === "" || url.username !== "" || url.password !== "") {
    throw invalidField("website", "must be an http or https URL");
  }

  return text;
}

/** The patch applied to the current profile: every field checked and normalized. */
function patched(current: OrganizationRow, patch: OrganizationPatch) {
  const keep = <K extends keyof ProfileFields>(
    key: K,
    clean: (v: string | null) => string | null,
  ) => (patch[key] === undefined ? current[key] : clean(patch[key]));

  return {
    name: patch.name === undefined ? current.name : cleanName(patch.name),
    billingEmail: keep("billingEmail", cleanBillingEmail),
    website: keep("website", cleanWebsite),
    address: keep("address", cleanText),
    description: keep("description", cleanText),
  };
}

/** Whether an ID could be given to a new organization now, and if not, why. */
export async function checkOrganizationId(ctx: Context, orgId: string): Promise<IdAvailability> {
  const problem = organizationIdProblem(orgId);
  if (problem) return { orgId, available: false, reason: problem };

  const used = await organizationIdUsed(ctx.db, orgId);

  return used
    ? { orgId, available: false, reason: "organization.id_taken" }
    : { orgId, available: true };
}

/**
 * Creates an organization with the user as its owner and account admin. The ID must have the
 * right form, not be reserved, and never have been used: organization.id_invalid,
 * organization.id_reserved, organization.id_taken.
 */
export async function createOrganization(
  ctx: Context,
  user: SignedInUser,
  input: { orgId: string; name: string },
): Promise<Organization> {
  const { orgId } = input;
  const problem = organizationIdProblem(orgId);
  if (problem) throw new AppError(problem, { orgId });
  const name = cleanName(input.name);

  const row = await ctx.db.transaction(async (tx) => {
    const created = await insertOrganization(tx, {
      orgId,
      name,
      createdBy: user.id,
      now: ctx.clock.now(),
    }).catch((error: unknown) => {
      const known = fromConstraint(error);
      throw known instanceof AppError ? new AppError(known.code, { orgId }) : error;
    });

    // Checked after the insert: a deletion of this ID that committed meanwhile is seen here.
    const retired = await organizationIdRetired(tx, orgId);
    assertThat(!retired, "organization.id_taken", { orgId });

    await recordAudit(tx, [
      {
        orgId,
        actorId: user.id,
        action: "organization.created",
        targetType: "organization",
        targetId: orgId,
        details: { name },
      },
    ]);

    return created;
  });
  ctx.log.info({ orgId }, "organization.created");

  return withMissing(row);
}

/** The caller's organization, with what its profile still lacks. */
export async function getOrganization(ctx: Context, caller: Caller): Promise<Organization> {
  const row = await findOrganization(ctx.db, caller.membership.orgId);
  assertThat(row, "organization.not_found");

  return withMissing(row);
}

/** Every organization the user belongs to, with their roles there. */
export async function listMyOrganizations(
  ctx: Context,
  user: SignedInUser,
): Promise<MyOrganizationRow[]> {
  return listOrganizationsOf(ctx.db, user.id);
}

/**
 * Changes the display name and profile fields; a blank or null field is cleared. The ID never
 * changes: an `orgId` other than the current one is refused with organization.id_immutable.
 */
export async function updateOrganization(
  ctx: Context,
  caller: Caller,
  patch: OrganizationPatch,
): Promise<Organization> {
  const orgId = caller.membership.orgId;
  assertThat(patch.orgId === undefined || patch.orgId === orgId, "organization.id_immutable", {
    orgId,
  });

  const row = await ctx.db.transaction(async (tx) => {
    const current = await findOrganization(tx, orgId, true);
    assertThat(current, "organization.not_found");
    await confirmCaller(tx, caller, "organization.update");

    const next = patched(current, patch);
    const changed = (Object.keys(next) as Array<keyof typeof next>).filter(
      (key) => next[key] !== current[key],
    );
    if (changed.length === 0) return current;

    const updated = await updateOrganizationRow(tx, orgId, { ...next, now: ctx.clock.now() });
    await recordAudit(tx, [
      {
        orgId,
        actorId: caller.user.id,
        action: "organization.updated",
        targetType: "organization",
        targetId: orgId,
        details: { changed },
      },
    ]);

    return updated;
  });

  return withMissing(row);
}

/**
 * Deletes the organization with all its members, seats, tokens, subscriptions, invoices,
 * invitations and audit log, and retires its ID so it is never given out again.
 */
export async function deleteOrganization(ctx: Context, caller: Caller): Promise<void> {
  const orgId = caller.membership.orgId;

  await ctx.db.transaction(async (tx) => {
    const current = await findOrganization(tx, orgId, true);
    assertThat(current, "organization.not_found");
    await confirmCaller(tx, caller, "organization.delete");

    await deleteOrganizationData(tx, orgId, ctx.clock.now());
    await ctx.tokenChecks.announce(tx, { orgId });
  });
  ctx.tokenChecks.forget({ orgId });
  ctx.log.info({ orgId, actorId: caller.user.id }, "organization.deleted");
}
