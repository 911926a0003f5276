import { readFileSync } from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');

export interface FencedBlock {
  readonly file: string;
  readonly lang: string;
  readonly text: string;
  /** The nearest heading above the block. */
  readonly heading: string;
}

/** The fenced code blocks of a Markdown file of the repository, in order. */
export function fencedBlocks(file: string): FencedBlock[] {
  const text = readFileSync(path.join(REPO, file), 'utf8');
  const blocks: FencedBlock[] = [];
  let heading = '';
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push({ file, lang: open.lang, text: open.lines.join('\n'), heading });
        open = undefined;
      } else open.lines.push(line);
    } else if (line.startsWith('```')) open = { lang: line.slice(3).trim(), lines: [] };
    else if (line.startsWith('#')) heading = line.replace(/^#+\s*/, '');
  }
  return blocks;
}

/** The targets of the Markdown links and images of a file. */
export function linkTargets(file: string): string[] {
  const text = readFileSync(path.join(REPO, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
}
