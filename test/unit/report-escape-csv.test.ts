import { describe, expect, it } from 'vitest';
import { toCsv } from '../../lambdas/core/report/csv.ts';
import { escapeHtml } from '../../lambdas/core/report/escape-html.ts';

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ["O'Brien & Sons", 'O&#39;Brien &amp; Sons'],
    ['"quoted"', '&quot;quoted&quot;'],
    ['&amp;', '&amp;amp;'],
    ['plain text — ünïcode', 'plain text — ünïcode'],
  ])('escapes %s', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('toCsv', () => {
  it('writes RFC 4180: CRLF line ends, quotes around commas, quotes and line breaks', () => {
    expect(
      toCsv(
        ['name', 'note'],
        [
          ['a,b', 'say "hi"'],
          ['line\nbreak', 'plain'],
        ],
      ),
    ).toBe('name,note\r\n"a,b","say ""hi"""\r\n"line\nbreak",plain\r\n');
  });

  it.each([
    ['=1+2', "'=1+2"],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['safe=text', 'safe=text'],
  ])('guards the text cell %j against formula injection', (cell, expected) => {
    expect(toCsv(['v'], [[cell]])).toBe(`v\r\n${expected}\r\n`);
  });

  it('prefixes a leading carriage return and quotes the cell', () => {
    expect(toCsv(['v'], [['\rcmd']])).toBe(`v\r\n"'\rcmd"\r\n`);
  });

  it('keeps negative numbers numeric and writes null as an empty cell', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [[-12.5, null, 0, Number.NaN]])).toBe('a,b,c,d\r\n-12.5,,0,\r\n');
  });

  it('refuses a row whose width differs from the header', () => {
    expect(() => toCsv(['a', 'b'], [['x']])).toThrow('csv row 1 has 1 cells but the header has 2');
  });
});
