/** A city or county-level jurisdiction (GB/T 2260). The city is the one without a parent. */
export interface Jurisdiction {
  code: string;
  name: string;
  parentCode: string | null;
}
