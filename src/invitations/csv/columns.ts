import { parseAddress } from "../../addresses/address.ts";
import { AppError } from "../../errors.ts";

/**
 * Which columns of a CSV file mean what, from the header's names and a sample of the values.
 *
 * The address column is chosen by name (email, e-mail address, mail, work email, ... in any
 * case, with or without spaces, hyphens or underscores) and by its values looking like
 * addresses. A family of numbered columns (`E-mail Address`, `E-mail 2 Address`, ...) gives one
 * primary column, the unnumbered or lowest-numbered one, and its siblings in order as fallbacks.
 * Two families of equal standing, or no address-named column at all, are never guessed at:
 * `invitation.upload.needs_column_mapping` lists the candidates.
 */
export interface ColumnChoice {
  emailColumn: string | null;
  fallbackColumns: string[];
  nameColumns: string[];
  roleColumn: string | null;
  seatColumn: string | null;
  /** The same columns by position in the header, which tells apart two cells of one name. */
  columnIndexes: ColumnIndexes | null;
}

export interface ColumnIndexes {
  email: number;
  fallbacks: number[];
  names: number[];
  role: number | null;
  seat: number | null;
}

/** Lower case, no marks, letters and digits only: `E-Mail_Adresse` -> `emailadresse`. */
export function columnKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

const ADDRESS_CORES = [
  "email",
  "mail",
  "emailaddress",
  "emailaddr",
  "mailaddress",
  "emailid",
  "emailvalue",
  "emailadresse",
  "mailadresse",
  "adresseemail",
  "adressemail",
  "courriel",
  "adressecourriel",
  "emailadres",
  "correo",
  "correoelectronico",
  "epost",
  "epostadresse",
  "indirizzoemail",
  "enderecodeemail",
];

const PRIMARY_QUALIFIERS = [
  "",
  "work",
  "primary",
  "business",
  "office",
  "company",
  "corporate",
  "contact",
  "personal",
  "private",
  "home",
  "user",
  "member",
  "invitee",
  "employee",
  "staff",
  "login",
  "account",
  "main",
  "default",
  "preferred",
  "official",
  "professional",
  "school",
  "student",
];

const SECONDARY_QUALIFIERS = [
  "secondary",
  "alternate",
  "alternative",
  "alt",
  "other",
  "additional",
  "backup",
  "recovery",
  "extra",
];

/** Every spelling of an address column's name without its number, with its rank. */
const ADDRESS_NAMES = new Map<string, 1 | 2>();
for (const core of ADDRESS_CORES) {
  for (const qualifier of PRIMARY_QUALIFIERS) {
    ADDRESS_NAMES.set(qualifier + core, 1);
    ADDRESS_NAMES.set(core + qualifier, 1);
  }
  for (const qualifier of SECONDARY_QUALIFIERS) {
    ADDRESS_NAMES.set(qualifier + core, 2);
    ADDRESS_NAMES.set(core + qualifier, 2);
  }
}

const FULL_NAMES = [
  "name",
  "fullname",
  "displayname",
  "contactname",
  "membername",
  "employeename",
  "personname",
  "inviteename",
  "realname",
];
const FIRST_NAMES = ["firstname", "givenname", "first", "forename", "fname", "vorname", "prenom"];
const MIDDLE_NAMES = ["middlename", "middlenames", "middle", "additionalname"];
const LAST_NAMES = ["lastname", "surname", "familyname", "last", "lname", "nachname"];
const ROLE_NAMES = ["role", "roles", "memberrole", "organizationrole", "orgrole", "accessrole"];
const SEAT_NAMES = ["seat", "seats", "assignseat", "giveseat", "withseat", "seatassigned"];

/** An address-named column: its family (the name without its number), number and rank. */
interface AddressName {
  family: string;
  number: number;
  rank: 1 | 2;
}

