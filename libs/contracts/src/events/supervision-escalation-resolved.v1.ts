import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, FRONTS } from './common.js';

/** The three fronts, and the rectification ledger and village work teams supervision also escalates. */
const SUPERVISED_FRONTS = [...FRONTS, 'rectification', 'work_team'];

/**
 * `supervision.escalation.resolved.v1` — every item under an escalation is settled; the
 * notices still pending for it should be cancelled.
 */
export class SupervisionEscalationResolvedV1 {
  @IsUUID() escalationId: string;
  @IsIn(SUPERVISED_FRONTS) front: string;
  @IsOptional() @IsString() breachType?: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsISO8601() resolvedAt: string;
}
