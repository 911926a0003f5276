import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import {
  CHROMIUM_ENV,
  CHROMIUM_LOCATIONS,
  checkMailPages,
  findChromium,
  MAX_HTML_BYTES,
  MIN_TEXT_PX,
  type PageCheck,
  pageCheckProblems,
  VIEWPORTS,
} from '../../lambdas/adapters/local/browser-check.ts';
import { discoverInputs, openLocalRuntime } from '../../lambdas/adapters/local/local-runtime.ts';
import { writeSampleBook } from '../../lambdas/adapters/local/sample-book-writer.ts';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { createFormatter } from '../../lambdas/core/report/format.ts';
import { accountLabel } from '../../lambdas/core/report/labels.ts';
import { type RunSummary, runPeriod } from '../../lambdas/jobs/run-period.ts';
import { fixedClock } from '../../lambdas/ports/clock.ts';
import { silentLogger } from '../../lambdas/ports/logger.ts';

// Each mail's HTML, as the outbox writes it (chart PNGs beside it), opened in headless Chromium at a phone's and
// a desktop client's width. Locally, without Chromium, the tests say how to get it and skip; in CI they fail.

const AS_OF = '2026-11-02';
const clock = fixedClock(`${AS_OF}T09:00:00Z`);
const config = parseRunConfig({ mail: { leadership: ['cro@example.com'] } });
const fmt = createFormatter('en-US', 'USD');
const inCi = process.env.CI === 'true';
const lookup = findChromium();
const hasChromium = lookup.found;
const NO_CHROMIUM = lookup.found
  ? ''
  : `${lookup.reason} (.ci/run installs it) to check the mails in a real browser`;

function needChromium(ctx: TestContext): void {
  if (hasChromium) return;
  if (inCi) throw new Error(`${NO_CHROMIUM}: CI must run the browser check`);
  ctx.skip(NO_CHROMIUM);
}

const normalized = (email: string) => email?.trim().toLowerCase() ?? '';

/**
 * Headline numbers of the leadership mail as it formats them: T12M revenue, active accounts, NRR and GRR,
 * and the NRR and GRR changes since the previous run. The numbers themselves are checked against the book
 * in local-run.test.ts; here they must be visible.
 */
function leadershipHeadline(run: RunSummary, previous: RunSummary): string[] {
  const now = run.analysis.portfolio;
  const before = previous.analysis.portfolio;
  return [
    fmt.moneyCompact(now.revenueT12m),
    fmt.number(now.activeAccounts),
    fmt.percent(now.retention.nrr),
    fmt.percent(now.retention.grr),
    `${fmt.percent(before.retention.nrr)} → ${fmt.percent(now.retention.nrr)}`,
    `${fmt.percent(before.retention.grr)} → ${fmt.percent(now.retention.grr)}`,
  ];
}

/** PNG width from its IHDR chunk. */
function pngWidth(file: string): number {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1'), file).toBe('PNG');
  return bytes.readUInt32BE(16);
}

