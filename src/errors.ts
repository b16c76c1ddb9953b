/**
 * Every error code the API can answer with, declared once with its HTTP status and message.
 * Clients branch on the code; facts about a particular case go in `details`, never in the
 * message. The API reference lists this registry, and a test keeps the two in step.
 */
export const ERRORS = {
  "request.invalid": [400, "The request is not valid; see details for the fields."],
  "request.malformed_json": [400, "The request body is not valid JSON."],
  "request.too_large": [413, "The request body is too large."],
  "request.unsupported_media_type": [415, "The request body must be JSON."],
  "request.cross_origin": [403, "Cookie-authenticated changes must come from this site."],
  "request.not_found": [404, "No such route."],
  "request.timeout": [408, "The request took too long to arrive."],
  "request.headers_too_large": [431, "The request's headers are too large."],
  "request.rate_limited": [429, "Too many requests; try again later."],
  "request.internal": [500, "Something went wrong on our side."],

  "auth.required": [401, "Sign in first."],
  "auth.invalid_credentials": [401, "The email or password is wrong."],
  "auth.email_not_verified": [403, "Verify your email address first; a new link has been sent."],
  "auth.email_taken": [409, "An account with this email address already exists."],
  "auth.weak_password": [400, "The password must be 8 to 128 characters."],
  "auth.invalid_link": [400, "This link is invalid or has expired."],
  "auth.rate_limited": [429, "Too many attempts; wait a little and try again."],
  "auth.session_not_found": [404, "You have no such session."],
  "auth.session_not_fresh": [403, "Sign in again to do this."],
  "auth.same_email": [400, "This is already your email address."],

  "account.last_owner": [
    409,
    "You are the last owner of an organization: make someone else an owner, or delete it.",
  ],

  "organization.not_found": [404, "No such organization, or you are not a member of it."],
  "organization.id_invalid": [
    400,
    "An organization ID is 2 to 39 lowercase letters, digits and single hyphens.",
  ],
  "organization.id_reserved": [400, "This organization ID is reserved."],
  "organization.id_taken": [409, "This organization ID is taken."],
  "organization.id_immutable": [400, "An organization ID cannot be changed."],
  "organization.forbidden": [403, "Your role in this organization does not allow this."],

  "member.not_found": [404, "No such member in this organization."],
  "member.last_owner": [409, "An organization must keep at least one owner."],
  "member.owner_required": [403, "Only an owner can do this."],
  "member.already_owner": [409, "This member is already an owner."],
  "member.self_promotion": [403, "You cannot give yourself a role."],

  "invitation.not_found": [404, "No such invitation."],
  "invitation.expired": [410, "This invitation has expired; ask for a new one."],
  "invitation.revoked": [410, "This invitation was revoked."],
  "invitation.already_accepted": [409, "This invitation has already been accepted."],
  "invitation.wrong_account": [
    403,
    "This invitation is for another email address; sign in with that address.",
  ],
  "invitation.not_pending": [409, "Only a pending invitation can be resent or revoked."],
  "invitation.too_many": [400, "Too many addresses in one request."],
  "invitation.rate_limited": [429, "This organization has sent too many invitations this hour."],
  "invitation.empty": [400, "No addresses were given."],
  "invitation.role_not_allowed": [
    403,
    "Only billing admins and owners may invite people as billing admins.",
  ],
  "invitation.upload.file_too_large": [413, "The file is larger than uploads may be."],
  "invitation.upload.empty_file": [422, "The file is empty."],
  "invitation.upload.not_a_file": [
    415,
    "Send the file itself as the request body (curl --data-binary @file.csv), not as JSON or a form.",
  ],
  "invitation.upload.rate_limited": [
    429,
    "This organization has uploaded too many files this hour; try again later.",
  ],
  "invitation.upload.seat_product_needed": [
    422,
    "The file has a seat column: choose which product's seat it gives.",
  ],
  "invitation.upload.not_found": [404, "No such upload."],
  "invitation.upload.failed": [409, "This upload failed and cannot be committed."],
  "invitation.upload.unreadable": [422, "The file changed while it was read; upload it again."],
  "invitation.upload.unsupported_encoding": [
    422,
    "This is not a text CSV file; save it as CSV (UTF-8) and upload that.",
  ],
  "invitation.upload.malformed_csv": [
    422,
    "The file cannot be read as CSV; see details for the line.",
  ],
  "invitation.upload.needs_column_mapping": [
    422,
    "Choose which column holds the email addresses; see details for the candidates.",
  ],
  "invitation.upload.unknown_column": [422, "The file has no column of that name."],
  "invitation.upload.too_many_rows": [413, "The file has more rows than uploads may have."],
  "invitation.upload.no_rows": [422, "The file has no rows to invite."],

  "plan.not_found": [404, "No such plan."],
  "subscription.not_found": [404, "No such subscription."],
  "subscription.exists": [409, "This organization already has a subscription for this product."],
  "subscription.below_seats_in_use": [409, "The seat count cannot go below the seats in use."],
  "subscription.not_active": [409, "This subscription is no longer active."],
  "subscription.no_change": [400, "Nothing to change."],

  "seat.limit_reached": [409, "Every seat of this product is taken; buy more seats."],
  "seat.no_subscription": [409, "This organization has no subscription for this product."],
  "seat.already_assigned": [409, "This member already holds a seat of this product."],
  "seat.not_found": [404, "This member holds no seat of this product."],

  "token.missing": [401, "No token was given."],
  "token.malformed": [401, "This is not a Tessera token."],
  "token.invalid": [401, "This token is unknown, reissued or revoked."],
  "token.inactive": [403, "This token's seat, membership or subscription has ended."],
  "token.product_not_covered": [403, "This token does not cover this product."],
  "token.overloaded": [503, "Too many token checks at once; try again in a moment."],
  "token.no_seat": [409, "You hold no seat in this organization."],
  "token.not_found": [404, "You have no token in this organization yet."],
  "token.exists": [409, "You already have a token; reissue it to get a new one."],

  "mailbox.unavailable": [404, "The development mailbox exists only without SMTP_URL."],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERRORS;

/** A domain error with a stable code; the HTTP layer turns it into the API's error body. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, details?: Record<string, unknown>) {
    const [status, message] = ERRORS[code];
    super(message);
    this.name = "AppError";
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** Guard for a precondition: one line per rule, so a handler reads as a checklist. */
export function assertThat(
  condition: unknown,
  code: ErrorCode,
  details?: Record<string, unknown>,
): asserts condition {
  if (!condition) throw new AppError(code, details);
}

/** Maps named database constraints to the domain errors they stand for. */
const CONSTRAINTS: Record<string, ErrorCode> = {
  organizations_pkey: "organization.id_taken",
  retired_organization_ids_pkey: "organization.id_taken",
  organizations_org_id_format: "organization.id_invalid",
  subscriptions_one_live_per_product: "subscription.exists",
  seats_pkey: "seat.already_assigned",
  tokens_one_active: "token.exists",
};

/** Turns a unique or check violation into its domain error; anything else passes through. */
export function fromConstraint(error: unknown): unknown {
  const pgError = error as { code?: string; constraint?: string };
  if (pgError.code !== "23505" && pgError.code !== "23514") return error;

  const code = pgError.constraint ? CONSTRAINTS[pgError.constraint] : undefined;

  return code ? new AppError(code) : error;
}
