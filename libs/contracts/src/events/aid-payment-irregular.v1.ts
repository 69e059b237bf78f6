import { IsIn, IsString, IsUUID, Matches } from 'class-validator';
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
}
