import { IsIn, IsISO8601, IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE } from './common.js';

/** `supervision.escalation.resolved.v1` — every item under an escalation is settled. */
export class SupervisionEscalationResolvedV1 {
  @IsUUID() escalationId: string;
  @IsIn(['dropout', 'aid', 'construction']) front: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsISO8601() resolvedAt: string;
}
