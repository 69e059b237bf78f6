import 'reflect-metadata';
import { Transform, plainToInstance } from 'class-transformer';
import { IsDefined, IsString, Matches, ValidateIf, getMetadataStorage, validateSync } from 'class-validator';
import { compileCheck } from './fast-check.js';
import { EVENT_SCHEMAS, type EventKey } from './event-map.js';

/** class-validator's own verdict, as validatePayload reaches it. */
function slowValid(cls: new () => object, data: unknown): boolean {
  return validateSync(plainToInstance(cls, data), { forbidUnknownValues: true }).length === 0;
}

/** Values of every shape the contracts' constraints care about, and the usual hostile ones. */
const POOL: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'x',
  'S001',
  0,
  1,
  -1,
  3,
  1.5,
  NaN,
  Infinity,
  1e21,
  true,
  false,
  [],
  {},
  [1, 2],
  ['x'],
  ['sms'],
  ['sms', 'email'],
  ['sms', 'fax'],
  { a: 1 },
  { nested: { deep: [1] } },
  '3f0e6c8e-2b1a-4c3d-9e8f-0a1b2c3d4e5f',
  '3F0E6C8E-2B1A-4C3D-9E8F-0A1B2C3D4E5F',
  '3f0e6c8e2b1a4c3d9e8f0a1b2c3d4e5f',
  '00000000-0000-0000-0000-000000000000',
  '150821',
  '15082',
  '1508210',
  'a'.repeat(64),
  'A'.repeat(64),
  'g'.repeat(64),
  '625.00',
  '0',
  '0.5',
  '-3',
  '1.234',
  '12345678901',
  '2020',
  '20201',
  '2020-autumn',
  '2020-spring',
  '2020-winter',
  '2020-10-31',
  '2020-1-1',
  '2020-10-31T00:00:00.000Z',
  '11010519491231002X',
  'a@b.cn',
  'not an email',
  '+8613800000000',
  'aGVsbG8=',
  'x'.repeat(2000),
  '1',
  '42',
];

/** A small seeded generator, so a failure reproduces. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function propertiesOf(cls: new () => object) {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(cls, undefined as unknown as string, false, false);
  const byProperty = storage.groupByPropertyName(metadatas);
  return Object.entries(byProperty).map(([property, list]) => {
    // Constraint values (IsIn lists, Min/Max bounds) are the likeliest valid values.
    const derived = list.flatMap((m) =>
      (m.constraints ?? []).flatMap((c: unknown) =>
        Array.isArray(c) ? [...c, c] : typeof c === 'number' ? [c, c - 1, c + 1] : [],
      ),
    );
    return { property, candidates: [...POOL, ...derived] };
  });
}

/** For each property, the candidates that pass its own constraints (others held valid or absent). */
function goodValues(cls: new () => object, props: ReturnType<typeof propertiesOf>) {
  return props.map(({ property, candidates }) => ({
    property,
    candidates,
    good: candidates.filter((v) => {
      const errors = validateSync(plainToInstance(cls, { [property]: v }), { forbidUnknownValues: true });
      return !errors.some((e) => e.property === property);
    }),
  }));
}

describe('quick contract checks agree with class-validator', () => {
  const keys = Object.keys(EVENT_SCHEMAS) as EventKey[];

  it.each(keys)(
    '%s: never says valid where class-validator refuses, and says valid where it accepts',
    (key) => {
      const cls = EVENT_SCHEMAS[key] as new () => object;
      const check = compileCheck(cls);
      const nested = getMetadataStorage()
        .getTargetValidationMetadatas(cls, undefined as unknown as string, false, false)
        .some((m) => m.type === 'nestedValidation');
      if (nested) {
        // Not mirrored: every payload of this contract goes to class-validator.
        expect(check).toBeNull();
        return;
      }
      expect(check).not.toBeNull();
      const quick = check!;
      const props = goodValues(cls, propertiesOf(cls));
      const next = random(key.length * 7919);
      const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
      let accepted = 0;
      let refused = 0;
      for (let i = 0; i < 3000; i++) {
        const data: Record<string, unknown> = {};
        // Mostly valid payloads with now and then a bad, missing or extra field.
        const noise = i % 3 === 0 ? 0 : 0.08;
        for (const { property, candidates, good } of props) {
          const value = good.length > 0 && next() >= noise ? pick(good) : pick(candidates);
          if (value !== undefined || next() < 0.5) data[property] = value;
        }
        if (next() < 0.1) data[`extra${i % 3}`] = pick(POOL);
        const slow = slowValid(cls, data);
        const fast = quick(data);
        if (fast && !slow)
          throw new Error(
            `${key}: quick check accepts what class-validator refuses: ${JSON.stringify(data)}`,
          );
        if (slow && !fast)
          throw new Error(`${key}: quick check is unsure of a valid payload: ${JSON.stringify(data)}`);
        if (slow) accepted++;
        else refused++;
      }
      // The generator reached both sides of the contract.
      expect(accepted).toBeGreaterThan(100);
      expect(refused).toBeGreaterThan(100);
    },
  );

  it('is unsure of anything that is not plain JSON data', () => {
    const cls = EVENT_SCHEMAS['aid.entitlement.overdue.v1'] as new () => object;
    const quick = compileCheck(cls)!;
    const valid = {
      entitlementId: '3f0e6c8e-2b1a-4c3d-9e8f-0a1b2c3d4e5f',
      studentKey: 'a'.repeat(64),
      countyCode: '150821',
      schoolCode: 'S001',
      policyCode: 'P1',
      term: '2020-autumn',
      amountDue: '625.00',
      amountPaid: '0',
      dueDate: '2020-10-31',
    };
    expect(quick(valid)).toBe(true);
    expect(quick(Object.assign(Object.create(null) as object, valid))).toBe(false);
    expect(quick({ ...valid, schoolCode: new String('S001') })).toBe(false);
    expect(quick({ ...valid, schoolCode: () => 'S001' })).toBe(false);
    expect(quick([valid])).toBe(false);
    expect(quick(null)).toBe(false);
    expect(quick('x')).toBe(false);
  });

  it('applies conditions (ValidateIf, IsOptional) as class-validator does', () => {
    class Conditional {
      @IsString() kind: string;
      @ValidateIf((o: { kind?: string }) => o.kind === 'x') @Matches(/^\d+$/) code: string;
    }
    const quick = compileCheck(Conditional)!;
    for (const data of [
      { kind: 'x', code: '12' },
      { kind: 'x', code: 'ab' },
      { kind: 'y', code: 'ab' },
      { kind: 'x' },
      { kind: 'y' },
    ])
      expect([data, quick(data)]).toEqual([data, slowValid(Conditional, data)]);
  });

  it('builds no quick check for contracts it cannot mirror exactly', () => {
    class Transformed {
      @Transform(({ value }) => String(value).trim()) @IsString() name: string;
    }
    class Defined {
      @IsDefined() value: unknown;
    }
    class Bare {}
    expect(compileCheck(Transformed)).toBeNull();
    expect(compileCheck(Defined)).toBeNull();
    expect(compileCheck(Bare)).toBeNull();
  });
});
