import { QueryError } from '../../core/errors.ts';

/** One record of Athena's result CSV: each field's text, or null for an empty unquoted field (SQL NULL). */
export type AthenaCsvRecord = (string | null)[];

/**
 * An incremental reader of the CSV Athena writes for a SELECT: records end with `\n` (or `\r\n`), every
 * value is in double quotes with `""` for a quote inside, and NULL is an empty unquoted field, so an empty
 * string (`""`) and NULL stay apart. Text is pushed in chunks of any size (a record may span chunks); each
 * complete record is handed to `onRecord` as it is read, so only one partial record is ever buffered.
 *
 * Hand-written rather than csv-parse: csv-parse tells quoted from unquoted fields only through its per-field
 * `cast` hook, which made reading a million-row result about 8 times slower (measured in bench/aws-million.ts),
 * and this format is fixed by Athena, with no dialect to detect.
 */
export class AthenaCsvReader {
  private buffer = '';
  private records = 0;

  constructor(private readonly onRecord: (record: AthenaCsvRecord, index: number) => void) {}

  /** Reads every complete record of the text so far; `final` marks the end of the object. */
  push(text: string, final = false): void {
    const buffer = this.buffer.length > 0 ? this.buffer + text : text;
    let at = 0;
    for (;;) {
      if (at >= buffer.length) break;
      const end = this.readRecord(buffer, at, final);
      if (end < 0) break;
      at = end;
    }
    this.buffer = buffer.slice(at);
    if (final && this.buffer.length > 0) {
      throw this.error(`the last record is incomplete (${JSON.stringify(this.buffer.slice(0, 40))})`);
    }
  }

  /** Reads the record starting at `start`; returns where the next one starts, or -1 if it is not complete yet. */
  private readRecord(text: string, start: number, final: boolean): number {
    const fields: AthenaCsvRecord = [];
    let at = start;
    for (;;) {
      let value: string | null = null;
      if (text.charCodeAt(at) === QUOTE) {
        let from = at + 1;
        let escaped = false;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) return -1;
          if (close + 1 >= text.length && !final) return -1;
          if (text.charCodeAt(close + 1) === QUOTE) {
            escaped = true;
            from = close + 2;
            continue;
          }
          value = text.slice(at + 1, close);
          if (escaped) value = value.replaceAll('""', '"');
          at = close + 1;
          break;
        }
      }
      fields.push(value);
      if (at >= text.length) {
        if (!final) return -1;
        this.onRecord(fields, this.records++);
        return at;
      }
      const next = text.charCodeAt(at);
      if (next === COMMA) {
        at += 1;
        continue;
      }
      if (next === CR && text.charCodeAt(at + 1) === LF) at += 1;
      else if (next === CR && at + 1 >= text.length && !final) return -1;
      if (text.charCodeAt(at) !== LF) {
        throw this.error(
          `record ${this.records + 1}, field ${fields.length}: expected a comma or a line end after the value, found ${JSON.stringify(text.slice(at, at + 20))}`,
        );
      }
      this.onRecord(fields, this.records++);
      return at + 1;
    }
  }

  private error(what: string): QueryError {
    return new QueryError(`not the CSV Athena writes: ${what}`);
  }
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;
