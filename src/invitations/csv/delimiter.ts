/**
 * The delimiter of a CSV file: comma, semicolon or tab, one per file, read from the first line
 * that is not blank, counting only outside quoted fields. Comma when in doubt: no candidate on
 * that line, or two candidates as frequent as each other.
 */
export type Delimiter = "," | ";" | "\t";

const CANDIDATES: readonly Delimiter[] = [",", ";", "\t"];

/** Past this much text without the end of a first line, the counts so far decide. */
const MAX_FIRST_LINE = 64 * 1024;

/** Whitespace that neither starts a field's content nor makes a line count as non-blank. */
const SPACE = /[\s\u200b\u2060]/;

/**
 * Reads text as it arrives until the first non-blank line is complete. A quote opens a quoted
 * field only at the start of a field (after the line start, a candidate delimiter or spaces),
 * and `""` inside quotes is a literal quote, as the parser will read them.
 */
export class DelimiterSniffer {
  private readonly counts = new Map<Delimiter, number>();
  private quoted = false;
  private quoteSeen = false;
  private atFieldStart = true;
  private filled = false;
  private seen = 0;
  private result: Delimiter | undefined;

  /** Feeds text; answers the delimiter once it is decided. */
  feed(text: string): Delimiter | undefined {
    for (let i = 0; i < text.length && this.result === undefined; i++) {
      this.step(text.charAt(i));
    }
    this.seen += text.length;
    if (this.result === undefined && this.seen >= MAX_FIRST_LINE) this.result = this.decide();

    return this.result;
  }

  /** The delimiter at the end of the text, decided or not. */
  finish(): Delimiter {
    this.result ??= this.decide();

    return this.result;
  }

  private step(char: string): void {
    if (this.quoted) {
      this.stepQuoted(char);
      return;
    }

    if (char === "\n") {
      this.endLine();
    } else if ((CANDIDATES as readonly string[]).includes(char)) {
      this.counts.set(char as Delimiter, (this.counts.get(char as Delimiter) ?? 0) + 1);
      if (char !== "\t") this.filled = true;
      this.atFieldStart = true;
    } else if (SPACE.test(char)) {
      return;
    } else {
      this.quoted = char === '"' && this.atFieldStart;
      this.filled = true;
      this.atFieldStart = false;
    }
  }

  private stepQuoted(char: string): void {
    if (this.quoteSeen) {
      this.quoteSeen = false;
      if (char === '"') return;

      this.quoted = false;
      this.step(char);
      return;
    }
    if (char === '"') this.quoteSeen = true;
  }

  private endLine(): void {
    if (this.filled) {
      this.result = this.decide();
      return;
    }

    this.counts.clear();
    this.atFieldStart = true;
  }

  private decide(): Delimiter {
    let best: Delimiter = ",";
    let bestCount = 0;
    let tie = false;
    for (const candidate of CANDIDATES) {
      const count = this.counts.get(candidate) ?? 0;
      if (count > bestCount) {
        best = candidate;
        bestCount = count;
        tie = false;
      } else if (count === bestCount && count > 0) {
        tie = true;
      }
    }

    return tie ? "," : best;
  }
}
