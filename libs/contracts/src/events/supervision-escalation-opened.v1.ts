import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Min } from 'class-validator';
import { COUNTY_CODE, FRONTS } from './common.js';

/** The three fronts, and the rectification ledger and village work teams supervision also escalates. */
const SUPERVISED_FRONTS = [...FRONTS, 'rectification', 'work_team'];

/** `supervision.escalation.opened.v1` — breaches of one type in one county opened an escalation. */
export class SupervisionEscalationOpenedV1 {
  @IsUUID() escalationId: string;
  @IsIn(SUPERVISED_FRONTS) front: string;
  /** What the policy is for: the front's name for the three fronts' breaches, else e.g. rectification, notice_failure. */
  @IsOptional() @IsString() breachType?: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsIn(['notice', 'interview', 'accountability']) level: string;
  @IsInt() @Min(1) itemCount: number;
}
