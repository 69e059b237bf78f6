import { randomUUID } from 'node:crypto';
import { ContractViolation, createEnvelope, parseEnvelope, routingKeyOf } from './envelope.js';
import { EVENT_SCHEMAS } from './event-map.js';

const overdue = () => ({
  entitlementId: randomUUID(),
  studentKey: 'a'.repeat(64),
  countyCode: '150821',
  schoolCode: 'S001',
  policyCode: 'COMPULSORY_BOARDER_LIVING',
  term: '2020-autumn',
  amountDue: '625.00',
  amountPaid: '0',
  dueDate: '2020-10-31',
});

describe('event envelope', () => {
  it('builds an envelope whose routing key is type.vN and which parses back', () => {
    const env = createEnvelope('aid.entitlement.overdue.v1', overdue(), {
      producer: 'student-aid',
      subject: 'ent-1',
      county: '150821',
    });
    expect(env.type).toBe('aid.entitlement.overdue');
    expect(env.version).toBe(1);
    expect(routingKeyOf(env)).toBe('aid.entitlement.overdue.v1');
    expect(env.correlationId).toBe(env.id);
    expect(parseEnvelope(JSON.parse(JSON.stringify(env)))).toEqual(env);
  });

  it('names the bad field when a payload breaks its contract', () => {
    const data = { ...overdue(), amountDue: '-3', term: '2020-winter' };
    expect(() =>
      createEnvelope('aid.entitlement.overdue.v1', data, { producer: 'x', subject: 's', county: '150821' }),
    ).toThrow(/amountDue.*term|term.*amountDue/);
  });

  it('refuses a payload carrying a resident ID number anywhere', () => {
    const data = { ...overdue(), schoolCode: 'x 11010519491231002X' };
    expect(() =>
      createEnvelope('aid.entitlement.overdue.v1', data, { producer: 'x', subject: 's', county: '150821' }),
    ).toThrow(ContractViolation);
  });

  it('rejects unknown versions and malformed envelopes', () => {
    const env = createEnvelope('aid.entitlement.overdue.v1', overdue(), {
      producer: 'x',
      subject: 's',
      county: '150821',
    });
    expect(() => parseEnvelope({ ...env, version: 9 })).toThrow(/unknown event aid.entitlement.overdue.v9/);
    expect(() => parseEnvelope({ ...env, id: 'nope' })).toThrow(/envelope.id/);
    expect(() => parseEnvelope('x')).toThrow(ContractViolation);
  });

  it('validates nested recipients of notification requests', () => {
    const data = {
      requestId: randomUUID(),
      kind: 'interview_notice',
      escalationId: randomUUID(),
      countyCode: '150821',
      recipient: { officialId: 'o1', name: '张三', title: '局长', email: 'not-an-email' },
      channels: ['sms', 'email'],
      params: { countyName: '五原县' },
    };
    expect(() =>
      createEnvelope('notification.requested.v1', data as never, {
        producer: 'x',
        subject: 's',
        county: '150821',
      }),
    ).toThrow(/recipient.email/);
  });

  it('accepts the minutes and the follow-up reminder as notice kinds, and still the v1 kinds', () => {
    const base = {
      escalationId: randomUUID(),
      countyCode: '150821',
      recipient: { officialId: 'o1', name: '张三', title: '局长', phone: '13900000001' },
      channels: ['sms'],
      params: { countyName: '五原县', followUpDueOn: '2020年11月20日' },
    };
    const meta = { producer: 'x', subject: 's', county: '150821' };
    for (const kind of [
      'supervision_notice',
      'interview_notice',
      'accountability_recommendation',
      'interview_minutes',
      'follow_up_reminder',
    ] as const) {
      const env = createEnvelope(
        'notification.requested.v1',
        { ...base, requestId: randomUUID(), kind, channels: ['sms'] },
        meta,
      );
      expect(parseEnvelope(JSON.parse(JSON.stringify(env))).data).toMatchObject({ kind });
    }
    expect(() =>
      createEnvelope(
        'notification.requested.v1',
        { ...base, requestId: randomUUID(), kind: 'digest', channels: ['sms'] } as never,
        meta,
      ),
    ).toThrow(/kind/);
  });

  it('has one schema class per routing key', () => {
    const keys = Object.keys(EVENT_SCHEMAS);
    expect(keys.every((k) => /^[a-z-]+(\.[a-z-]+){1,2}\.v\d+$/.test(k))).toBe(true);
    expect(new Set(Object.values(EVENT_SCHEMAS)).size).toBe(keys.length);
  });
});
