import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import { parsePlaybook } from '../../lambdas/core/playbook/playbook-config.ts';
import type { Predictions } from '../../lambdas/core/predictions.ts';
import { createFormatter } from '../../lambdas/core/report/format.ts';
import { buildOwnerMails } from '../../lambdas/core/report/owner-mails.ts';
import {
  growthOpportunityThreshold,
  ownerTodoBlocks,
  ownerTodoFor,
  type TodoPrediction,
} from '../../lambdas/core/report/owner-todo-section.ts';
import { renderText } from '../../lambdas/core/report/render-text.ts';
import type { ReportContext } from '../../lambdas/core/report/report-context.ts';
import type { ClassifiedAccount } from '../../lambdas/core/types.ts';
import { analysisFor, accounts as fixtureAccounts, quarantine } from '../fixtures/snapshot-analysis.ts';

const config = parseRunConfig({});
const playbook = parsePlaybook({}, config.segments);
const october = parsePeriod('2026-10', 'monthly');
const fmt = createFormatter('en-US', 'USD');
const base = fixtureAccounts[0] as ClassifiedAccount;

const MEDIUM_SERVICES = 'Guided implementation, Business-hours technical support, ROI reviews';
const HIGH_PITCH = 'Personalized and consultative: Long-term growth strategies, Custom solutions';
const LOW_PITCH = 'Direct and simplified: Clear benefits, Fast implementation';

function account(
  accountId: string,
  segment: string,
  revenueT12m: number,
  over: Partial<ClassifiedAccount> = {},
): ClassifiedAccount {
  return {
    ...base,
    accountId,
    accountName: `${accountId} Ltd`,
    ownerEmail: 'olga@example.com',
    ownerName: 'Olga',
    segment,
    previousSegment: segment,
    revenueT12m,
    createdOn: null,
    firstInvoiceOn: null,
    ...over,
  };
}

function prediction(over: Partial<TodoPrediction>): TodoPrediction {
  return {
    churnRisk: 'none',
    churnReason: '',
    revenueAtRisk: 0,
    growthScore: null,
    growthReasons: [],
    hiddenGem: false,
    ...over,
  };
}

const book = [
  // Monthly cadence from the anniversary of 2020-10-15: due 2026-10-15.
  account('H1', 'High', 300_000, { createdOn: '2020-10-15' }),
  account('M1', 'Medium', 60_000, { previousSegment: 'High' }),
  // Annual cadence from 2019-10-03: due 2026-10-03.
  account('L1', 'Low', 3_000, { createdOn: '2019-10-03' }),
  account('M2', 'Medium', 20_000),
  account('M3', 'Medium', 15_000),
  account('L2', 'Low', 2_000),
  // No revenue: a high score here is headroom alone, not an account to grow.
  account('I1', 'Inactive', 0),
];

const predictions = new Map<string, TodoPrediction>([
  // At stake is what the model puts at risk; H1's is below M1's though its T12M is higher.
  ['H1', prediction({ churnRisk: 'medium', churnReason: 'revenue down 40%', revenueAtRisk: 20_000 })],
  ['M1', prediction({ churnRisk: 'high', churnReason: 'no invoice for 210 days', revenueAtRisk: 60_000 })],
  [
    'L1',
    prediction({
      churnRisk: 'low',
      churnReason: 'slower',
      growthScore: 40,
      growthReasons: ['headroom'],
      hiddenGem: true,
    }),
  ],
  ['M2', prediction({ growthScore: 75, growthReasons: ['up 30% YoY', 'wallet 10x revenue'] })],
  ['M3', prediction({ growthScore: 60, growthReasons: ['some headroom'] })],
  ['L2', prediction({ growthScore: null })],
  ['I1', prediction({ growthScore: 95, growthReasons: ['no revenue yet'] })],
]);

const todoOf = (accounts: readonly ClassifiedAccount[], withPredictions = true) =>
  ownerTodoFor({
    ownerEmail: 'olga@example.com',
    accounts,
    playbook,
    period: october,
    segments: config.segments,
    predictions: withPredictions ? predictions : undefined,
    growthThreshold: 70,
  });

const text = (blocks: ReturnType<typeof ownerTodoBlocks>) =>
  renderText({ title: 't', preheader: '', blocks, footer: [] }, Number.POSITIVE_INFINITY);

