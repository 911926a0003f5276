import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputContractError } from '../../core/errors.ts';

const DELIMITERS = [',', ';', '|', '\t'] as const;
const HEADER_BYTES = 64 * 1024;

/** The delimiter a header line uses: the candidate it holds most of (a comma for a one-column header). */
function delimiterOf(header: string): string {
  let best: string = ',';
  let most = 0;
  for (const d of DELIMITERS) {
    const n = header.split(d).length - 1;
    if (n > most) [best, most] = [d, n];
  }
  return best;
}

/** The fields of one CSV line, with RFC 4180 double quotes. */
function fieldsOf(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

async function firstLine(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const line = text.split(/\r?\n/, 1)[0] ?? '';
    return text.trim() === '' ? undefined : line;
  } finally {
    await handle.close();
  }
}

/**
 * Checks what the CSV reader would otherwise guess around: an empty file (read as one column named
 * `column0`) and a column named twice in the header (read as the first of the two, silently).
 * @throws InputContractError naming the file, the table and what to fix.
 */
export async function checkCsvHeader(file: string, table: string): Promise<void> {
  const header = await firstLine(file);
  if (header === undefined) {
    throw new InputContractError(
      `input ${file} for ${table} is empty: export ${table} with a header row and its rows`,
    );
  }
  const names = fieldsOf(header, delimiterOf(header)).map((n) => n.trim().toLowerCase());
  const seen = new Map<string, number>();
  for (const [i, name] of names.entries()) {
    const first = seen.get(name);
    if (first !== undefined && name !== '') {
      throw new InputContractError(
        `input ${file} for ${table} has the column ${name} twice in its header (columns ${first + 1} and ${i + 1}): rename or drop one`,
      );
    }
    seen.set(name, i);
  }
}

/**
 * The first line whose number of fields differs from the header's, for a precise message when the CSV
 * reader gives up on a file. Quoted fields may span lines; the line number is where the row starts.
 */
export async function findRaggedRow(
  file: string,
): Promise<{ line: number; fields: number; expected: number } | undefined> {
  const header = await firstLine(file);
  if (header === undefined) return undefined;
  const delimiter = delimiterOf(header);
  const expected = fieldsOf(header, delimiter).length;
  let line = 0;
  let rowStart = 0;
  let fields = 1;
  let quoted = false;
  let blank = true;
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<string>) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === '"') quoted = !quoted;
      else if (quoted) {
        if (c === '\n') line++;
      } else if (c === delimiter) {
        fields++;
        blank = false;
      } else if (c === '\n') {
        line++;
        if (rowStart > 0 && !blank && fields !== expected) {
          stream.destroy();
          return { line: rowStart, fields, expected };
        }
        rowStart = line + 1;
        fields = 1;
        blank = true;
      } else if (c !== '\r') blank = false;
    }
  }
  if (rowStart > 0 && !blank && fields !== expected) return { line: rowStart, fields, expected };
  return undefined;
}

/** How many fields the header of a CSV file has (0 for an empty file). */
export async function headerFieldCount(file: string): Promise<number> {
  const header = await firstLine(file);
  return header === undefined ? 0 : fieldsOf(header, delimiterOf(header)).length;
}

/** An error for the first ragged row among `files`, if there is one. */
export async function raggedRowError(
  files: readonly string[],
  table: string,
): Promise<InputContractError | undefined> {
  for (const file of files) {
    const ragged = await findRaggedRow(file);
    if (ragged) {
      return new InputContractError(
        `input ${file} for ${table}: line ${ragged.line} has ${ragged.fields} fields where the header has ${ragged.expected}: fix that row (a missing or extra delimiter, or an unclosed quote)`,
      );
    }
  }
  return undefined;
}
