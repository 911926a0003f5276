import { describe, expect, it } from 'vitest';
import { recipientPolicy } from '../../lambdas/core/report/recipient-policy.ts';
import type { OutgoingMail } from '../../lambdas/ports/mailer.ts';

function mail(id: string, to: string[]): OutgoingMail {
  return { id, from: 'reports@corp.example', to, subject: 's', html: '<p>h</p>', text: 't', attachments: [] };
}

describe('recipientPolicy', () => {
  it('lets everything through when allowedDomains is empty', () => {
    const mails = [mail('m1', ['a@corp.example']), mail('m2', ['b@other.example'])];
    const result = recipientPolicy(mails, { allowedDomains: [] });
    expect(result.deliverable).toEqual(mails);
    expect(result.refused).toEqual([]);
  });

  it('removes and reports recipients outside the allowed domains', () => {
    const result = recipientPolicy([mail('m1', ['a@corp.example', 'b@other.example', 'C@Corp.Example'])], {
      allowedDomains: ['corp.example'],
    });
    expect(result.deliverable.map((m) => [m.id, m.to])).toEqual([
      ['m1', ['a@corp.example', 'C@Corp.Example']],
    ]);
    expect(result.refused).toEqual([
      {
        mailId: 'm1',
        recipient: 'b@other.example',
        reason:
          "domain 'other.example' is not in mail.allowedDomains (corp.example); add it there to mail this address",
      },
    ]);
  });

  it('does not send a mail left without recipients', () => {
    const result = recipientPolicy([mail('m1', ['x@evil.example']), mail('m2', ['ok@corp.example'])], {
      allowedDomains: ['corp.example'],
    });
    expect(result.deliverable.map((m) => m.id)).toEqual(['m2']);
    expect(result.refused.map((r) => [r.mailId, r.recipient])).toEqual([['m1', 'x@evil.example']]);
  });

  it('does not accept a subdomain or a look-alike of an allowed domain', () => {
    const result = recipientPolicy([mail('m1', ['a@sub.corp.example', 'b@corp.example.evil'])], {
      allowedDomains: ['corp.example'],
    });
    expect(result.deliverable).toEqual([]);
    expect(result.refused).toHaveLength(2);
  });

  it('refuses addresses that are not valid and keeps repeated ones once', () => {
    const result = recipientPolicy([mail('m1', ['a@corp.example', 'A@corp.example', 'not-an-email'])], {
      allowedDomains: [],
    });
    expect(result.deliverable[0]?.to).toEqual(['a@corp.example']);
    expect(result.refused).toEqual([
      { mailId: 'm1', recipient: 'not-an-email', reason: 'not a valid email address' },
    ]);
  });
});
