import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { NoticeAttachment } from '@edu/contracts';
import { CalendarService } from '../../calendar/application/calendar.service.js';
import { localDate, startOfLocalDay } from '../../calendar/domain/working-day-calendar.js';
import { FRONT_NAMES, type SupervisedFront } from '../../directory/domain/front.js';
import type { BreachType } from '../../escalation/domain/breach-type.js';
import {
  DEFAULT_FOLLOW_UP_REMINDER_WORKING_DAYS,
  DEFAULT_INTERVIEW,
  type InterviewArrangement,
} from '../../escalation/domain/escalation-policy.js';
import {
  accountabilityHistory,
  partyCommitteeOf,
  type AccountabilityProps,
  type NoticeRecordView,
  type StepRecord,
} from '../domain/accountability-recommendation.js';
import {
  accountabilityDocument,
  interviewMinutesDocument,
  interviewNoticeDocument,
} from '../domain/documents.js';
import { Interview, type IssueLine, type Person } from '../domain/interview.js';
import { InterviewRepository } from '../persistence/interview.repository.js';
import { DocumentRenderer } from './document-renderer.js';

export interface InterviewRequest {
  escalationId: string;
  stepIndex: number;
  countyCode: string;
  countyName: string;
  cityName: string;
  front: SupervisedFront;
  breachType: BreachType;
  interviewees: Person[];
  interviewer: Person | null;
  issues: IssueLine[];
  recurrence: boolean;
  urgent: boolean;
  arrangement?: InterviewArrangement;
  now: Date;
}

export interface RecommendationRequest {
  escalationId: string;
  stepIndex: number;
  countyCode: string;
  countyName: string;
  cityName: string;
  front: SupervisedFront;
  breachType: BreachType;
  recipients: Person[];
  issues: IssueLine[];
  steps: StepRecord[];
  notices: NoticeRecordView[];
  now: Date;
}

/**
 * What the ladder asks of this feature, inside its transaction: an interview record when
 * an interview step is taken, an accountability recommendation at the policy's last step,
 * each with its generated documents to attach to the email.
 */
@Injectable()
export class InterviewDesk {
  constructor(
    private readonly interviews: InterviewRepository,
    private readonly calendar: CalendarService,
    private readonly documents: DocumentRenderer,
  ) {}

  async notice(
    em: EntityManager,
    r: InterviewRequest,
  ): Promise<{ interview: Interview; attachments: NoticeAttachment[] }> {
    const arrangement = r.arrangement ?? DEFAULT_INTERVIEW;
    const calendar = await this.calendar.calendar(em);
    const day = calendar.addWorkingDays(localDate(r.now), arrangement.inWorkingDays);
    const [hh, mm] = arrangement.time.split(':').map(Number);
    const scheduledAt = new Date(startOfLocalDay(day).getTime() + (hh * 60 + mm) * 60_000);
    const interview = Interview.notice({
      id: randomUUID(),
      serial: await this.interviews.nextSerial(em, 'interview_serial'),
      escalationId: r.escalationId,
      stepIndex: r.stepIndex,
      countyCode: r.countyCode,
      countyName: r.countyName,
      cityName: r.cityName,
      front: r.front,
      breachType: r.breachType,
      interviewees: r.interviewees,
      interviewer: r.interviewer ?? { name: '', title: `${r.cityName}教育局主要领导` },
      subject: `${r.countyName}${FRONT_NAMES[r.front]}工作整改不力${r.recurrence ? '、同类问题反复出现' : ''}`,
      issues: r.issues,
      recurrence: r.recurrence,
      urgent: r.urgent,
      scheduledAt: scheduledAt.toISOString(),
      place: arrangement.place.replace('{cityName}', r.cityName),
      noticedAt: r.now.toISOString(),
      followUpReminderWorkingDays:
        arrangement.followUpReminderWorkingDays ?? DEFAULT_FOLLOW_UP_REMINDER_WORKING_DAYS,
    });
    await this.interviews.insert(em, interview);
    const name = `约谈通知书-${r.countyName}-${FRONT_NAMES[r.front]}`;
    const attachments = await this.documents.attachments(
      interviewNoticeDocument(interview.state),
      name,
      r.now,
    );
    return { interview, attachments };
  }

  async recommend(
    em: EntityManager,
    r: RecommendationRequest,
  ): Promise<{ recommendation: AccountabilityProps; attachments: NoticeAttachment[] }> {
    const interviews = await this.interviews.ofEscalation(em, r.escalationId);
    const recommendation: AccountabilityProps = {
      id: randomUUID(),
      serial: await this.interviews.nextSerial(em, 'accountability_serial'),
      escalationId: r.escalationId,
      stepIndex: r.stepIndex,
      countyCode: r.countyCode,
      countyName: r.countyName,
      cityName: r.cityName,
      front: r.front,
      breachType: r.breachType,
      addressedTo: partyCommitteeOf(r.countyName),
      recipients: r.recipients,
      issues: r.issues,
      history: accountabilityHistory(
        r.steps,
        r.notices,
        interviews.map((i) => i.state),
      ),
      generatedAt: r.now.toISOString(),
    };
    await this.interviews.insertRecommendation(em, recommendation);
    const attachments = await this.documents.attachments(
      accountabilityDocument(recommendation),
      `追责问责建议书-${r.countyName}-${FRONT_NAMES[r.front]}`,
      r.now,
    );
    // The minutes of the interviews held are the evidence behind the recommendation.
    for (const i of interviews.filter((x) => x.state.minutes)) {
      const minutes = await this.documents.attachments(
        interviewMinutesDocument(i.state),
        `约谈纪要-${r.countyName}-${i.state.serial}`,
        new Date(i.state.minutesRecordedAt ?? r.now),
      );
      attachments.push(...minutes.filter((a) => a.contentType === 'application/pdf'));
    }
    return { recommendation, attachments };
  }
}
