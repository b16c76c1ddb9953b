import iconv from "iconv-lite";
import { AppError } from "../../errors.ts";

/**
 * Bytes to text for CSV files as spreadsheets and mail tools write them: UTF-8 with or without
 * a byte order mark, UTF-16 (Excel's "Unicode text") with a mark or recognised by its pattern of
 * zero bytes, and Windows-1252 for anything that is not valid UTF-8. Binary files (workbooks,
 * archives, bytes with NULs) are refused with `invitation.upload.unsupported_encoding`.
 *
 * The text that comes out has `\n` for every line break (CRLF, LF and lone CR alike) and never
 * holds U+0000, U+FEFF or U+FFFD. A file with a UTF-8 byte order mark is taken at its word: a
 * byte in it that is not UTF-8 is dropped rather than the whole file read as Windows-1252.
 */
export type ByteSource = () => AsyncIterable<Uint8Array>;

export type CsvEncoding = "UTF-8" | "UTF-16LE" | "UTF-16BE" | "windows-1252";

export interface Decoding {
  encoding: CsvEncoding;
  bom: boolean;
}

/** Thrown while decoding a file without a mark as UTF-8 when it turns out not to be UTF-8. */
export class NotUtf8Error extends Error {
  constructor() {
    super("not UTF-8");
    this.name = "NotUtf8Error";
  }
}

/** Enough bytes to see a byte order mark, a file signature and the UTF-16 pattern. */
const HEAD_BYTES = 4096;

const BOM_LENGTH: Record<CsvEncoding, number> = {
  "UTF-8": 3,
  "UTF-16LE": 2,
  "UTF-16BE": 2,
  "windows-1252": 0,
};

// Signatures of files people upload by mistake: workbooks (xlsx and ods are ZIP archives, old
// xls is an OLE2 compound file), PDF, compressed archives and images.
const SIGNATURES: { bytes: number[]; reason: "spreadsheet" | "binary" }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], reason: "spreadsheet" },
  { bytes: [0x50, 0x4b, 0x05, 0x06], reason: "spreadsheet" },
  { bytes: [0x50, 0x4b, 0x07, 0x08], reason: "spreadsheet" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], reason: "spreadsheet" },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], reason: "binary" },
  { bytes: [0x1f, 0x8b], reason: "binary" },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], reason: "binary" },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], reason: "binary" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], reason: "binary" },
  { bytes: [0xff, 0xd8, 0xff], reason: "binary" },
  { bytes: [0x47, 0x49, 0x46, 0x38], reason: "binary" },
];

// Control characters no text export writes: everything below a space except TAB, LF, VT, FF
// and CR, and DEL. NUL is among them, so a NUL in text that is not UTF-16 refuses the file.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BINARY_TEXT = /[\u0000-\u0008\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- NUL is one of the characters never stored
const NEVER_STORED = /[\u0000\ufeff\ufffd]/g;

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((byte, i) => bytes[i] === byte);
}

function refuse(reason: string): AppError {
  return new AppError("invitation.upload.unsupported_encoding", { reason });
}

/** UTF-16 text of mostly Latin characters has a zero in every other byte, and only there. */
function utf16Pattern(head: Uint8Array): CsvEncoding | undefined {
  const pairs = Math.floor(head.length / 2);
  if (pairs === 0) return undefined;

  let lowFirst = 0;
  let highFirst = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] !== 0 && head[i + 1] === 0) lowFirst++;
    else if (head[i] === 0 && head[i + 1] !== 0) highFirst++;
  }

  if (lowFirst * 5 >= pairs * 3 && highFirst * 10 <= pairs) return "UTF-16LE";
  if (highFirst * 5 >= pairs * 3 && lowFirst * 10 <= pairs) return "UTF-16BE";

  return undefined;
}

/** Decides the encoding from the first bytes of a file; UTF-8 is only a guess until the end. */
function sniffEncoding(head: Uint8Array): Decoding {
  if (startsWith(head, [0xff, 0xfe, 0x00, 0x00]) || startsWith(head, [0x00, 0x00, 0xfe, 0xff])) {
    throw refuse("utf32");
  }
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return { encoding: "UTF-8", bom: true };
  if (startsWith(head, [0xff, 0xfe])) return { encoding: "UTF-16LE", bom: true };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: "UTF-16BE", bom: true };

  const signature = SIGNATURES.find((entry) => startsWith(head, entry.bytes));
  if (signature) throw refuse(signature.reason);

  return { encoding: utf16Pattern(head) ?? "UTF-8", bom: false };
}

interface Decoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

