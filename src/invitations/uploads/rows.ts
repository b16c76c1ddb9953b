import { randomUUID } from "node:crypto";
import { parseAddress, type AddressProblem } from "../../addresses/address.ts";
import type { CsvRow } from "../csv/reader.ts";
import type { InvitationRole } from "../queries.ts";

export type RowOutcome =
  "invited" | "already_member" | "already_invited" | "duplicate" | "invalid" | "skipped";

export type RowReason = AddressProblem | "invalid_role" | "role_not_allowed" | "invalid_seat";

/** One data record of an upload with what became of it, as invitation_upload_rows keeps it. */
export interface StagedRow {
  line: number;
  input: string;
  email: string | null;
  key: string | null;
  name: string | null;
  role: InvitationRole | null;
  seatProduct: string | null;
  outcome: RowOutcome;
  reason: RowReason | null;
  duplicateOf: number | null;
  invitationId: string | null;
}

/** What a row gets when its own cells say nothing else. */
export interface RowDefaults {
  role: InvitationRole;
  seatProduct: string | null;
  /** The product a `seat` cell saying yes asks for. */
  seatProductForYes: string | null;
  /** Whether the uploader may make people billing admins. */
  mayGrantBillingAdmin: boolean;
}

const ROLES: Record<string, InvitationRole> = {
  member: "member",
  admin: "account_admin",
  accountadmin: "account_admin",
  billingadmin: "billing_admin",
  billing: "billing_admin",
};

const YES = new Set(["yes", "y", "true", "1", "x", "seat"]);
const NO = new Set(["no", "n", "false", "0", "none"]);

/** `Account admin`, `account_admin`, `ACCOUNT-ADMIN` all name one role. */
export function parseRole(raw: string): InvitationRole | undefined {
  return ROLES[raw.toLowerCase().replace(/[\s_-]+/g, "")];
}

export function parseSeat(raw: string): boolean | undefined {
  const word = raw.trim().toLowerCase();
  if (YES.has(word)) return true;
  if (NO.has(word)) return false;

  return undefined;
}

function invalid(row: CsvRow, reason: RowReason): StagedRow {
  return {
    ...blankResult(row),
    outcome: "invalid",
    reason,
  };
}

function blankResult(row: CsvRow): StagedRow {
  return {
    line: row.line,
    input: row.input,
    email: null,
    key: null,
    name: row.name ?? null,
    role: null,
    seatProduct: null,
    outcome: "skipped",
    reason: null,
    duplicateOf: null,
    invitationId: null,
  };
}

/** The role a row asks for, or why it cannot have it. */
function roleOf(row: CsvRow, defaults: RowDefaults): InvitationRole | RowReason {
  if (row.role === undefined) return defaults.role;

  const role = parseRole(row.role);
  if (!role) return "invalid_role";
  if (role === "billing_admin" && !defaults.mayGrantBillingAdmin) return "role_not_allowed";

  return role;
}

/** The product whose seat the row asks for (null: none), or undefined for a cell not understood. */
function seatOf(row: CsvRow, defaults: RowDefaults): { product: string | null } | undefined {
  if (row.seat === undefined) return { product: defaults.seatProduct };

  const seat = parseSeat(row.seat);
  if (seat === undefined) return undefined;

  return { product: seat ? (defaults.seatProduct ?? defaults.seatProductForYes) : null };
}

/**
 * Judges one record on its own: blank rows are skipped, bad addresses and cells invalid, and
 * the rest provisionally invited. Duplicates and existing members or invitations are for the
 * set-based step that sees the other rows.
 */
export function stageRow(row: CsvRow, defaults: RowDefaults): StagedRow {
  if (row.blank) return blankResult(row);

  const address = parseAddress(row.input);
  if (!address.ok) return invalid(row, address.reason);

  const role = roleOf(row, defaults);
  if (role !== "member" && role !== "account_admin" && role !== "billing_admin") {
    return invalid(row, role);
  }
  const seat = seatOf(row, defaults);
  if (!seat) return invalid(row, "invalid_seat");

  return {
    ...blankResult(row),
    email: address.display,
    key: address.key,
    name: row.name ?? address.name ?? null,
    role,
    seatProduct: seat.product,
    outcome: "invited",
    invitationId: randomUUID(),
  };
}
