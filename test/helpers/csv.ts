import iconv from "iconv-lite";
import {
  inspectCsv,
  readCsvRows,
  type ByteSource,
  type CsvEncoding,
  type CsvInspection,
  type CsvRow,
  type InspectOptions,
} from "../../src/invitations/csv/reader.ts";

/** A source that hands out the bytes in chunks of `chunkSize`, counting how often it opens. */
export function sourceOf(
  bytes: Uint8Array,
  chunkSize = 64 * 1024,
): ByteSource & { opened: number } {
  const source = Object.assign(
    async function* () {
      source.opened++;
      for (let at = 0; at < bytes.length; at += chunkSize) {
        yield bytes.subarray(at, at + chunkSize);
      }
    },
    { opened: 0 },
  );

  return source;
}

/** Text in the given encoding, with its byte order mark when `bom` is set. */
export function encode(text: string, encoding: CsvEncoding, bom = false): Buffer {
  const marked = bom ? `\ufeff${text}` : text;
  switch (encoding) {
    case "UTF-8":
      return Buffer.from(marked, "utf8");
    case "UTF-16LE":
      return Buffer.from(marked, "utf16le");
    case "UTF-16BE":
      return Buffer.from(marked, "utf16le").swap16();
    case "windows-1252":
      return iconv.encode(text, "windows-1252");
  }
}

export interface ReadResult {
  inspection: CsvInspection;
  rows: CsvRow[];
}

/** Both passes over the bytes, as the upload pipeline runs them. */
export async function readCsv(
  bytes: Uint8Array,
  options: Partial<InspectOptions> & { chunkSize?: number } = {},
): Promise<ReadResult> {
  const source = sourceOf(bytes, options.chunkSize);
  const inspection = await inspectCsv(source, { maxRows: 100_000, ...options });
  const rows: CsvRow[] = [];
  for await (const row of readCsvRows(source, inspection)) rows.push(row);

  return { inspection, rows };
}

/** The error a promise rejects with, or undefined when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }

  return undefined;
}
