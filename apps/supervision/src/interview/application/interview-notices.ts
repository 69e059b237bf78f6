import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { Channel, NoticeAttachment } from '@edu/contracts';
import { Outbox } from '@edu/messaging';
import { counter } from '@edu/observability';
import type { WorkingDayCalendar } from '../../calendar/domain/working-day-calendar.js';
import type { Official, OfficialRole } from '../../directory/domain/official.js';
import { DirectoryRepository } from '../../directory/persistence/directory.repository.js';
import { ResponsibilityResolver } from '../../responsibility/application/responsibility-resolver.js';
import { FRONT_NAMES } from '../../directory/domain/front.js';
import { interviewMinutesDocument } from '../domain/documents.js';
import type { Interview } from '../domain/interview.js';
import { interviewNoticeParams } from '../domain/interview-notice-params.js';
import { InterviewRepository, type InterviewNoticeRecord } from '../persistence/interview.repository.js';
import { DocumentRenderer } from './document-renderer.js';

const unreachable = counter(
  'interview_notices_unassigned_total',
  'Interview minutes or follow-up reminders with nobody on file to send them to',
  ['kind', 'county'],
);

/** Both go by SMS and by email: the minutes document rides on the email. */
const CHANNELS: Channel[] = ['sms', 'email'];

/**
 * The notices that follow an interview, in the caller's transaction: the minutes (约谈纪要),
 * with the minutes document attached to the email, when they are recorded; the reminder of
 * the follow-up report they ask for, before it is due. Each goes to the interviewee(s) and
 * the county's responsible official for the front, one `notification.requested` apiece,
 * through the outbox; each is recorded against the interview.
 */
@Injectable()
export class InterviewNotices {
  private readonly logger = new Logger(InterviewNotices.name);

  constructor(
    private readonly interviews: InterviewRepository,
    private readonly directory: DirectoryRepository,
    private readonly responsibility: ResponsibilityResolver,
    private readonly documents: DocumentRenderer,
    private readonly outbox: Outbox,
  ) {}

  /** Requests the minutes notice for each recipient; returns how many. */
  async minutes(em: EntityManager, interview: Interview, now: Date): Promise<number> {
    const i = interview.state;
    const attachments = await this.documents.attachments(
      interviewMinutesDocument(i),
      `约谈纪要-${i.countyName}-${FRONT_NAMES[i.front]}-${i.serial}`,
      new Date(i.minutesRecordedAt ?? now),
    );
    return this.request(em, interview, 'interview_minutes', interviewNoticeParams(i), attachments, now);
  }

  /** Requests the follow-up reminder for each recipient; returns how many. */
  async followUpReminder(
    em: EntityManager,
    interview: Interview,
    today: string,
    calendar: WorkingDayCalendar,
    now: Date,
  ): Promise<number> {
    const i = interview.state;
    const workingDaysLeft = calendar.workingDaysBetween(today, i.followUpDueOn ?? today);
    const params = interviewNoticeParams(i, { workingDaysLeft });
    return this.request(em, interview, 'follow_up_reminder', params, [], now);
  }

  private async request(
    em: EntityManager,
    interview: Interview,
    kind: InterviewNoticeRecord['kind'],
    params: Record<string, string | number>,
    attachments: NoticeAttachment[],
    now: Date,
  ): Promise<number> {
    const i = interview.state;
    const recipients = await this.recipients(em, interview);
    if (recipients.length === 0) {
      unreachable.inc({ kind, county: i.countyCode });
      this.logger.error(`interview ${i.id}: nobody on file to send the ${kind} to in ${i.countyCode}`);
      return 0;
    }
    const records: InterviewNoticeRecord[] = [];
    for (const { official: o, role } of recipients) {
      const requestId = randomUUID();
      await this.outbox.add(
        em,
        'notification.requested.v1',
        {
          requestId,
          kind,
          escalationId: i.escalationId,
          countyCode: i.countyCode,
          recipient: {
            officialId: o.officialId,
            name: o.name,
            title: o.title,
            ...(o.phone ? { phone: o.phone } : {}),
            ...(o.email ? { email: o.email } : {}),
          },
          channels: CHANNELS,
          params,
          ...(attachments.length > 0 ? { attachments } : {}),
        },
        // The escalation's subject: these follow its notices in order.
        { subject: i.escalationId, county: i.countyCode },
      );
      records.push({
        id: requestId,
        interviewId: i.id,
        kind,
        officialId: o.officialId,
        officialName: o.name,
        role,
        channels: CHANNELS,
        attachments: attachments.map((a) => a.filename),
        requestedAt: now.toISOString(),
      });
    }
    await this.interviews.insertNotices(em, records);
    return records.length;
  }

  /**
   * The interviewees as the record names them (their contacts from the directory), and the
   * county's responsible official for the front as the matrix gives it. An interviewee no
   * longer on file is replaced by the county's bureau head of today.
   */
  private async recipients(
    em: EntityManager,
    interview: Interview,
  ): Promise<{ official: Official; role: 'interviewee' | OfficialRole }[]> {
    const i = interview.state;
    const place = await this.responsibility.place(em, i.countyCode);
    const officials = await this.directory.officialsIn(
      em,
      place.cityCode ? [i.countyCode, place.cityCode] : [i.countyCode],
    );
    const chosen = new Map<string, { official: Official; role: 'interviewee' | OfficialRole }>();
    for (const p of i.interviewees) {
      const o = p.officialId ? officials.find((x) => x.officialId === p.officialId) : undefined;
      if (o) chosen.set(o.officialId, { official: o, role: 'interviewee' });
      else this.logger.warn(`interview ${i.id}: interviewee ${p.name} is no longer on file`);
    }
    const roles: OfficialRole[] = chosen.size > 0 ? ['responsible'] : ['bureau_head', 'responsible'];
    const { assignments } = await this.responsibility.resolve(em, place, i.front, roles, 'county');
    for (const a of assignments)
      if (!chosen.has(a.official.officialId))
        chosen.set(a.official.officialId, { official: a.official, role: a.role });
    return [...chosen.values()];
  }

  /** What became of a notice of an interview; false when the request was not one. */
  outcome(
    em: EntityManager,
    requestId: string,
    outcome: { deliveredAt: string } | { failedAt: string; channel: string },
  ): Promise<boolean> {
    return this.interviews.markNotice(em, requestId, outcome);
  }
}
