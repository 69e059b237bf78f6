import { IsString, IsUUID, Matches } from 'class-validator';
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
}
