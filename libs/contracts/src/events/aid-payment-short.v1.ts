import { IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, MONEY, STUDENT_KEY, TERM } from './common.js';

/** `aid.payment.short.v1` — an entitlement was paid less than due (short payment). */
export class AidPaymentShortV1 {
  @IsUUID() entitlementId: string;
  @Matches(STUDENT_KEY) studentKey: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsString() policyCode: string;
  @Matches(TERM) term: string;
  @Matches(MONEY) amountDue: string;
  @Matches(MONEY) amountPaid: string;
  @Matches(MONEY) shortfall: string;
  /** Optional: the dropout case opened for the same student while this was short. */
  @IsOptional() @IsUUID() dropoutCaseId?: string;
}
