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
