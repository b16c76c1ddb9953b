import { ApiError } from "../../api.ts";
import { describeError } from "../../errors.ts";
import type { UploadCounts, UploadPhase, UploadReason, UploadRow } from "../types.ts";

/** Plain words for a CSV upload: its errors, the file's layout, each row, the progress. */

const numbers = new Intl.NumberFormat("en");

/** 1234 -> "1,234" */
export function formatCount(n: number): string {
  return numbers.format(n);
}

/** 10485760 -> "10 MB" (binary megabytes, as operating systems show file sizes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const megabytes = bytes / (1024 * 1024);

  return `${Number.isInteger(megabytes) ? megabytes : megabytes.toFixed(1)} MB`;
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;

  return `${Math.ceil(seconds / 60)} minutes`;
}

const ENCODINGS: Record<string, string> = {
  "UTF-8": "UTF-8",
  "UTF-16LE": "UTF-16 (little-endian, Excel “Unicode text”)",
  "UTF-16BE": "UTF-16 (big-endian)",
  "windows-1252": "Windows-1252 (Excel on Windows)",
};

export function encodingName(encoding: string): string {
  return ENCODINGS[encoding] ?? encoding;
}

const DELIMITERS: Record<string, string> = { ",": "comma", ";": "semicolon", "\t": "tab" };

export function delimiterName(delimiter: string): string {
  return DELIMITERS[delimiter] ?? `“${delimiter}”`;
}

const ENCODING_PROBLEMS: Record<string, string> = {
  spreadsheet:
    "This is a spreadsheet workbook, not a CSV file. Save it from your spreadsheet program " +
    "as “CSV UTF-8” and upload that file.",
  utf32: "This file is in UTF-32, which cannot be read. Save it as “CSV UTF-8” and upload that.",
};

const CSV_PROBLEMS: Record<string, string> = {
  unclosed_quote: 'a quoted value is never closed (a closing " is missing)',
  text_after_quote: "there is text right after a closing quote",
  record_too_large: "one record is far too long, most likely because a quote is not closed",
};

function detail(details: Record<string, unknown> | undefined, name: string) {
  const value = details?.[name];

  return typeof value === "number" || typeof value === "string" ? value : undefined;
}

function tooManyRows(details?: Record<string, unknown>): string {
  const limit = detail(details, "limit");
  const count = detail(details, "count");
  if (typeof limit !== "number" || typeof count !== "number") {
    return "The file has more rows than one upload may have. Split it into smaller files.";
  }

  return (
    `The file has ${formatCount(count)} rows; one upload may have at most ` +
    `${formatCount(limit)}. Split it into smaller files.`
  );
}

function malformed(details?: Record<string, unknown>): string {
  const line = detail(details, "line");
  const problem = CSV_PROBLEMS[String(detail(details, "problem"))] ?? "it is not valid CSV";
  const where = typeof line === "number" ? `on line ${formatCount(line)}` : "somewhere in it";

  return `The file cannot be read as CSV: ${where}, ${problem}. Fix it and upload it again.`;
}

function rateLimited(details?: Record<string, unknown>): string {
  const limit = detail(details, "limit");
  const wait = detail(details, "retryAfter");
  const most = typeof limit === "number" ? ` (${formatCount(limit)} an hour)` : "";
  const again = typeof wait === "number" ? `in ${formatWait(wait)}` : "later";

  return `This organization has uploaded as many files as it may${most}. Try again ${again}.`;
}

/** Plain words for an upload's error code and its details, when the API gave them. */
function describeUploadProblem(
  code: string,
  details?: Record<string, unknown>,
): string | undefined {
  switch (code) {
    case "invitation.upload.file_too_large": {
      const limit = detail(details, "limit");
      const most = typeof limit === "number" ? ` (${formatBytes(limit)})` : "";
      return `The file is larger than an upload may be${most}. Split it into smaller files.`;
    }
    case "invitation.upload.too_many_rows":
      return tooManyRows(details);
    case "invitation.upload.empty_file":
      return "The file is empty. Choose the file that holds the addresses.";
    case "invitation.upload.no_rows":
      return "The file has no rows with anything to invite.";
    case "invitation.upload.not_a_file":
      return "The file could not be sent. Choose it again and upload once more.";
    case "invitation.upload.unsupported_encoding":
      return (
        ENCODING_PROBLEMS[String(detail(details, "reason"))] ??
        "This is not a text CSV file. Save it as “CSV UTF-8” and upload that."
      );
    case "invitation.upload.malformed_csv":
      return malformed(details);
    case "invitation.upload.unknown_column":
      return `The file has no column named “${String(detail(details, "column") ?? "")}”.`;
    case "invitation.upload.needs_column_mapping":
      return "More than one column could hold the email addresses: choose one.";
    case "invitation.upload.seat_product_needed":
      return "The file has a seat column: choose under Seat product which product’s seat it gives.";
    case "invitation.upload.rate_limited":
      return rateLimited(details);
    case "invitation.upload.unreadable":
      return "The file changed while it was being read. Upload it again.";
    case "invitation.upload.failed":
      return "This upload failed, and nothing from it was sent. Upload the file again.";
    case "invitation.upload.not_found":
      return "This upload is no longer there. Upload the file again.";
    default:
      return undefined;
  }
}