describe('mails in a real browser (headless Chromium)', () => {
  let root: string;
  let checks: PageCheck[] = [];
  let files: string[] = [];
  const expected = new Map<string, string[]>();
  const atRiskNamed = new Map<string, number>();

  beforeAll(async () => {
    if (!hasChromium) return;
    root = mkdtempSync(path.join(tmpdir(), 'revseg-browser-'));
    await writeSampleBook({
      outDir: path.join(root, 'data'),
      lines: 6_000,
      seed: 42,
      asOf: AS_OF,
      format: 'csv',
    });
    const runtime = await openLocalRuntime({
      inputs: discoverInputs(path.join(root, 'data')),
      outDir: path.join(root, 'out'),
      logger: silentLogger,
      clock,
    });
    let owners: string[];
    try {
      // The previous periods first, without mail, so the headline compares NRR and GRR with their snapshots.
      const september = await runPeriod(runtime.deps, config, {
        periodId: '2026-09',
        cadence: 'monthly',
        skipMail: true,
      });
      const october = await runPeriod(runtime.deps, config, { periodId: '2026-10', cadence: 'monthly' });
      const q2 = await runPeriod(runtime.deps, config, {
        periodId: '2026-Q2',
        cadence: 'quarterly',
        skipMail: true,
      });
      const q3 = await runPeriod(runtime.deps, config, { periodId: '2026-Q3', cadence: 'quarterly' });
      expected.set('monthly-2026-10-leadership', leadershipHeadline(october, september));
      expected.set('quarterly-2026-Q3-leadership', leadershipHeadline(q3, q2));
      // The owner with the most accounts (the longest tables) and the one with the fewest.
      const byCount = october.mails
        .filter((m) => m.status === 'sent' && m.mailId.includes('-owner-'))
        .map((m) => ({
          id: m.mailId,
          accounts: october.analysis.accounts.filter((a) => normalized(a.ownerEmail) === m.to[0]),
        }))
        .sort((a, b) => b.accounts.length - a.accounts.length || a.id.localeCompare(b.id));
      // The owner with the most accounts, the one with the fewest, and the one with the most at-risk accounts.
      const risky = (o: (typeof byCount)[number]) =>
        o.accounts.filter((a) =>
          ['high', 'medium'].includes(october.predictions.accounts.get(a.accountId)?.churnRisk ?? ''),
        ).length;
      const mostAtRisk = [...byCount].sort((a, b) => risky(b) - risky(a) || a.id.localeCompare(b.id))[0];
      const picked = [...new Set([byCount[0], byCount.at(-1), mostAtRisk].filter((o) => o !== undefined))];
      owners = picked.map((o) => o.id);
      for (const o of picked) {
        const total = o.accounts.reduce((sum, a) => sum + a.revenueT12m, 0);
        // Every at-risk account of the owner is named in the body, whatever the list limits.
        const atRisk = o.accounts
          .filter((a) =>
            ['high', 'medium'].includes(october.predictions.accounts.get(a.accountId)?.churnRisk ?? ''),
          )
          .map(accountLabel);
        atRiskNamed.set(o.id, atRisk.length);
        expected.set(o.id, [
          fmt.number(o.accounts.length),
          fmt.moneyCompact(total),
          'Your to-do list',
          ...atRisk,
        ]);
      }
    } finally {
      await runtime.close();
    }
    files = ['monthly-2026-10-leadership', 'quarterly-2026-Q3-leadership', ...owners].map((id) =>
      path.join(runtime.outboxDir, `${id}.html`),
    );
    checks = await checkMailPages(files, {
      screenshotDir: path.join(root, 'out', 'screenshots'),
      expectTexts: (file) => expected.get(path.basename(file, '.html')) ?? [],
    });
  }, 60_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('loads every chart, fits phone and desktop widths, shows the headline numbers, no external requests', (ctx) => {
    needChromium(ctx);
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(checks).toHaveLength(files.length * VIEWPORTS.length);
    expect(pageCheckProblems(checks)).toEqual([]);
    for (const c of checks) {
      expect(c.scrollWidth, `${c.file} ${c.viewport.name}`).toBeLessThanOrEqual(c.viewport.width);
      const texts = expected.get(path.basename(c.file, '.html')) ?? [];
      expect(texts.length).toBeGreaterThanOrEqual(3);
      expect(c.texts.map((t) => t.text)).toEqual(texts);
    }
  });

  it('fits every table in the mail at 1024px, keeps chart text legible at 375px and the quarterly HTML unclipped', (ctx) => {
    needChromium(ctx);
    for (const c of checks) {
      expect(c.wideTables, `${c.file} ${c.viewport.name}`).toEqual([]);
      expect(c.htmlBytes, c.file).toBeLessThan(MAX_HTML_BYTES);
      if (c.viewport.width === 375 && c.file.includes('leadership')) {
        expect(c.chartTextPx, c.file).toBeGreaterThanOrEqual(MIN_TEXT_PX);
      }
    }
    // The owners picked have at-risk accounts to name (the fixture is meant to exercise that).
    expect([...atRiskNamed.values()].some((n) => n > 0)).toBe(true);
  });

  it('shows each leadership chart as an image with alt text, the cohort heatmap in the quarterly mail', (ctx) => {
    needChromium(ctx);
    const images = (name: string) =>
      checks.find((c) => c.file.endsWith(`${name}.html`) && c.viewport.name === 'phone')?.images ?? [];
    const charts = ['segment-trend', 'revenue-bridge', 'segment-migration', 'lorenz-curve'];
    const monthly = images('monthly-2026-10-leadership');
    const quarterly = images('quarterly-2026-Q3-leadership');
    expect(monthly.map((i) => path.basename(i.src, '.png'))).toEqual(charts);
    expect(quarterly.map((i) => path.basename(i.src, '.png')).sort()).toEqual(
      [...charts, 'cohort-retention'].sort(),
    );
    for (const image of [...monthly, ...quarterly]) {
      expect(image.naturalWidth, image.src).toBeGreaterThan(0);
      expect(image.alt.length, image.src).toBeGreaterThan(20);
    }
  });

  it('writes a full-page screenshot of each mail at each width', (ctx) => {
    needChromium(ctx);
    for (const c of checks) {
      expect(existsSync(c.screenshot), c.screenshot).toBe(true);
      expect(pngWidth(c.screenshot)).toBe(c.viewport.width);
    }
  });
});

describe('finding Chromium', () => {
  it('uses REVSEG_CHROMIUM when set, else the usual locations, and says why when there is none', () => {
    const none = () => false;
    expect(findChromium({ [CHROMIUM_ENV]: '/opt/chrome' }, (f) => f === '/opt/chrome')).toEqual({
      found: true,
      path: '/opt/chrome',
    });
    const wrong = findChromium({ [CHROMIUM_ENV]: '/nope/chrome' }, (f) => f !== '/nope/chrome');
    expect(wrong).toMatchObject({ found: false });
    expect(wrong.found ? '' : wrong.reason).toContain('REVSEG_CHROMIUM=/nope/chrome does not exist');
    expect(findChromium({}, (f) => f === '/usr/bin/google-chrome')).toEqual({
      found: true,
      path: '/usr/bin/google-chrome',
    });
    expect(CHROMIUM_LOCATIONS.slice(0, 3)).toEqual([
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
    ]);
    const missing = findChromium({}, none);
    expect(missing.found ? '' : missing.reason).toMatch(
      /no Chromium found .*apt-get install .*chromium.*REVSEG_CHROMIUM/,
    );
  });
});

describe('the browser check itself', () => {
  it('reports a missing image, sideways scrolling, hidden numbers, low contrast and remote requests', async (ctx) => {
    needChromium(ctx);
    const dir = mkdtempSync(path.join(tmpdir(), 'revseg-browser-bad-'));
    try {
      const file = path.join(dir, 'broken.html');
      writeFileSync(
        file,
        `<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width,initial-scale=1"></head><body style="margin:0">
<img src="missing.png" alt="a chart" width="100" height="50">
<img src="https://example.com/logo.png" alt="remote" width="10" height="10">
<div style="width:900px;background:#fff">wide table</div>
<div style="width:300px"><table style="width:600px"><tr><td>too wide for its column</td></tr></table></div>
<p style="color:#bbbbbb;background:#ffffff">pale footer</p>
<p style="display:none">$1.2M</p>
</body></html>`,
      );
      const [phone] = await checkMailPages([file], {
        screenshotDir: path.join(dir, 'shots'),
        viewports: [VIEWPORTS[0] ?? { name: 'phone', width: 375, height: 812 }],
        expectTexts: () => ['$1.2M'],
      });
      const problems = pageCheckProblems(phone ? [phone] : []).join('\n');
      expect(problems).toContain('image missing.png did not load');
      expect(problems).toContain('image https://example.com/logo.png did not load');
      expect(problems).toMatch(/page is 9\d\dpx wide and scrolls sideways/);
      expect(problems).toContain(`'$1.2M' is not visible`);
      expect(problems).toMatch(/contrast [\d.]+:1 < 4.5:1 for <p> pale footer/);
      expect(problems).toContain('requested an external resource https://example.com/logo.png');
      expect(problems).toMatch(
        /table is wider than the mail and scrolls sideways: <table> too wide for its column \(600px\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
