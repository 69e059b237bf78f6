import { IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, MONEY, STUDENT_KEY, TERM } from './common.js';

/** `aid.payment.irregular.v1` — a payment went twice or to someone not entitled. */
export class AidPaymentIrregularV1 {
  @IsUUID() paymentId: string;
  @Matches(STUDENT_KEY) studentKey: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsString() policyCode: string;
  @Matches(TERM) term: string;
  @Matches(MONEY) amount: string;
  @IsIn(['duplicate', 'not_entitled']) reason: string;
  /**
   * Optional detail: paid_twice (reason duplicate); without_entitlement or name_mismatch
   * (reason not_entitled: the name paid does not match the ID number's student).
   */
  @IsOptional() @IsIn(['paid_twice', 'without_entitlement', 'name_mismatch']) irregularity?: string;
}
