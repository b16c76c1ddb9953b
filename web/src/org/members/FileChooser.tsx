import { useId, useRef, useState, type DragEvent } from "react";
import { formatBytes } from "./uploadWords.ts";

interface Props {
  file: File | null;
  onFile: (file: File | null) => void;
}

/**
 * A labelled file input inside a zone a file can be dropped on. A dropped file is also put in
 * the input, so the input always names the file that will be sent.
 */
export function FileChooser({ file, onFile }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const id = useId();

  function drop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setOver(false);
    const files = event.dataTransfer.files;
    const dropped = files[0];
    if (!dropped) return;

    if (input.current) input.current.files = files;
    onFile(dropped);
  }

  return (
    <div
      className={over ? "upload-drop upload-drop-over" : "upload-drop"}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <label htmlFor={`${id}-file`}>CSV file</label>
      <input
        ref={input}
        id={`${id}-file`}
        type="file"
        accept=".csv,.txt,.tsv,text/csv,text/plain,text/tab-separated-values"
        required
        aria-describedby={`${id}-hint`}
        onChange={(event) => onFile(event.target.files?.[0] ?? null)}
      />
      <p id={`${id}-hint`} className="org-hint">
        {file
          ? `Chosen: ${file.name} (${formatBytes(file.size)}).`
          : "Choose a file, or drop one here. Excel, Google Sheets, Outlook and HR exports work."}
      </p>
    </div>
  );
}