function addressName(header: string): AddressName | undefined {
  const key = columnKey(header);
  const numbers = key.match(/\d+/g) ?? [];
  if (numbers.length > 1) return undefined;

  const family = key.replace(/\d+/, "");
  const rank = ADDRESS_NAMES.get(family);

  return rank ? { family, number: Number(numbers[0] ?? 0), rank } : undefined;
}

/** Whether a cell reads as an address, in any of the forms the address parser takes. */
function looksLikeAddress(cell: string): boolean {
  return cell.includes("@") && parseAddress(cell).ok;
}

/**
 * A first record is a header row when none of its cells even tries to be an address: no
 * header name has an `@`, while a first row of data whose address is mistyped still does.
 */
export function looksLikeHeader(cells: string[]): boolean {
  return !cells.some((cell) => cell.includes("@"));
}

/**
 * How many of a column's sampled cells are filled, how many of those read as addresses, and
 * how many at least try to (hold an `@`, like a mistyped address).
 */
interface Evidence {
  filled: number;
  addresses: number;
  attempts: number;
}

function evidence(sample: string[][], index: number): Evidence {
  const found = { filled: 0, addresses: 0, attempts: 0 };
  for (const record of sample) {
    const cell = record[index] ?? "";
    if (cell === "") continue;

    found.filled++;
    if (cell.includes("@")) found.attempts++;
    if (looksLikeAddress(cell)) found.addresses++;
  }

  return found;
}

/**
 * A column named for addresses holding nothing like one ("Work", "Home", "yes") is not one.
 * Mistyped addresses still make it the address column: each such row is reported invalid.
 */
function holdsOther(found: Evidence): boolean {
  return found.filled > 0 && found.attempts === 0;
}

/** A column not named for addresses counts only if most of what it holds reads as them. */
function holdsAddresses(found: Evidence): boolean {
  return found.addresses > 0 && found.addresses * 2 >= found.filled;
}

interface Member {
  index: number;
  number: number;
  evidence: Evidence;
}

interface Family {
  rank: 1 | 2;
  members: Member[];
}

/** Address-named columns grouped by family, numbered siblings in order, non-addresses out. */
function addressFamilies(header: string[], evidences: Evidence[]): Family[] {
  const families = new Map<string, Family>();
  header.forEach((name, index) => {
    const parsed = addressName(name);
    if (!parsed) return;

    const member = { index, number: parsed.number, evidence: evidences[index] as Evidence };
    if (holdsOther(member.evidence)) return;

    const family = families.get(parsed.family) ?? { rank: parsed.rank, members: [] };
    family.members.push(member);
    families.set(parsed.family, family);
  });

  for (const family of families.values()) {
    family.members.sort((a, b) => a.number - b.number || a.index - b.index);
  }

  return [...families.values()];
}

/** Higher is better: a primary name over a secondary one, seen addresses over empty cells. */
function standing(family: Family): number {
  const seen = family.members.some((member) => member.evidence.attempts > 0);

  return (seen ? 2 : 0) + (family.rank === 1 ? 1 : 0);
}

function firstIndex(family: Family): number {
  return (family.members[0] as Member).index;
}

function needsMapping(header: string[], candidates: number[]): AppError {
  return new AppError("invitation.upload.needs_column_mapping", {
    candidates: [...new Set(candidates)].sort((a, b) => a - b).map((index) => header[index]),
    columns: header,
  });
}

/** Columns not in `except` whose sampled values read as addresses. */
function addressValued(evidences: Evidence[], except: Set<number>): number[] {
  return evidences
    .map((found, index) => (holdsAddresses(found) && !except.has(index) ? index : -1))
    .filter((index) => index !== -1);
}

