import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FencedBlock, fencedBlocks, REPO } from './markdown.ts';

// Runs what the README and the docs tell a reader to type, in a scratch folder, against the demo's data.
const BIN = path.join(REPO, 'bin', 'revseg.js');
const MINUTES = 60_000;
/** Set-up and development commands: run by CI itself (`npm ci`, `npm test`...), not by this test. */
const NOT_RUN_HERE = /^npm (ci|test)$|^npm run (typecheck|lint|synth|bench|build|format|docs:tables)$/;
const DOCS_WITH_LOCAL_EXAMPLES = ['docs/cli.md', 'docs/outputs.md', 'docs/input-data.md'];

interface Command {
  readonly source: string;
  /** The shell line to run, with `npx revseg` / `npm run demo` spelled as the installed bin. */
  readonly shell: string;
  /** `cmd || true   # piece ... piece`: the command must fail and print each piece. */
  readonly failsWith?: string[];
}

function commandsOf(block: FencedBlock): Command[] {
  const commands: Command[] = [];
  for (const line of block.text.split('\n')) {
    if (!line.trim()) continue;
    const [code = '', comment] = line.split(/\s{2,}#\s?/, 2);
    for (const part of code.split('&&').map((p) => p.trim())) {
      if (NOT_RUN_HERE.test(part)) continue;
      const expectFailure = part.endsWith('|| true');
      const bare = part.replace(/\s*\|\|\s*true$/, '');
      let shell: string;
      if (bare === 'npm run demo') shell = `node ${BIN} demo`;
      else if (bare.startsWith('npx revseg ')) shell = `node ${BIN} ${bare.slice('npx revseg '.length)}`;
      else throw new Error(`${block.file}: the docs test does not know how to run: ${bare}`);
      commands.push({
        source: `${block.file}: ${bare}`,
        shell,
        failsWith: expectFailure
          ? (comment ?? '')
              .split('...')
              .map((p) => p.trim())
              .filter(Boolean)
          : undefined,
      });
    }
  }
  return commands;
}

/** Numbers, dates and widths vary with the day the demo runs; the words and their order do not. */
const shape = (line: string) =>
  line
    .replace(/[\d][\d,.]*/g, '9')
    .replace(/\s+/g, ' ')
    .trim();

describe('the commands of the README and the docs, run as written', () => {
  let cwd: string;
  const run = (command: Command) => {
    const result = spawnSync('sh', ['-c', command.shell], {
      cwd,
      encoding: 'utf8',
      timeout: 10 * MINUTES,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    return { ...result, output: `${result.stdout}${result.stderr}` };
  };
  const check = (command: Command) => {
    const result = run(command);
    if (command.failsWith) {
      expect(result.status, `${command.source} should fail`).not.toBe(0);
      for (const piece of command.failsWith) expect(result.output, command.source).toContain(piece);
    } else {
      expect(result.status, `${command.source}\n${result.output}`).toBe(0);
      expect(result.stderr, command.source).not.toMatch(/^revseg: /m);
    }
    return result;
  };

  beforeAll(() => {
    cwd = mkdtempSync(path.join(tmpdir(), 'revseg-readme-'));
    // The reader's working copy: the shipped examples beside the folders the commands write.
    symlinkSync(path.join(REPO, 'examples'), path.join(cwd, 'examples'));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  const readme = fencedBlocks('README.md');

  it(
    'npm run demo prints what the README shows and writes the reports it names',
    () => {
      const setup = readme.find((b) => b.lang === 'sh');
      if (!setup) throw new Error('README.md has no sh block');
      const commands = commandsOf(setup);
      expect(commands.map((c) => c.shell)).toEqual([`node ${BIN} demo`]);
      const result = check(commands[0] as Command);
      const shown = readme.find((b) => b.lang === 'text' && /prints/.test(b.heading));
      if (!shown) throw new Error('README.md shows no demo output');
      const actual = result.stdout.split('\n').map(shape);
      let at = 0;
      for (const line of shown.text.split('\n').filter((l) => l.trim() !== '...')) {
        const found = actual.indexOf(shape(line), at);
        expect(
          found,
          `README's demo output line not printed (in this order): ${line}`,
        ).toBeGreaterThanOrEqual(at);
        at = found + 1;
      }
      const reports = [...result.stdout.matchAll(/(out\/\S+-leadership\.html)/g)].map((m) => m[1] ?? '');
      expect(reports).toHaveLength(2);
      for (const report of reports) expect(existsSync(path.join(cwd, report)), report).toBe(true);
    },
    15 * MINUTES,
  );

  it(
    "the README's own-data commands run as written on the demo's data",
    () => {
      const block = readme.find((b) => b.lang === 'sh' && b.heading === 'Your own data');
      if (!block) throw new Error('README.md has no "Your own data" commands');
      const commands = commandsOf(block);
      expect(commands.length).toBeGreaterThanOrEqual(5);
      for (const command of commands) {
        const result = check(command);
        if (command.shell.includes(' run ')) expect(result.stdout).toMatch(/^mail\s+\d+ sent/m);
        if (command.shell.includes(' query ') && !command.shell.includes('>')) {
          expect(result.stdout).not.toContain('(0 rows)');
        }
      }
      expect(existsSync(path.join(cwd, 'out/accounts.csv'))).toBe(true);
    },
    15 * MINUTES,
  );

  it(
    "the README's Athena queries answer with rows on the demo's snapshots",
    () => {
      const queries = readme.filter((b) => b.lang === 'sql');
      expect(queries).toHaveLength(3);
      for (const query of queries) {
        const result = spawnSync(
          process.execPath,
          [BIN, 'query', '--out', 'out/demo', '--format', 'json', query.text],
          {
            cwd,
            encoding: 'utf8',
          },
        );
        expect(result.status, `${query.text}\n${result.stderr}`).toBe(0);
        expect((JSON.parse(result.stdout) as unknown[]).length, query.text).toBeGreaterThan(0);
      }
    },
    5 * MINUTES,
  );

  it.each(DOCS_WITH_LOCAL_EXAMPLES)(
    '%s: each local example does what the text says',
    (file) => {
      const commands = fencedBlocks(file)
        .filter((b) => b.lang === 'sh')
        .flatMap(commandsOf);
      expect(commands.length, file).toBeGreaterThan(0);
      for (const command of commands) check(command);
    },
    15 * MINUTES,
  );
});
