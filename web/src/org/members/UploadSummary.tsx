import type { InvitationUpload } from "../types.ts";
import {
  countLines,
  delimiterName,
  encodingName,
  formatBytes,
  formatCount,
} from "./uploadWords.ts";

function addressColumn(file: InvitationUpload["file"]): string {
  if (!file.header || file.emailColumn === null) return "The first column (the file has no header)";
  if (file.fallbackColumns.length === 0) return file.emailColumn;

  const quoted = file.fallbackColumns.map((column) => `“${column}”`).join(", then ");
  return `${file.emailColumn} (where it is empty: ${quoted})`;
}

/** How the file was read: its name, size, encoding, delimiter and address column. */
export function FileFacts({ upload }: { upload: InvitationUpload }) {
  const { file } = upload;

  return (
    <dl className="org-facts upload-facts">
      <dt>File</dt>
      <dd>
        {upload.filename ?? "Uploaded file"} ({formatBytes(file.bytes)}, {formatCount(upload.rows)}{" "}
        {upload.rows === 1 ? "row" : "rows"})
      </dd>
      <dt>Encoding</dt>
      <dd>{encodingName(file.encoding)}</dd>
      <dt>Delimiter</dt>
      <dd>{delimiterName(file.delimiter)}</dd>
      <dt>Address column</dt>
      <dd>{addressColumn(file)}</dd>
      {file.nameColumns.length > 0 && (
        <>
          <dt>Name from</dt>
          <dd>{file.nameColumns.join(" + ")}</dd>
        </>
      )}
    </dl>
  );
}

/** The count of each outcome; the ones that need a look are marked. */
export function UploadCountList({ upload }: { upload: InvitationUpload }) {
  const lines = countLines(upload.counts, upload.committed);

  return (
    <ul className="upload-counts" aria-label="Counts">
      {lines.map((line) => {
        const problem = (line.key === "invalid" || line.key === "duplicate") && line.value > 0;

        return (
          <li key={line.key} className={problem ? "upload-count upload-problem" : "upload-count"}>
            {line.label}: <strong>{formatCount(line.value)}</strong>
          </li>
        );
      })}
    </ul>
  );
}
