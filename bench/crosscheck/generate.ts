import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { residentIdCheckChar } from '@edu/contracts';

/*
 * Generated registries for the cross-check benchmark: `size` poverty-registry members and
 * `size` student-registry rows across 7 counties. Households of two adults and 0-4
 * children; every poor child of 3-17 is in the student registry, enrolled — except the
 * planted mismatches: exactly 2% of `size`, chosen evenly among the school-age (6-15 on
 * 2020-09-01) children of watched households, half missing from the student registry,
 * a quarter dropped, a quarter suspended. The rest of the student registry is children of
 * no poor household. Deterministic for a given size.
 */

export const COUNTIES = ['150802', '150821', '150822', '150823', '150824', '150825', '150826'];
export const CUTOFF = '2020-09-01';
export const POVERTY_HEADER =
  'household_id,id_number,name,birth_date,county_code,township,village,poverty_status,orphan,disability_level,relocation_site_code';
export const STUDENT_HEADER =
  'id_number,name,birth_date,county_code,school_code,school_name,stage,grade,enrolment_status,disability_level';
export const WATCHED = ['registered_poor', 'lifted', 'low_income', 'extreme_poverty'];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'.split('');
const GIVEN = '小明红刚丽军华强芳伟东西南北海燕子欣怡浩宇'.split('');

export interface Generated {
  povertyRows: number;
  studentRows: number;
  /** School-age (6-15) children of watched households: what the cross-check counts. */
  schoolAge: number;
  planted: number;
  plantedByCounty: Record<string, number>;
}

/** mulberry32: small, fast and deterministic. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Unique, valid resident ID numbers: region + birth date + sequence + check character. */
class IdNumbers {
  private readonly next = new Map<string, number>();
  issue(county: string, birth: string): string {
    const key = county + birth.replace(/-/g, '');
    const seq = this.next.get(key) ?? 0;
    if (seq > 999) throw new Error('ran out of sequence numbers');
    this.next.set(key, seq + 1);
    const first17 = key + pad(seq, 3);
    return first17 + residentIdCheckChar(first17);
  }
}

function ageOn(birth: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5) >= birth.slice(5) ? years : years - 1;
}

