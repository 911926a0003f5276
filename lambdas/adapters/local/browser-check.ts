/// <reference lib="dom" />
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { RevsegError } from '../../core/errors.ts';
import { CHART_MIN_FONT_PX } from '../../core/report/charts/chart-theme.ts';

/** Debian's `chromium` package; `.ci/run` installs it. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The environment variable that points the browser check at a Chromium or Chrome binary. */
export const CHROMIUM_ENV = 'REVSEG_CHROMIUM';

/** Where Chromium or Chrome usually is on Linux and macOS, looked at in this order. */
export const CHROMIUM_LOCATIONS: readonly string[] = [
  CHROMIUM_PATH,
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Where a Chromium binary was found, or in one line why none was. */
export type ChromiumLookup =
  | { readonly found: true; readonly path: string }
  | { readonly found: false; readonly reason: string };

/**
 * Finds Chromium: `REVSEG_CHROMIUM` when set (and then only there, so a wrong value is reported rather than
 * silently replaced), else the first of {@link CHROMIUM_LOCATIONS} that exists.
 */
export function findChromium(
  env: Readonly<Record<string, string | undefined>> = process.env,
  exists: (file: string) => boolean = existsSync,
): ChromiumLookup {
  const configured = env[CHROMIUM_ENV]?.trim();
  if (configured) {
    return exists(configured)
      ? { found: true, path: configured }
      : {
          found: false,
          reason: `${CHROMIUM_ENV}=${configured} does not exist; point it at a Chromium or Chrome binary, or unset it to look in ${CHROMIUM_LOCATIONS.slice(0, 3).join(', ')}`,
        };
  }
  const path = CHROMIUM_LOCATIONS.find((file) => exists(file));
  return path
    ? { found: true, path }
    : {
        found: false,
        reason: `no Chromium found (looked at ${CHROMIUM_ENV} and ${CHROMIUM_LOCATIONS.slice(0, 3).join(', ')}); install it (Debian/Ubuntu: apt-get install -y --no-install-recommends chromium) or set ${CHROMIUM_ENV} to a Chromium or Chrome binary`,
      };
}

/** A width a mail is looked at: a phone and a desktop mail client's reading pane. */
export interface Viewport {
  readonly name: string;
  readonly width: number;
  readonly height: number;
}

export const VIEWPORTS: readonly Viewport[] = [
  { name: 'phone', width: 375, height: 812 },
  { name: 'desktop', width: 1024, height: 900 },
];

/** A text whose contrast with its background is below WCAG AA. */
export interface LowContrast {
  readonly text: string;
  readonly color: string;
  readonly background: string;
  readonly ratio: number;
  readonly required: number;
}

/** What one mail's HTML looked like in Chromium at one width. */
export interface PageCheck {
  readonly file: string;
  readonly viewport: Viewport;
  readonly screenshot: string;
  /** Every `<img>`: its src and whether it loaded (naturalWidth > 0), and its alt text. */
  readonly images: readonly { src: string; alt: string; naturalWidth: number }[];
  readonly scrollWidth: number;
  /** How tall the mail is at this width, in CSS pixels: how far a reader scrolls. */
  readonly scrollHeight: number;
  /** Size of the HTML file in bytes: Gmail clips a message whose HTML is over about 102 KB. */
  readonly htmlBytes: number;
  /** Data tables (not layout tables) wider than the column they sit in: they would scroll or be cut off. */
  readonly wideTables: readonly string[];
  /**
   * The smallest chart text as displayed, in CSS pixels: each chart's smallest font scaled by how much the
   * image is shrunk; null when the mail has no chart.
   */
  readonly chartTextPx: number | null;
  /** The chart whose text is smallest as displayed. */
  readonly smallestChart: string | null;
  /** Elements whose right edge is beyond the viewport (should be none). */
  readonly overflowing: readonly string[];
  /** Each expected text and whether it is visible inside the viewport's width. */
  readonly texts: readonly { text: string; visible: boolean }[];
  readonly lowContrast: readonly LowContrast[];
  /** Requests for anything but local files: a mail must not load external resources. */
  readonly externalRequests: readonly string[];
}

/** Options of {@link checkMailPages}. */
export interface CheckMailPagesOptions {
  /** Folder the full-page screenshots are written to, as `<mail>-<viewport>.png`. */
  readonly screenshotDir: string;
  /** Texts that must be visible in a mail, e.g. its headline numbers. @default none */
  readonly expectTexts?: (file: string) => readonly string[];
  /** @default VIEWPORTS */
  readonly viewports?: readonly Viewport[];
  /** The smallest font size of a chart, in the chart's own CSS pixels. @default CHART_MIN_FONT_PX */
  readonly chartFontPx?: number;
  /** @default where {@link findChromium} finds it */
  readonly chromiumPath?: string;
}

/** Whether Chromium is installed where {@link checkMailPages} looks for it. */
export function chromiumAvailable(chromiumPath?: string): boolean {
  return chromiumPath === undefined ? findChromium().found : existsSync(chromiumPath);
}

/** The given binary, else the one {@link findChromium} finds; throws with its reason when there is none. */
function resolveChromium(chromiumPath: string | undefined): string {
  if (chromiumPath !== undefined) {
    if (!existsSync(chromiumPath)) {
      throw new RevsegError(
        `Chromium not found at ${chromiumPath}: install it (apt-get install chromium) or set ${CHROMIUM_ENV} to check mails in a browser`,
      );
    }
    return chromiumPath;
  }
  const lookup = findChromium();
  if (!lookup.found) throw new RevsegError(lookup.reason);
  return lookup.path;
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Opens each mail's HTML (as the outbox writes it, images next to it) in headless Chromium at each
 * viewport, takes a full-page screenshot and reports what a reader would notice: images that did not
 * load, horizontal overflow, expected texts that are not visible, text below WCAG AA contrast, and any
 * request for a non-local resource (all are blocked).
 * @throws RevsegError when Chromium is missing or cannot start.
 */
export async function checkMailPages(
  htmlFiles: readonly string[],
  options: CheckMailPagesOptions,
): Promise<PageCheck[]> {
  const chromiumPath = resolveChromium(options.chromiumPath);
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(path.join(tmpdir(), 'revseg-chromium-'));
  await mkdir(options.screenshotDir, { recursive: true });
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
      offline: true,
    });
    // tsx/esbuild's keepNames wraps functions in __name(); the page script needs it defined there too.
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    const external: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      external.push(url);
      return route.abort();
    });
    const checks: PageCheck[] = [];
    for (const file of htmlFiles) {
      for (const viewport of options.viewports ?? VIEWPORTS) {
        external.length = 0;
        checks.push(await checkPage(context, file, viewport, options, external));
      }
    }
    return checks;
  } catch (error) {
    if (error instanceof RevsegError) throw error;
    throw new RevsegError(
      `Chromium at ${chromiumPath} could not check the mails: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    await context?.close();
    await rm(profile, { recursive: true, force: true });
  }
}

async function checkPage(
  context: BrowserContext,
  file: string,
  viewport: Viewport,
  options: CheckMailPagesOptions,
  external: readonly string[],
): Promise<PageCheck> {
  const page = await context.newPage();
  try {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
    const screenshot = path.join(
      options.screenshotDir,
      `${path.basename(file, path.extname(file))}-${viewport.name}.png`,
    );
    await page.screenshot({ path: screenshot, fullPage: true });
    const expected = options.expectTexts?.(file) ?? [];
    const result = await page.evaluate(inspectPage, {
      expected,
      width: viewport.width,
      chartFontPx: options.chartFontPx ?? CHART_MIN_FONT_PX,
    });
    const htmlBytes = statSync(file).size;
    return { file, viewport, screenshot, htmlBytes, ...result, externalRequests: [...external] };
  } finally {
    await page.close();
  }
}

/** Runs inside the page: self-contained, no imports. */
function inspectPage(input: { expected: readonly string[]; width: number; chartFontPx: number }) {
  type Rgba = [number, number, number, number];
  const parse = (css: string): Rgba => {
    const m = css.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0];
    return [m[0] ?? 0, m[1] ?? 0, m[2] ?? 0, m[3] ?? 1];
  };
  const luminance = ([r, g, b]: Rgba) => {
    const c = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
  };
  const backgroundOf = (element: Element | null): Rgba => {
    for (let e = element; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) return bg;
    }
    return [255, 255, 255, 1];
  };
  const visible = (e: Element) => {
    const r = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  const describe = (e: Element) =>
    `<${e.tagName.toLowerCase()}> ${(e.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60)}`;

  const lowContrast: LowContrast[] = [];
  const overflowing: string[] = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (!visible(e)) continue;
    const rect = e.getBoundingClientRect();
    // Content inside a horizontal scroll container may be wider than the page; the container may not.
    let scrolled = false;
    for (let p = e.parentElement; p && !scrolled; p = p.parentElement) {
      scrolled = getComputedStyle(p).overflowX === 'auto' || getComputedStyle(p).overflowX === 'scroll';
    }
    if (!scrolled && rect.right > input.width + 0.5) overflowing.push(describe(e));
    const ownText = [...e.childNodes].some(
      (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim(),
    );
    if (!ownText) continue;
    const style = getComputedStyle(e);
    const fg = parse(style.color);
    const bg = backgroundOf(e);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = Number.parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const required = large ? 3 : 4.5;
    if (ratio < required) {
      lowContrast.push({
        text: describe(e),
        color: style.color,
        background: `rgb(${bg[0]}, ${bg[1]}, ${bg[2]})`,
        ratio: Math.round(ratio * 100) / 100,
        required,
      });
    }
  }

  // A data table is any table not marked role="presentation"; it must fit the cell it sits in.
  const wideTables = [...document.querySelectorAll('table:not([role="presentation"])')]
    .filter((t) => visible(t))
    .filter((t) => {
      const parent = t.parentElement;
      if (!parent) return false;
      const style = getComputedStyle(parent);
      const inner =
        parent.getBoundingClientRect().width -
        Number.parseFloat(style.paddingLeft) -
        Number.parseFloat(style.paddingRight);
      return t.getBoundingClientRect().width > inner + 0.5;
    })
    .map(
      (t) =>
        `${describe(t.querySelector('caption') ?? t.querySelector('th') ?? t)} (${Math.round(t.getBoundingClientRect().width)}px)`,
    );
  const charts = [...document.images].filter((i) => Number(i.getAttribute('width')) > 0 && visible(i));
  const chartText = charts
    .map((i) => ({
      src: i.getAttribute('src') ?? '',
      px: (i.getBoundingClientRect().width / Number(i.getAttribute('width'))) * input.chartFontPx,
    }))
    .sort((x, y) => x.px - y.px)[0];

  const texts = input.expected.map((text) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || !(node.textContent ?? '').includes(text) || !visible(parent)) continue;
      const r = parent.getBoundingClientRect();
      if (r.left >= 0 && r.right <= input.width + 0.5) return { text, visible: true };
    }
    return { text, visible: false };
  });

  return {
    images: [...document.images].map((i) => ({
      src: i.getAttribute('src') ?? '',
      alt: i.alt,
      naturalWidth: i.naturalWidth,
    })),
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    wideTables,
    chartTextPx: chartText ? Math.round(chartText.px * 10) / 10 : null,
    smallestChart: chartText?.src ?? null,
    overflowing,
    texts,
    lowContrast,
  };
}

/** Gmail shows "[Message clipped]" past about 102 KB of HTML; a mail stays under 100 KB to be read whole. */
export const MAX_HTML_BYTES = 100 * 1024;

/** The smallest text a reader can be expected to read on a phone, in CSS pixels. */
export const MIN_TEXT_PX = 11;

/** Problems in page checks, one line each; empty when every mail looked right. */
export function pageCheckProblems(checks: readonly PageCheck[]): string[] {
  return checks.flatMap((c) => {
    const where = `${path.basename(c.file)} at ${c.viewport.name} width (${c.viewport.width}px)`;
    return [
      ...(c.htmlBytes > MAX_HTML_BYTES
        ? [
            `${where}: HTML is ${Math.round(c.htmlBytes / 1024)} KB, over Gmail's clipping limit (${MAX_HTML_BYTES / 1024} KB)`,
          ]
        : []),
      ...c.wideTables.map((t) => `${where}: table is wider than the mail and scrolls sideways: ${t}`),
      ...(c.chartTextPx !== null && c.chartTextPx < MIN_TEXT_PX
        ? [
            `${where}: chart text is ${c.chartTextPx}px as displayed in ${c.smallestChart}, below ${MIN_TEXT_PX}px`,
          ]
        : []),
      ...c.images.filter((i) => i.naturalWidth === 0).map((i) => `${where}: image ${i.src} did not load`),
      ...(c.scrollWidth > c.viewport.width
        ? [
            `${where}: page is ${c.scrollWidth}px wide and scrolls sideways (${c.overflowing.slice(0, 3).join('; ')})`,
          ]
        : []),
      ...c.texts.filter((t) => !t.visible).map((t) => `${where}: '${t.text}' is not visible`),
      ...c.lowContrast.map(
        (l) =>
          `${where}: contrast ${l.ratio}:1 < ${l.required}:1 for ${l.text} (${l.color} on ${l.background})`,
      ),
      ...c.externalRequests.map((url) => `${where}: requested an external resource ${url}`),
    ];
  });
}