function textDecoder(label: string, fatal: boolean): Decoder {
  const decoder = new TextDecoder(label, { fatal, ignoreBOM: true });
  const guard = (decode: () => string) => {
    try {
      return decode();
    } catch {
      throw new NotUtf8Error();
    }
  };

  return {
    write: (bytes) => guard(() => decoder.decode(bytes, { stream: true })),
    end: () => guard(() => decoder.decode()),
  };
}

// Node 20's TextDecoder gets 0x80-0x9F of Windows-1252 wrong; iconv-lite maps them right.
// One byte is one character, so chunks decode on their own.
function windows1252(): Decoder {
  return {
    write: (bytes) =>
      iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "windows-1252"),
    end: () => "",
  };
}

function decoderFor(decoding: Decoding, validate: boolean): Decoder {
  switch (decoding.encoding) {
    case "UTF-8":
      // A file with a UTF-8 mark says what it is; one without must prove it to the last byte.
      return textDecoder("utf-8", validate && !decoding.bom);
    case "UTF-16LE":
      return textDecoder("utf-16le", false);
    case "UTF-16BE":
      return textDecoder("utf-16be", false);
    case "windows-1252":
      return windows1252();
  }
}

/** Yields the bytes with the first `count` removed, however the chunks fall. */
async function* dropBytes(
  chunks: AsyncIterable<Uint8Array>,
  count: number,
): AsyncGenerator<Uint8Array> {
  let left = count;
  for await (const chunk of chunks) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

/** Turns every line break into `\n`, holding back a CR that may be the first half of CRLF. */
class LineBreaks {
  private pendingCr = false;

  write(text: string): string {
    let joined = this.pendingCr ? `\r${text}` : text;
    this.pendingCr = joined.endsWith("\r");
    if (this.pendingCr) joined = joined.slice(0, -1);

    return joined.includes("\r") ? joined.replace(/\r\n?/g, "\n") : joined;
  }

  end(): string {
    return this.pendingCr ? "\n" : "";
  }
}

export interface TextOptions {
  /** First pass: refuse binary content and require proof of UTF-8 (else NotUtf8Error). */
  strict: boolean;
}

/**
 * The first bytes of the file (up to HEAD_BYTES) to sniff, the chunks they came in, the rest,
 * and a way to stop reading. The chunks go on as they came, so decoding sees the same
 * boundaries whatever the sniffing needed.
 */
async function readHead(source: ByteSource): Promise<{
  head: Uint8Array;
  parts: Uint8Array[];
  rest: AsyncIterable<Uint8Array>;
  close: () => Promise<unknown>;
}> {
  const iterator = source()[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    parts.push(next.value);
    size += next.value.length;
  }

  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => (done ? emptyIterator() : iterator),
  };

  const close = async () => iterator.return?.();

  return { head: Buffer.concat(parts), parts, rest, close };
}

function emptyIterator(): AsyncIterator<Uint8Array> {
  return { next: async () => ({ done: true, value: undefined }) };
}

async function* bytesFrom(parts: Uint8Array[], rest: AsyncIterable<Uint8Array>) {
  yield* parts.splice(0);
  yield* rest;
}

function cleanText(text: string, strict: boolean): string {
  if (strict && BINARY_TEXT.test(text)) throw refuse("binary");

  return text.replace(NEVER_STORED, "");
}

async function* decodeText(
  bytes: AsyncIterable<Uint8Array>,
  decoding: Decoding,
  options: TextOptions,
): AsyncGenerator<string> {
  const decoder = decoderFor(decoding, options.strict);
  const lineBreaks = new LineBreaks();

  for await (const chunk of dropBytes(bytes, decoding.bom ? BOM_LENGTH[decoding.encoding] : 0)) {
    const text = lineBreaks.write(cleanText(decoder.write(chunk), options.strict));
    if (text !== "") yield text;
  }

  const tail = lineBreaks.write(cleanText(decoder.end(), options.strict)) + lineBreaks.end();
  if (tail !== "") yield tail;
}

/**
 * Opens a file as text. Without `known`, the encoding is sniffed from the first bytes; a file
 * without a mark is then read as UTF-8 and, in strict mode, the text throws NotUtf8Error as soon
 * as a byte proves otherwise (the caller starts again as Windows-1252).
 */
export async function openText(
  source: ByteSource,
  known: Decoding | undefined,
  options: TextOptions,
): Promise<{ decoding: Decoding; text: AsyncGenerator<string> }> {
  const { head, parts, rest, close } = await readHead(source);
  let decoding: Decoding;
  try {
    decoding = known ?? sniffEncoding(head);
  } catch (error) {
    // A refused file is not read further: let the source release what it holds.
    await close();
    throw error;
  }

  return { decoding, text: decodeText(bytesFrom(parts, rest), decoding, options) };
}
