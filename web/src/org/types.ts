/** The shapes the organization pages read from the API (see GET /api/openapi.json). */

export interface Roles {
  owner: boolean;
  accountAdmin: boolean;
  billingAdmin: boolean;
}

export type ProfileField = "billingEmail" | "website" | "address" | "description";

export interface Organization {
  orgId: string;
  name: string;
  billingEmail: string | null;
  website: string | null;
  address: string | null;
  description: string | null;
  missing: ProfileField[];
  createdAt: string;
  updatedAt: string;
}

export interface Member {
  userId: string;
  name: string;
  email: string;
  roles: Roles;
  seats: { product: string; assignedAt: string }[];
  token: { status: "active" | "inactive" | "none"; lastUsedAt: string | null; usesToday: number };
  joinedAt: string;
}

export type InviteRole = "member" | "account_admin" | "billing_admin";

export interface Invitation {
  invitationId: string;
  email: string;
  name: string | null;
  role: InviteRole;
  seatProduct: string | null;
  status: "pending" | "accepted" | "revoked" | "expired";
  expiresAt: string;
  invitedBy: { userId: string; name: string } | null;
  createdAt: string;
  sentAt: string;
}

export interface InviteResult {
  input: string;
  email?: string;
  name?: string;
  outcome: "invited" | "already_member" | "already_invited" | "duplicate" | "invalid";
  reason?: "invalid_email" | "missing_email" | "unsupported_local_part";
  duplicateOf?: number;
  invitationId?: string;
}

export interface Plan {
  id: string;
  product: string;
  name: string;
  pricePerSeat: number;
  currency: string;
  period: "month" | "year";
}

export interface Subscription {
  subscriptionId: string;
  planId: string;
  product: string;
  period: "month" | "year";
  pricePerSeat: number;
  currency: string;
  seats: number;
  nextPeriodSeats: number | null;
  seatsInUse: number;
  status: "active" | "cancelled" | "lapsed";
  currentPeriodStart: string;
  currentPeriodEnd: string;
  costPerPeriod: number;
}

export interface Invoice {
  invoiceId: string;
  subscriptionId: string;
  kind: "purchase" | "renewal" | "seats_added";
  description: string;
  seats: number;
  unitPrice: number;
  amount: number;
  currency: string;
  periodStart: string;
  periodEnd: string;
  issuedAt: string;
}

export type SeatOutcome =
  "assigned" | "already_assigned" | "not_member" | "limit_reached" | "no_subscription";

export interface SeatResult {
  userId: string;
  outcome: SeatOutcome;
  error?: { code: string; message: string };
}

export interface MyToken {
  hasSeat: boolean;
  products: string[];
  token: {
    status: "active" | "inactive";
    hint: string;
    createdAt: string;
    lastUsedAt: string | null;
    /** Checks passed today (UTC), written every few seconds. */
    usesToday: number;
  } | null;
}

export interface IssuedToken {
  token: string;
  hint: string;
  products: string[];
  channelUrl: string;
  instructions: { condaConfig: string; condarc: string };
}

export interface AuditEvent {
  eventId: string;
  actorId: string | null;
  actorName?: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

/** What happened, or will happen on commit, to one row of an uploaded CSV file. */
export type UploadOutcome =
  "invited" | "already_member" | "already_invited" | "duplicate" | "invalid" | "skipped";

export type UploadReason =
  | "invalid_email"
  | "missing_email"
  | "unsupported_local_part"
  | "invalid_role"
  | "role_not_allowed"
  | "invalid_seat";

export type UploadPhase = "reading" | "waiting" | "publishing" | "mailing" | "done" | "failed";

export interface UploadCounts {
  invited: number;
  alreadyMember: number;
  alreadyInvited: number;
  duplicate: number;
  invalid: number;
  skipped: number;
}

/** A CSV file of addresses to invite: its dry run, then its commit (getInvitationUpload). */
export interface InvitationUpload {
  uploadId: string;
  filename: string | null;
  status: "reading" | "ready" | "committing" | "committed" | "failed";
  role: InviteRole;
  seatProduct: string | null;
  file: {
    bytes: number;
    encoding: string;
    delimiter: string;
    header: boolean;
    columns: string[];
    emailColumn: string | null;
    fallbackColumns: string[];
    nameColumns: string[];
  };
  rows: number;
  progress: { phase: UploadPhase; done: number; total: number };
  counts: UploadCounts;
  committed: boolean;
  error: { code: string } | null;
  createdAt: string;
  publishedAt: string | null;
  finishedAt: string | null;
}

/** One row of an upload's dry run (listInvitationUploadRows). */
export interface UploadRow {
  line: number;
  input: string;
  email: string | null;
  key: string | null;
  name: string | null;
  role: InviteRole | null;
  seatProduct: string | null;
  outcome: UploadOutcome;
  reason: UploadReason | null;
  duplicateOf: number | null;
}
