import type { Jurisdiction } from '../domain/jurisdiction.js';

/**
 * Seed data, not logic: loaded into an empty jurisdiction table at first start (the 2020
 * work points are Bayannur's). Another city replaces it with POST /api/jurisdictions/import.
 */
export const DEFAULT_JURISDICTIONS: Jurisdiction[] = [
  { code: '150800', name: '巴彦淖尔市', parentCode: null },
  { code: '150802', name: '临河区', parentCode: '150800' },
  { code: '150821', name: '五原县', parentCode: '150800' },
  { code: '150822', name: '磴口县', parentCode: '150800' },
  { code: '150823', name: '乌拉特前旗', parentCode: '150800' },
  { code: '150824', name: '乌拉特中旗', parentCode: '150800' },
  { code: '150825', name: '乌拉特后旗', parentCode: '150800' },
  { code: '150826', name: '杭锦后旗', parentCode: '150800' },
];
