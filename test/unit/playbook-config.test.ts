import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { ConfigError } from '../../lambdas/core/errors.ts';
import { parsePlaybook } from '../../lambdas/core/playbook/playbook-config.ts';
import { parseTeamCapacity } from '../../lambdas/core/playbook/team-capacity.ts';

const segments = parseRunConfig({}).segments;

function problemsOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parsePlaybook', () => {
  it('defaults to the seed playbook: 60/30/10, monthly/quarterly/annual, in bracket order', () => {
    const playbook = parsePlaybook(undefined, segments);
    expect(Object.keys(playbook)).toEqual(['High', 'Medium', 'Low']);
    expect(Object.values(playbook).map((e) => e.salesTimeShare)).toEqual([60, 30, 10]);
    expect(Object.values(playbook).map((e) => e.reviewCadence)).toEqual(['monthly', 'quarterly', 'annual']);
    expect(playbook.High).toMatchObject({
      pitchApproach: 'Personalized and consultative',
      keyElements: ['Long-term growth strategies', 'Custom solutions'],
      services: [
        'Custom implementation',
        'Priority technical support',
        'Quarterly business reviews',
        'Strategic planning sessions',
      ],
      marketing: 'Premium campaigns',
      supportLevel: '24/7 dedicated support',
    });
    expect(playbook.Medium?.pitchApproach).toBe('Solution-focused and ROI-driven');
    expect(playbook.Low?.supportLevel).toBe('Self-service portal');
  });

  it('lets a partial entry override only the fields it names', () => {
    const playbook = parsePlaybook(
      { High: { salesTimeShare: 50 }, Medium: { salesTimeShare: 40, reviewCadence: 'monthly' } },
      segments,
    );
    expect(playbook.High?.salesTimeShare).toBe(50);
    expect(playbook.High?.pitchApproach).toBe('Personalized and consultative');
    expect(playbook.Medium?.reviewCadence).toBe('monthly');
  });

  it('gives renamed brackets the defaults by rank', () => {
    const renamed = parseRunConfig({
      segments: {
        brackets: [
          { name: 'Enterprise', min: 100_000, minInclusive: false },
          { name: 'Mid', min: 10_000 },
          { name: 'SMB', min: 0, minInclusive: false },
        ],
        inactiveName: 'Dormant',
      },
    }).segments;
    const playbook = parsePlaybook(undefined, renamed);
    expect(Object.keys(playbook)).toEqual(['Enterprise', 'Mid', 'SMB']);
    expect(playbook.SMB?.pitchApproach).toBe('Direct and simplified');
  });

  it('accepts an entry for the inactive segment, with no sales time', () => {
    const inactive = {
      pitchApproach: 'Win-back',
      keyElements: ['What changed since the last order'],
      services: [],
      marketing: 'Automated win-back campaigns',
      supportLevel: 'Self-service portal',
      reviewCadence: 'annual',
    };
    const playbook = parsePlaybook({ Inactive: inactive }, segments);
    expect(Object.keys(playbook)).toEqual(['High', 'Medium', 'Low', 'Inactive']);
    expect(playbook.Inactive?.salesTimeShare).toBe(0);
    expect(
      problemsOf(() => parsePlaybook({ Inactive: { ...inactive, salesTimeShare: 5 } }, segments)),
    ).toContain(
      'playbook.Inactive.salesTimeShare: the inactive segment takes no sales time (shares are split over High, Medium, Low); set 0 or leave it out',
    );
  });

  it.each([
    [
      { High: { salesTimeShare: 70 } },
      'playbook: salesTimeShare must sum to 100 over High, Medium, Low; got 110 (High 70, Medium 30, Low 10)',
    ],
    [{ Hgh: {} }, "playbook.Hgh: 'Hgh' is not a configured segment; use one of High, Medium, Low, Inactive"],
    [{ Low: { reviewCadence: 'weekly' } }, 'playbook.Low.reviewCadence: use monthly, quarterly or annual'],
    [{ Low: { salesTimeShare: -10 } }, 'playbook.Low.salesTimeShare: must be 0 or more'],
    [{ Low: { salesTimeShare: '10%' } }, 'playbook.Low.salesTimeShare: must be a number of percent, e.g. 60'],
    [{ High: { keyElements: [] } }, 'playbook.High.keyElements: list at least one key element'],
    [{ Medium: { pitchApproach: '  ' } }, 'playbook.Medium.pitchApproach: must not be empty'],
    [{ High: { salesTimeshare: 60 } }, 'playbook.High: Unrecognized key: "salesTimeshare"; the fields are'],
    [{ Low: 'direct' }, "playbook.Low: expected an object with the segment's playbook"],
  ])('rejects %j: %s', (input, message) => {
    expect(problemsOf(() => parsePlaybook(input, segments))).toContain(message);
  });

  it('reports every problem at once', () => {
    const message = problemsOf(() =>
      parsePlaybook({ Hgh: {}, Low: { reviewCadence: 'weekly', salesTimeShare: -1 } }, segments),
    );
    expect(message.split('\n')).toHaveLength(4);
    expect(message).toMatch(/^playbook is invalid:\n {2}- playbook\.Hgh/);
  });

  it('needs a full entry for a bracket below the top three', () => {
    const four = parseRunConfig({
      segments: {
        brackets: [
          { name: 'High', min: 100_000, minInclusive: false },
          { name: 'Medium', min: 10_000 },
          { name: 'Low', min: 1000 },
          { name: 'Micro', min: 0, minInclusive: false },
        ],
      },
    }).segments;
    expect(problemsOf(() => parsePlaybook(undefined, four))).toContain(
      "playbook.Micro: no playbook for segment 'Micro'; defaults exist only for the top three brackets",
    );
  });

  it('rejects a playbook that is not an object', () => {
    expect(problemsOf(() => parsePlaybook(['High'], segments))).toBe(
      'playbook is invalid: expected an object keyed by segment name, got object',
    );
  });
});

describe('parseTeamCapacity', () => {
  it('defaults to no listed owners and 120 hours per owner', () => {
    expect(parseTeamCapacity(undefined)).toEqual({ owners: [], defaultHoursPerOwner: 120 });
  });

  it('lower-cases owner emails', () => {
    const capacity = parseTeamCapacity({ owners: [{ email: 'Ann@Example.com', hoursPerMonth: 80 }] });
    expect(capacity.owners).toEqual([{ email: 'ann@example.com', hoursPerMonth: 80 }]);
  });

  it.each([
    [{ owners: [{ email: 'nope', hoursPerMonth: 80 }] }, 'capacity.owners.0.email: must be an email address'],
    [
      { owners: [{ email: 'a@x.com', hoursPerMonth: 0 }] },
      'capacity.owners.0.hoursPerMonth: must be more than 0',
    ],
    [{ defaultHoursPerOwner: 1000 }, 'capacity.defaultHoursPerOwner: must be at most 744 (hours in a month)'],
    [{ defaultHoursPerOwner: '120' }, 'capacity.defaultHoursPerOwner: must be a number of hours per month'],
    [
      {
        owners: [
          { email: 'a@x.com', hoursPerMonth: 80 },
          { email: 'A@x.com', hoursPerMonth: 60 },
        ],
      },
      "capacity.owners.1.email: 'a@x.com' is listed twice (also owners.0); keep one entry per owner",
    ],
    [{ hours: 5 }, 'capacity: Unrecognized key: "hours"'],
  ])('rejects %j: %s', (input, message) => {
    expect(problemsOf(() => parseTeamCapacity(input))).toContain(message);
  });
});
