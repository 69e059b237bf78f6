import ExcelJS from 'exceljs';
import type { Role } from '@edu/auth';
import { residentIdProblem } from '@edu/contracts';

/**
 * Roles that may see a resident ID number in full in an API answer: none. Services correlate
 * students by `studentKey` and take the full number only as input (a case, an import); no
 * read of any role needs it back, so every answer shows it as `150802********123X`. A role
 * added here is exempted from the checks below.
 */
export const ROLES_SHOWN_FULL_ID_NUMBERS: readonly Role[] = [];

const ID_SHAPED = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
const MASKED_ID = /(?<![\dA-Za-z*])\d{6}\*{8}\d{3}[\dXx](?![\dA-Za-z*])/g;

/** The valid resident ID numbers in a text (shaped ones that fail the checksum are other numbers). */
export function fullIdNumbersIn(text: string): string[] {
  return [...text.matchAll(ID_SHAPED)].map((m) => m[0]).filter((id) => residentIdProblem(id) === null);
}

/** ID numbers shown masked as `150802********123X`. */
export function maskedIdNumbersIn(text: string): string[] {
  return [...text.matchAll(MASKED_ID)].map((m) => m[0]);
}

/** A response's text, an XLSX's cells included. */
export async function readable(reply: { headers: Headers; text: string; raw: Buffer }): Promise<string> {
  if ((reply.headers.get('content-type') ?? '').includes('spreadsheetml')) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(reply.raw as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((sheet) => sheet.eachRow((row) => cells.push(JSON.stringify(row.values))));
    return cells.join('\n');
  }
  return reply.text;
}