/** Why an upload stopped, from the code it keeps (getInvitationUpload's `error`). */
export function describeFailedUpload(code: string): string {
  return (
    describeUploadProblem(code) ??
    "This upload failed, and nothing from it was sent. Upload the file again."
  );
}

/** Plain words for an error a request of the upload dialog threw. */
export function describeUploadError(error: unknown): string {
  if (!(error instanceof ApiError)) return describeError(error);

  // A proxy or the framework may refuse a large body before the upload route reads it.
  const code = error.code === "request.too_large" ? "invitation.upload.file_too_large" : error.code;

  return describeUploadProblem(code, error.details) ?? describeError(error);
}

const REASONS: Record<UploadReason, string> = {
  invalid_email: "This is not a valid email address.",
  missing_email: "There is no email address in this row.",
  unsupported_local_part:
    "Addresses with non-ASCII letters before the @ cannot be delivered to yet.",
  invalid_role: "The role column should say member, account admin or billing admin.",
  role_not_allowed: "Your own role does not allow giving this role.",
  invalid_seat: "The seat column should say yes or no.",
};

/** The outcome of a row in a word or two, in the dry run or after the commit. */
export function outcomeName(row: UploadRow, committed: boolean): string {
  switch (row.outcome) {
    case "invited":
      return committed ? "Invited" : "To invite";
    case "already_member":
      return "Already a member";
    case "already_invited":
      return "Already invited";
    case "duplicate":
      return "Duplicate";
    case "invalid":
      return "Invalid";
    case "skipped":
      return "Skipped";
  }
}

/** Why a row has its outcome, in a sentence. */
export function rowReason(row: UploadRow): string {
  switch (row.outcome) {
    case "invited":
      return row.name ? `Invitee’s name: ${row.name}.` : "";
    case "already_member":
      return "This person is already a member; nothing is sent.";
    case "already_invited":
      return "An invitation to this address is still pending; you can resend it.";
    case "duplicate":
      return row.duplicateOf === null
        ? "The same address is earlier in the file."
        : `The same address as line ${formatCount(row.duplicateOf)}.`;
    case "invalid":
      return row.reason ? REASONS[row.reason] : "This address is not valid.";
    case "skipped":
      return "A blank row.";
  }
}

/** The rows the API's `outcome=problems` lists, and the table highlights. */
export function isProblem(row: UploadRow): boolean {
  return row.outcome === "invalid" || row.outcome === "duplicate";
}

/** The counts of a dry run or a commit, in the order the preview shows them. */
export function countLines(counts: UploadCounts, committed: boolean) {
  return [
    { key: "invited", label: committed ? "Invited" : "To invite", value: counts.invited },
    { key: "alreadyMember", label: "Already members", value: counts.alreadyMember },
    { key: "alreadyInvited", label: "Already invited", value: counts.alreadyInvited },
    { key: "duplicate", label: "Duplicates", value: counts.duplicate },
    { key: "invalid", label: "Invalid", value: counts.invalid },
    { key: "skipped", label: "Skipped (blank)", value: counts.skipped },
  ] as const;
}

const PHASES: Record<UploadPhase, string> = {
  reading: "Reading the file",
  waiting: "Read, waiting for you to confirm",
  publishing: "Writing the invitations",
  mailing: "Queueing the invitation mails",
  done: "Done",
  failed: "Failed",
};

/** "Writing the invitations: 1,200 of 3,000 rows" */
export function describeProgress(phase: UploadPhase, done: number, total: number): string {
  const unit = phase === "mailing" ? "invitations" : "rows";

  return `${PHASES[phase]}: ${formatCount(done)} of ${formatCount(total)} ${unit}`;
}