describe('ownerTodoFor', () => {
  const { todo, atStake, predicted } = todoOf(book);

  it('lists reviews due by the segment cadence', () => {
    expect(todo.reviewsDue.items.map((i) => [i.accountId, i.review?.dueOn])).toEqual([
      ['H1', '2026-10-15'],
      ['L1', '2026-10-03'],
    ]);
  });

  it('puts high and medium churn risks on the list, ordered by revenue at stake', () => {
    expect(predicted).toBe(true);
    expect(todo.atRisk.items.map((i) => [i.accountId, i.reason])).toEqual([
      ['M1', 'high churn risk: no invoice for 210 days'],
      ['H1', 'medium churn risk: revenue down 40%'],
    ]);
    expect(atStake.get('M1')).toBe(60_000);
    expect(atStake.get('H1')).toBe(20_000);
  });

  it('takes hidden gems and accounts with revenue at or above the score cut as growth opportunities', () => {
    expect(todo.growthOpportunities.items.map((i) => [i.accountId, i.reason])).toEqual([
      ['M2', 'growth potential 75/100: up 30% YoY; wallet 10x revenue'],
      ['L1', 'hidden gem, growth potential 40/100: headroom'],
    ]);
  });

  it('lists accounts that moved segment', () => {
    expect(todo.movedSegment.items.map((i) => [i.accountId, i.reason])).toEqual([
      ['M1', 'moved from High to Medium'],
    ]);
  });

  it('has no risk or growth items without the models, and says so', () => {
    const without = todoOf(book, false);
    expect(without.predicted).toBe(false);
    expect(without.todo.atRisk.items).toEqual([]);
    expect(without.todo.growthOpportunities.items).toEqual([]);
    const out = text(ownerTodoBlocks(without, fmt));
    expect(out).toContain('At-risk accounts: churn risk was not assessed in this run.');
    expect(out).toContain('Growth opportunities: growth potential was not scored in this run.');
  });
});

describe('growthOpportunityThreshold', () => {
  const scored = (scores: (number | null)[]) =>
    new Map(scores.map((s, i) => [`A${i}`, prediction({ growthScore: s })]));

  it.each([
    // The 90th percentile with linear interpolation, as for hidden gems: sorted 40, 60, 75 at
    // position (3 - 1) x 0.9 = 1.8, so 60 + 0.8 x 15 = 72; only 75 is at or above it.
    [[40, null, 75, 60], 72],
    // Ten scores 10..100 at position 9 x 0.9 = 8.1: 90 + 0.1 x 10 = 91; only 100 is above it.
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 91],
    [[null], null],
  ])('cuts %j at %s', (scores, expected) => {
    expect(growthOpportunityThreshold(scored(scores), 0.1)).toBe(expected);
  });
});

describe('ownerTodoBlocks', () => {
  const out = text(ownerTodoBlocks(todoOf(book), fmt));
  const lines = out.split('\n');

  it('gives every item a next action from the playbook of its segment', () => {
    const m1 = lines.filter((l) => l.startsWith('* M1 Ltd (M1)'));
    expect(m1).toHaveLength(2);
    expect(out).toContain(
      `Next action: Retention call this week; offer ${MEDIUM_SERVICES.split(', ')[0]?.toLowerCase()}`,
    );
    expect(out).toContain(`Next action: Hold the review (${HIGH_PITCH.split(':')[0]?.toLowerCase()})`);
    expect(out).toContain(`Next action: Hold the review (${LOW_PITCH.split(':')[0]?.toLowerCase()})`);
    expect(out).toContain('Next action: Propose guided implementation');
  });

  it('shows the revenue at stake of at-risk accounts and counts each section', () => {
    expect(out).toContain('Reviews due (2)');
    expect(out).toContain('At-risk accounts (2)');
    expect(out).toContain('Growth opportunities (2)');
    expect(out).toContain('Accounts that moved segment (1)');
    const atRisk = out.slice(out.indexOf('At-risk accounts'), out.indexOf('Growth opportunities'));
    expect(atRisk).toContain('Revenue at stake');
    expect(atRisk).toMatch(/M1 Ltd \(M1\)\s+Segment: Medium\s+Revenue at stake: \$60,000/);
    expect(atRisk).toMatch(/H1 Ltd \(H1\)\s+Segment: High\s+Revenue at stake: \$20,000/);
    // Risks come first: what the owner must act on.
    expect(out.indexOf('At-risk accounts')).toBeLessThan(out.indexOf('Reviews due'));
  });

  it('names every at-risk account and review due however many low-value accounts an owner has; caps only healthy lists', () => {
    // 30 Low accounts at risk and due their annual review, each moved down from Medium.
    const many = Array.from({ length: 30 }, (_, i) =>
      account(`L${100 + i}`, 'Low', 1_000 + i * 100, {
        previousSegment: 'Medium',
        createdOn: `2020-10-${String((i % 28) + 1).padStart(2, '0')}`,
      }),
    );
    const risky = new Map(predictions);
    for (const a of many) {
      risky.set(
        a.accountId,
        prediction({
          churnRisk: 'high',
          churnReason: 'no invoice for 200 days',
          revenueAtRisk: a.revenueT12m,
        }),
      );
    }
    const view = ownerTodoFor({
      ownerEmail: 'olga@example.com',
      accounts: many,
      playbook,
      period: october,
      segments: config.segments,
      predictions: risky,
    });
    expect(view.todo.lowValueGrouped).toBe(false);
    expect(view.todo.atRisk.items).toHaveLength(30);
    const rendered = text(ownerTodoBlocks(view, fmt, 5));
    for (const a of many) expect(rendered).toContain(`${a.accountId} Ltd (${a.accountId})`);
    // Ranked by revenue at stake: the largest first.
    expect(rendered.indexOf('L129 Ltd')).toBeLessThan(rendered.indexOf('L100 Ltd'));
    // The moved-segment list is healthy news and is capped at 5 with a row for the rest.
    const moved = rendered.slice(rendered.indexOf('Accounts that moved segment'));
    expect(moved).toContain('and 25 more accounts');
  });

  it('groups low-value accounts when asked to, but keeps growth items listed', () => {
    // 12 Low accounts, each moved down from Medium and due its annual review (anniversary 2020-10-01 + n).
    const many = Array.from({ length: 12 }, (_, i) =>
      account(`L${100 + i}`, 'Low', 1_000 + i * 100, {
        previousSegment: 'Medium',
        createdOn: `2020-10-${String(i + 1).padStart(2, '0')}`,
      }),
    );
    const gem = new Map(predictions);
    gem.set('L105', prediction({ growthScore: 90, growthReasons: ['headroom'], hiddenGem: true }));
    const view = ownerTodoFor({
      ownerEmail: 'olga@example.com',
      accounts: [account('H1', 'High', 300_000, { createdOn: '2020-10-15' }), ...many],
      playbook,
      period: october,
      segments: config.segments,
      predictions: gem,
      maxListedLowValue: 10,
    });
    // Sum of 1,000 + 1,100 + ... + 2,100 = 12 x 1,550.
    expect(view.todo.lowValueGrouped).toBe(true);
    expect(view.todo.reviewsDue.items.map((i) => i.accountId)).toEqual(['H1']);
    expect(view.todo.reviewsDue.groups).toMatchObject([
      { segment: 'Low', accounts: 12, revenueT12m: 18_600 },
    ]);
    expect(view.todo.movedSegment.groups).toMatchObject([
      { segment: 'Low', accounts: 12, revenueT12m: 18_600 },
    ]);
    expect(view.todo.growthOpportunities.items.map((i) => i.accountId)).toEqual(['L105']);
    const rendered = text(ownerTodoBlocks(view, fmt));
    expect(rendered).toContain('* 12 Low accounts (grouped)\n    Segment: Low\n    T12M revenue: $18,600');
    expect(rendered).not.toMatch(/L101 Ltd/);
    expect(rendered).toContain('L105 Ltd (L105)');
    expect(rendered).toContain('You own many low-value accounts');
  });
});

