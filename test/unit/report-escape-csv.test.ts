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
    ).toBe('\uFEFFname,note\r\n"a,b","say ""hi"""\r\n"line\nbreak",plain\r\n');
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
    expect(toCsv(['v'], [[cell]])).toBe(`\uFEFFv\r\n${expected}\r\n`);
  });

  it('prefixes a leading carriage return and quotes the cell', () => {
    expect(toCsv(['v'], [['\rcmd']])).toBe(`\uFEFFv\r\n"'\rcmd"\r\n`);
  });

  it('keeps negative numbers numeric and writes null as an empty cell', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [[-12.5, null, 0, Number.NaN]])).toBe(
      '\uFEFFa,b,c,d\r\n-12.5,,0,\r\n',
    );
  });

  it('starts with a UTF-8 byte order mark so Excel reads accents, and rounds floats to four decimals', () => {
    const csv = toCsv(['name', 'share', 'tiny'], [['Schäfer Núñez', 0.4313604545884585, -0.00001]]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toBe('\uFEFFname,share,tiny\r\nSchäfer Núñez,0.4314,0\r\n');
  });

  it('refuses a row whose width differs from the header', () => {
    expect(() => toCsv(['a', 'b'], [['x']])).toThrow('csv row 1 has 1 cells but the header has 2');
  });
});