/** What {@link screenshotOutbox} did: the mails it looked at and what it saw, or why it could not. */
export type OutboxScreenshots =
  | { readonly checked: true; readonly files: readonly string[]; readonly checks: readonly PageCheck[] }
  | { readonly checked: false; readonly reason: string };

/**
 * Screenshots a few mails of an outbox at phone and desktop widths into `screenshotDir`: every leadership
 * mail and the first owner mail (by file name), enough to see both layouts without slowing the demo by a
 * browser page per owner (a tall mail takes a second or two per width). Without Chromium it says how to
 * get it instead.
 */
export async function screenshotOutbox(
  outboxDir: string,
  screenshotDir: string,
  options: Pick<CheckMailPagesOptions, 'chromiumPath' | 'viewports'> = {},
): Promise<OutboxScreenshots> {
  const lookup: ChromiumLookup =
    options.chromiumPath === undefined
      ? findChromium()
      : existsSync(options.chromiumPath)
        ? { found: true, path: options.chromiumPath }
        : { found: false, reason: `Chromium not found at ${options.chromiumPath}` };
  if (!lookup.found) return { checked: false, reason: lookup.reason };
  const chromiumPath = lookup.path;
  const html = readdirSync(outboxDir)
    .filter((f) => f.endsWith('.html'))
    .sort();
  const firstOwner = html.find((f) => f.includes('-owner-'));
  const picked = [...html.filter((f) => f.endsWith('-leadership.html')), ...(firstOwner ? [firstOwner] : [])];
  const files = picked.map((f) => path.join(outboxDir, f));
  const checks = await checkMailPages(files, { ...options, chromiumPath, screenshotDir });
  return { checked: true, files, checks };
}
