/** A small turning circle, hidden from screen readers (the text beside it says what runs). */
export function Spinner() {
  return <span className="spinner" aria-hidden="true" />;
}

/** A loading state that screen readers announce. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <Spinner /> {label}
    </p>
  );
}