describe('owner mails open with the to-do list', () => {
  const analysis = analysisFor('2026-10');
  const accountsMap = new Map([
    [
      'A-1',
      {
        accountId: 'A-1',
        probabilityAlive: 0.2,
        expectedTransactions: 1,
        expectedSpend: 1000,
        clv: 1000,
        churnRisk: 'high' as const,
        churnReason: 'no invoice for 300 days, normally every 30',
        revenueAtRisk: 150_000,
        growthScore: 20,
        growthReasons: [],
        hiddenGem: false,
      },
    ],
  ]);
  const ctx = {
    config,
    analysis,
    quarantine,
    generatedAt: new Date('2026-11-02T06:00:00Z'),
    snapshotLocation: '/tmp/store',
    // Only the per-account map matters to the to-do list.
    predictions: { accounts: accountsMap } as unknown as Predictions,
  } satisfies ReportContext;
  const mails = buildOwnerMails(ctx);

  it('puts the to-do list before what changed, with only the owner’s accounts', () => {
    const jane = mails.find((m) => m.to[0] === 'jane@example.com');
    const jose = mails.find((m) => m.to[0] === 'jose@example.com');
    for (const mail of [jane, jose]) {
      const t = mail?.text ?? '';
      expect(t.indexOf('Your to-do list')).toBeGreaterThan(0);
      expect(t.indexOf('Your to-do list')).toBeLessThan(t.indexOf('What changed'));
    }
    const janeTodo = jane?.text.slice(jane.text.indexOf('At-risk accounts'), jane.text.indexOf('Growth opp'));
    // The why names the money: this year's T12M against the year before.
    expect(janeTodo?.replace(/\s+/g, ' ')).toContain(
      '* Acme GmbH (A-1) Segment: High Revenue at stake: $150,000 Why: high churn risk: no invoice for 300 days, normally every 30; T12M $150,000 vs',
    );
    expect(jose?.text).not.toContain('A-1');
    expect(jose?.text).not.toContain('A-3');
    expect(jose?.html).toContain('Your to-do list');
  });

  it('still builds with custom brackets and no playbook, saying the segment has none', () => {
    const custom = parseRunConfig({
      segments: { brackets: [{ name: 'Key', min: 0, minInclusive: false }] },
    });
    const out = buildOwnerMails({ ...ctx, config: custom });
    const jane = out.find((m) => m.to[0] === 'jane@example.com')?.text ?? '';
    // Without a playbook entry the next action is the generic one.
    expect(jane).toContain('Next action: Retention call this week\n');
    expect(jane).toContain('Reviews due: no reviews due this period.');
  });
});
