import { describe, expect, it } from 'vitest';
import { DEFAULT_BRACKETS, parseRunConfig, segmentOrder } from '../../lambdas/core/config.ts';

describe('parseRunConfig', () => {
  it('fills every default from an empty object', () => {
    const config = parseRunConfig({});
    expect(config.segments.brackets).toEqual(DEFAULT_BRACKETS);
    expect(config.currency).toBe('USD');
    expect(segmentOrder(config.segments)).toEqual(['High', 'Medium', 'Low', 'Inactive']);
  });

  it('rejects unordered or overlapping brackets with a message that says what to do', () => {
    expect(() =>
      parseRunConfig({
        segments: {
          brackets: [
            { name: 'Low', min: 0, minInclusive: false },
            { name: 'High', min: 100 },
          ],
        },
      }),
    ).toThrow(
      /segments\.brackets\.1\.min: brackets overlap or are out of order: 'High' starts at 100, not below 'Low' at 0/,
    );
    expect(() =>
      parseRunConfig({
        segments: {
          brackets: [
            { name: 'A', min: 100 },
            { name: 'B', min: 100 },
          ],
        },
      }),
    ).toThrow(/overlap or are out of order/);
  });

  it('reports every problem at once', () => {
    try {
      parseRunConfig(
        { currency: 'usd', segments: { brackets: [{ name: 'Low', min: 0 }] }, mail: { leadership: [] } },
        'revseg.config.json',
      );
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/^revseg.config.json is invalid:/);
      expect(message).toContain('currency: use an ISO 4217 code');
      expect(message).toContain("'Low' cannot include 0");
      expect(message).toContain('mail.leadership');
    }
  });

  it('rejects duplicate names, including the inactive name', () => {
    expect(() => parseRunConfig({ segments: { brackets: [{ name: 'Inactive', min: 5 }] } })).toThrow(
      /used twice/,
    );
  });
});

describe('model, clustering, playbook and capacity config', () => {
  it('has defaults for every section', () => {
    const config = parseRunConfig({});
    expect(config.models.fitUnit).toBe('weeks');
    expect(config.models.clv.horizonMonths).toBe(12);
    expect(config.clustering.kMin).toBe(3);
    expect(config.capacity.defaultHoursPerOwner).toBe(120);
  });

  it('checks the playbook against the configured segment names', () => {
    expect(() =>
      parseRunConfig({ playbook: { Gold: { salesTimeShare: 50 } } }, 'revseg.config.json'),
    ).toThrow(/revseg.config.json: playbook/);
  });
});

describe('strict config: a misspelt setting is an error, not a silent default', () => {
  it.each([
    [
      { mail: { allowed_domains: ['yourcompany.com'] } },
      "mail.allowed_domains: unknown setting 'allowed_domains'; did you mean 'allowedDomains'?",
    ],
    [{ segmnts: {} }, "segmnts: unknown setting 'segmnts'; did you mean 'segments'?"],
    [
      { segments: { brackets: [{ name: 'A', min: 5, mni: 3 }] } },
      "segments.brackets.0.mni: unknown setting 'mni'; did you mean 'min'?",
    ],
    [
      { models: { clv: { horizonMonth: 6 } } },
      "models.clv.horizonMonth: unknown setting 'horizonMonth'; did you mean 'horizonMonths'?",
    ],
    [{ colour: 'blue' }, "colour: unknown setting 'colour'; remove it"],
  ])('%j', (input, message) => {
    expect(() => parseRunConfig(input, 'revseg.config.json')).toThrow(message);
  });

  it('lists unknown keys beside the other problems', () => {
    expect(() => parseRunConfig({ currency: 'usd', mail: { allowed_domains: [] } })).toThrow(
      /allowed_domains[\s\S]*currency: use an ISO 4217 code/,
    );
  });
});

describe('mail recipients stay inside the company', () => {
  const mail = (m: Record<string, unknown>) => ({
    mail: { from: 'revseg@yourcompany.com', leadership: ['cro@yourcompany.com'], ...m },
  });

  it('without allowedDomains, mail is limited to the domain of mail.from, and says so', () => {
    const config = parseRunConfig({});
    expect(config.mail.allowedDomains).toEqual(['example.com']);
    expect(config.mail.allowedDomainsFrom).toBe('mail.from');
    const own = parseRunConfig(mail({}));
    expect(own.mail.allowedDomains).toEqual(['yourcompany.com']);
    expect(parseRunConfig(mail({ allowedDomains: ['YourCompany.com '] })).mail).toMatchObject({
      allowedDomains: ['yourcompany.com'],
      allowedDomainsFrom: 'config',
    });
  });

  it.each([
    [
      { allowedDomains: ['@yourcompany.com'] },
      "mail.allowedDomains.0: '@yourcompany.com' is not a domain: write it without '@'",
    ],
    [{ allowedDomains: ['yourcompany'] }, "'yourcompany' is not a domain name"],
    [{ allowedDomains: ['*.yourcompany.com'] }, "'*.yourcompany.com' is not a domain name"],
    [{ allowedDomains: [] }, 'mail.allowedDomains'],
    [
      { from: 'reports@evil.com', allowedDomains: ['yourcompany.com'] },
      "mail.from: 'reports@evil.com' is outside mail.allowedDomains (yourcompany.com)",
    ],
    [
      { leadership: ['g@yourcompany.com.evil.com'] },
      "mail.leadership.0: 'g@yourcompany.com.evil.com' is outside the domain of mail.from (yourcompany.com)",
    ],
    [
      { leadership: ['cro@yourcompany.com', 'ceo@other.com'], allowedDomains: ['yourcompany.com'] },
      'mail.leadership.1',
    ],
  ])('refuses %j', (m, message) => {
    expect(() => parseRunConfig(mail(m), 'revseg.config.json')).toThrow(message);
  });
});
