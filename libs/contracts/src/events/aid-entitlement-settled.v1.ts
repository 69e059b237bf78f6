import { IsISO8601, IsString, IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, MONEY, STUDENT_KEY, TERM } from './common.js';

/** `aid.entitlement.settled.v1` — an entitlement is paid in full. */
export class AidEntitlementSettledV1 {
  @IsUUID() entitlementId: string;
  @Matches(STUDENT_KEY) studentKey: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsString() policyCode: string;
  @Matches(TERM) term: string;
  @Matches(MONEY) amountPaid: string;
  @IsISO8601() settledAt: string;
}