function dateBetween(r: () => number, fromYear: number, toYear: number): string {
  const from = Date.UTC(fromYear, 0, 1);
  const to = Date.UTC(toYear, 11, 31);
  return new Date(from + Math.floor(r() * ((to - from) / 86_400_000 + 1)) * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

interface Member {
  household: string;
  id: string;
  name: string;
  birth: string;
  county: string;
  township: string;
  village: string;
  status: string;
  disability: string;
  site: string;
  age: number;
  child: boolean;
}

/** The poverty registry, household by household, `size` members in all. */
function* members(size: number): Generator<Member> {
  const r = rng(20200901);
  const ids = new IdNumbers();
  let made = 0;
  let h = 0;
  while (made < size) {
    h++;
    const county = COUNTIES[h % COUNTIES.length];
    const x = r();
    const status =
      x < 0.7
        ? 'registered_poor'
        : x < 0.85
          ? 'lifted'
          : x < 0.9
            ? 'low_income'
            : x < 0.92
              ? 'extreme_poverty'
              : 'none';
    const site = r() < 0.1 ? `RS-${county}-${pad(Math.floor(r() * 30), 2)}` : '';
    const township = `乡镇${Math.floor(r() * 12)}`;
    const village = `村${Math.floor(r() * 40)}`;
    const children = Math.floor(r() * 5);
    for (let i = 0; i < 2 + children && made < size; i++, made++) {
      const child = i >= 2;
      const birth = child ? dateBetween(r, 2003, 2018) : dateBetween(r, 1955, 1995);
      const d = r();
      yield {
        household: `H${county}${pad(h, 7)}`,
        id: ids.issue(county, birth),
        name: SURNAMES[Math.floor(r() * SURNAMES.length)] + GIVEN[Math.floor(r() * GIVEN.length)],
        birth,
        county,
        township,
        village,
        status,
        disability: d < 0.002 ? 'severe' : d < 0.007 ? 'moderate' : d < 0.017 ? 'mild' : 'none',
        site,
        age: ageOn(birth, CUTOFF),
        child,
      };
    }
  }
}

const isEligible = (m: Member) => m.age >= 6 && m.age <= 15 && WATCHED.includes(m.status);

function stageOf(age: number): [string, number] {
  if (age <= 5) return ['preschool', age - 2];
  if (age <= 11) return ['primary', age - 5];
  if (age <= 14) return ['junior', age - 11];
  return ['senior', Math.min(age - 14, 3)];
}

class Lines {
  private buffer: string[] = [];
  constructor(private readonly out: WriteStream) {}
  async push(line: string) {
    this.buffer.push(line);
    if (this.buffer.length >= 2000) await this.flush();
  }
  async flush() {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('\n') + '\n';
    this.buffer = [];
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
  async close() {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}

export async function generate(size: number, povertyFile: string, studentFile: string): Promise<Generated> {
  const target = Math.round(size * 0.02);
  let eligible = 0;
  for (const m of members(size)) if (isEligible(m)) eligible++;
  if (eligible < target) throw new Error(`only ${eligible} school-age children for ${target} mismatches`);

  const poverty = new Lines(createWriteStream(povertyFile));
  const students = new Lines(createWriteStream(studentFile));
  await poverty.push(POVERTY_HEADER);
  await students.push(STUDENT_HEADER);
  let nth = 0;
  let planted = 0;
  let studentRows = 0;
  const plantedByCounty: Record<string, number> = {};
  const student = async (
    id: string,
    name: string,
    birth: string,
    county: string,
    age: number,
    status: string,
    disability: string,
  ) => {
    const [stage, grade] = stageOf(age);
    const school = `${county}-S${pad(Number(id.slice(15, 17)) % 40, 3)}`;
    await students.push(
      `${id},${name},${birth},${county},${school},第${school.slice(-3)}学校,${stage},${grade},${status},${disability}`,
    );
    studentRows++;
  };
  for (const m of members(size)) {
    await poverty.push(
      `${m.household},${m.id},${m.name},${m.birth},${m.county},${m.township},${m.village},${m.status},false,${m.disability},${m.site}`,
    );
    if (!m.child || m.age < 3 || m.age > 17) continue;
    let status = 'enrolled';
    if (isEligible(m)) {
      // Evenly spaced: exactly `target` of the eligible children.
      const plant = Math.floor(((nth + 1) * target) / eligible) > Math.floor((nth * target) / eligible);
      nth++;
      if (plant) {
        planted++;
        plantedByCounty[m.county] = (plantedByCounty[m.county] ?? 0) + 1;
        const kind = planted % 4;
        if (kind < 2) continue; // not in the student registry
        status = kind === 2 ? 'dropped' : 'suspended';
      }
    }
    await student(m.id, m.name, m.birth, m.county, m.age, status, m.disability);
  }
  await poverty.close();

  // Children of no poor household fill the student registry to `size` rows.
  const r = rng(7);
  const ids = new IdNumbers();
  let i = 0;
  while (studentRows < size) {
    const county = COUNTIES[i++ % COUNTIES.length];
    // Born before 2003 or after 2018 would not be in school; the region digits keep them apart from the poor.
    const birth = dateBetween(r, 2003, 2014);
    const id = ids.issue(`${county.slice(0, 4)}9${county.slice(5)}`, birth);
    const name = SURNAMES[Math.floor(r() * SURNAMES.length)] + GIVEN[Math.floor(r() * GIVEN.length)];
    await student(id, name, birth, county, ageOn(birth, CUTOFF), r() < 0.01 ? 'dropped' : 'enrolled', 'none');
  }
  await students.close();
  return { povertyRows: size, studentRows, schoolAge: eligible, planted, plantedByCounty };
}
