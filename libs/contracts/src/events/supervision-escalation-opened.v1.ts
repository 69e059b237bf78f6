import { IsIn, IsInt, IsUUID, Matches, Min } from 'class-validator';
import { COUNTY_CODE } from './common.js';

/** `supervision.escalation.opened.v1` — breaches of one type in one county opened an escalation. */
export class SupervisionEscalationOpenedV1 {
  @IsUUID() escalationId: string;
  @IsIn(['dropout', 'aid', 'construction']) front: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsIn(['notice', 'interview', 'accountability']) level: string;
  @IsInt() @Min(1) itemCount: number;
}