/** The address column and its fallbacks as header indexes, chosen without a caller's say. */
function chooseAddress(header: string[], evidences: Evidence[]): number[] {
  const families = addressFamilies(header, evidences);
  const named = new Set(families.flatMap((family) => family.members.map((m) => m.index)));
  const best = Math.max(-1, ...families.map(standing));
  const top = families.filter((family) => standing(family) === best);

  // A name alone, with no address among its sampled values, does not outweigh a column
  // whose values are addresses: the caller chooses.
  const others = best < 2 ? addressValued(evidences, named) : [];
  if (top.length !== 1 || others.length > 0) {
    throw needsMapping(header, [...top.map(firstIndex), ...others]);
  }

  return (top[0] as Family).members.map((member) => member.index);
}

function findColumn(header: string[], column: string): number {
  const exact = header.indexOf(column);
  if (exact !== -1) return exact;

  const wanted = column.trim().toLowerCase();

  return header.findIndex((name) => name.toLowerCase() === wanted);
}

/** The caller's column and, if it is one of a numbered family, its later siblings. */
function chosenAddress(header: string[], evidences: Evidence[], column: string): number[] {
  const index = findColumn(header, column);
  if (index === -1) {
    throw new AppError("invitation.upload.unknown_column", { column, columns: header });
  }

  const parsed = addressName(header[index] as string);
  const family = parsed
    ? addressFamilies(header, evidences).find((f) => f.members.some((m) => m.index === index))
    : undefined;
  const chosen = { index, number: parsed?.number ?? 0 };
  const later = (family?.members ?? []).filter(
    (m) => m.number > chosen.number || (m.number === chosen.number && m.index > chosen.index),
  );

  return [index, ...later.map((member) => member.index)];
}

function findByKey(header: string[], keys: string[], taken: Set<number>): number | undefined {
  const index = header.findIndex((name, i) => !taken.has(i) && keys.includes(columnKey(name)));

  return index === -1 ? undefined : index;
}

/** A full name column, or first (+ middle) + last name columns, in that order. */
function nameIndexes(header: string[], taken: Set<number>): number[] {
  const full = findByKey(header, FULL_NAMES, taken);
  if (full !== undefined) return [full];

  const first = findByKey(header, FIRST_NAMES, taken);
  const last = findByKey(header, LAST_NAMES, taken);
  if (first === undefined && last === undefined) return [];

  const middle = findByKey(header, MIDDLE_NAMES, taken);

  return [first, middle, last].filter((index) => index !== undefined);
}

/**
 * Chooses the columns of a file with a header. `column`, when given, is the caller's choice of
 * address column by header name. Errors: `invitation.upload.needs_column_mapping` with
 * `{ candidates, columns }`, `invitation.upload.unknown_column` with `{ column, columns }`.
 */
export function chooseColumns(
  header: string[],
  sample: string[][],
  column: string | undefined,
): ColumnChoice {
  const evidences = header.map((_, index) => evidence(sample, index));
  const address =
    column === undefined
      ? chooseAddress(header, evidences)
      : chosenAddress(header, evidences, column);
  const taken = new Set(address);
  const names = nameIndexes(header, taken);
  for (const index of names) taken.add(index);
  const role = findByKey(header, ROLE_NAMES, taken);
  const seat = findByKey(header, SEAT_NAMES, taken);
  const at = (index: number) => header[index] as string;
  const indexes: ColumnIndexes = {
    email: address[0] as number,
    fallbacks: address.slice(1),
    names,
    role: role ?? null,
    seat: seat ?? null,
  };

  return {
    emailColumn: at(indexes.email),
    fallbackColumns: indexes.fallbacks.map(at),
    nameColumns: names.map(at),
    roleColumn: indexes.role === null ? null : at(indexes.role),
    seatColumn: indexes.seat === null ? null : at(indexes.seat),
    columnIndexes: indexes,
  };
}

/** A file without a header: addresses in the first column, nothing else read. */
export function headerlessColumns(column: string | undefined): ColumnChoice {
  if (column !== undefined) {
    throw new AppError("invitation.upload.unknown_column", { column, columns: [] });
  }

  return {
    emailColumn: null,
    fallbackColumns: [],
    nameColumns: [],
    roleColumn: null,
    seatColumn: null,
    columnIndexes: null,
  };
}
