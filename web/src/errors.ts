import { ApiError } from "./api.ts";

/** Plain words for each API error code; anything not listed falls back to the API's message. */
const WORDS: Record<string, string> = {
  "network.failed": "The server could not be reached. Check your connection and try again.",
  "request.invalid": "Some of what you entered is not valid.",
  "request.malformed_json": "The request could not be read. Reload the page and try again.",
  "request.too_large": "That is too much at once. Try a shorter list.",
  "request.cross_origin": "This change must come from the Tessera site itself. Reload the page.",
  "request.not_found": "This page or action does not exist.",
  "request.rate_limited": "Too many requests. Wait a moment and try again.",
  "request.internal": "Something went wrong on our side. Try again in a moment.",

  "auth.required": "Sign in to continue.",
  "auth.invalid_credentials": "The email or password is wrong.",
  "auth.email_not_verified":
    "Verify your email address first. We have sent you a new verification link.",
  "auth.email_taken": "An account with this email address already exists.",
  "auth.weak_password": "Choose a password of 8 to 128 characters.",
  "auth.invalid_link": "This link is invalid or has expired. Ask for a new one.",
  "auth.rate_limited": "Too many attempts. Wait a little and try again.",
  "auth.session_not_found": "This session has already ended.",
  "auth.session_not_fresh": "For your safety, sign out and sign in again, then try once more.",
  "auth.same_email": "This is already your email address.",
  "account.last_owner":
    "You are the only owner of an organization. Make someone else an owner there, or delete " +
    "the organization, before deleting your account.",

  "organization.not_found": "No such organization, or you are not a member of it.",
  "organization.id_invalid":
    "Use 2 to 39 lowercase letters, digits and single hyphens, starting and ending with a " +
    "letter or digit.",
  "organization.id_reserved": "This organization ID is reserved. Choose another.",
  "organization.id_taken": "This organization ID is already taken. Choose another.",
  "organization.id_immutable": "An organization ID can never be changed.",
  "organization.forbidden": "Your role in this organization does not allow this.",

  "member.not_found": "This person is not a member of the organization.",
  "member.last_owner": "An organization must keep at least one owner.",
  "member.owner_required": "Only an owner can do this.",
  "member.already_owner": "This member is already an owner.",
  "member.self_promotion": "You cannot give yourself a role.",
  "invitation.role_not_allowed":
    "Only billing admins and owners may invite people as billing admins.",

  "invitation.not_found": "This invitation link is not known. Check that you copied all of it.",
  "invitation.expired": "This invitation has expired. Ask for a new one.",
  "invitation.revoked": "This invitation was withdrawn.",
  "invitation.already_accepted": "This invitation has already been used.",
  "invitation.wrong_account": "This invitation was sent to another email address.",
  "invitation.not_pending": "Only a pending invitation can be resent or revoked.",
  "invitation.too_many": "Too many addresses at once. Send them in smaller groups.",
  "invitation.rate_limited": "This organization has sent too many invitations this hour.",
  "invitation.empty": "Enter at least one email address.",

  "plan.not_found": "This plan is not offered.",
  "subscription.not_found": "No such subscription.",
  "subscription.exists": "This organization already has a subscription for this product.",
  "subscription.below_seats_in_use":
    "You cannot go below the number of seats in use. Revoke seats first.",
  "subscription.not_active": "This subscription has ended.",
  "subscription.no_change": "Nothing to change.",

  "seat.limit_reached": "Every seat is taken. Buy more seats first.",
  "seat.no_subscription": "This organization has no subscription for this product.",
  "seat.already_assigned": "This member already holds a seat.",
  "seat.not_found": "This member holds no seat of this product.",

  "token.no_seat": "You need a seat in this organization to have a token.",
  "token.not_found": "You have no token in this organization yet.",
  "token.exists": "You already have a token. Reissue it to get a new one.",
  "token.invalid": "This token is unknown, reissued or revoked.",
  "token.inactive": "This token's seat, membership or subscription has ended.",

  "mailbox.unavailable": "The development mailbox is not available here.",
};

/** The API error code of an error, or undefined for anything else. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof ApiError ? error.code : undefined;
}

/** Plain words for an error, for showing beside a field or in a dialog. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return WORDS[error.code] ?? error.message;
  if (error instanceof Error && error.message) return error.message;

  return "Something went wrong. Try again.";
}

/** A field's plain problem from a request.invalid answer, by field name ("email"). */
export function fieldProblem(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError) || error.code !== "request.invalid") return undefined;

  const fields = error.details?.fields;
  if (!Array.isArray(fields)) return undefined;

  const hit = (fields as { path?: unknown; message?: unknown }[]).find(
    (item) => typeof item.path === "string" && item.path.split("/").pop() === field,
  );
  if (!hit) return undefined;

  if (typeof hit.message !== "string") return "This is not valid.";

  return hit.message.startsWith("must") ? `This field ${hit.message}.` : `This is ${hit.message}.`;
}
