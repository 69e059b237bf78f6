import { IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, ISO_DATE, MONEY, STUDENT_KEY, TERM } from './common.js';

/** `aid.entitlement.overdue.v1` — an entitlement is past its due date and not paid in full (unpaid subsidy). */
export class AidEntitlementOverdueV1 {
  @IsUUID() entitlementId: string;
  @Matches(STUDENT_KEY) studentKey: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsString() schoolCode: string;
  @IsString() policyCode: string;
  @Matches(TERM) term: string;
  @Matches(MONEY) amountDue: string;
  @Matches(MONEY) amountPaid: string;
  @Matches(ISO_DATE) dueDate: string;
  /** Optional: the dropout case opened for the same student while this was unpaid. */
  @IsOptional() @IsUUID() dropoutCaseId?: string;
}
