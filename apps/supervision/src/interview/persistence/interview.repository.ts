import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AccountabilityProps } from '../domain/accountability-recommendation.js';
import { Interview, type InterviewProps, type InterviewStatus } from '../domain/interview.js';

interface InterviewRow {
  id: string;
  serial: number;
  escalation_id: string;
  step_index: number;
  county_code: string;
  county_name: string;
  city_name: string;
  front: InterviewProps['front'];
  breach_type: InterviewProps['breachType'];
  status: InterviewStatus;
  interviewees: InterviewProps['interviewees'];
  interviewer: InterviewProps['interviewer'];
  subject: string;
  issues: InterviewProps['issues'];
  recurrence: boolean;
  urgent: boolean;
  scheduled_at: Date | null;
  place: string | null;
  noticed_at: Date;
  held_at: Date | null;
  attendees: string[];
  minutes: InterviewProps['minutes'];
  minutes_recorded_at: Date | null;
  minutes_recorded_by: string | null;
  follow_up_due_text: string | null;
  follow_up_due_at: Date | null;
  follow_up_reminder_working_days: number;
  follow_up_remind_text: string | null;
  follow_up_reminded_at: Date | null;
}

/** A notice requested for an interview (the minutes, the follow-up reminder); its id is the request id. */
export interface InterviewNoticeRecord {
  id: string;
  interviewId: string;
  kind: 'interview_minutes' | 'follow_up_reminder';
  officialId: string;
  officialName: string;
  /** interviewee, responsible, or bureau_head (standing in for an interviewee no longer on file). */
  role: string;
  channels: string[];
  attachments: string[];
  requestedAt: string;
}

export interface InterviewNoticeView extends InterviewNoticeRecord {
  deliveredAt: string | null;
  failedAt: string | null;
  failedChannel: string | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

const toInterview = (r: InterviewRow) =>
  Interview.restore({
    id: r.id,
    serial: r.serial,
    escalationId: r.escalation_id,
    stepIndex: r.step_index,
    countyCode: r.county_code,
    countyName: r.county_name,
    cityName: r.city_name,
    front: r.front,
    breachType: r.breach_type,
    status: r.status,
    interviewees: r.interviewees,
    interviewer: r.interviewer,
    subject: r.subject,
    issues: r.issues,
    recurrence: r.recurrence,
    urgent: r.urgent,
    scheduledAt: iso(r.scheduled_at),
    place: r.place,
    noticedAt: r.noticed_at.toISOString(),
    heldAt: iso(r.held_at),
    attendees: r.attendees,
    minutes: r.minutes,
    minutesRecordedAt: iso(r.minutes_recorded_at),
    minutesRecordedBy: r.minutes_recorded_by,
    followUpDueOn: r.follow_up_due_text,
    followUpDueAt: iso(r.follow_up_due_at),
    followUpReminderWorkingDays: r.follow_up_reminder_working_days,
    followUpRemindOn: r.follow_up_remind_text,
    followUpRemindedAt: iso(r.follow_up_reminded_at),
  });

const COLUMNS = `*, to_char(follow_up_due_on, 'YYYY-MM-DD') AS follow_up_due_text,
  to_char(follow_up_remind_on, 'YYYY-MM-DD') AS follow_up_remind_text`;

interface RecommendationRow {
  id: string;
  serial: number;
  escalation_id: string;
  step_index: number;
  county_code: string;
  county_name: string;
  city_name: string;
  front: AccountabilityProps['front'];
  breach_type: AccountabilityProps['breachType'];
  addressed_to: string;
  recipients: AccountabilityProps['recipients'];
  issues: AccountabilityProps['issues'];
  history: AccountabilityProps['history'];
  generated_at: Date;
}

const toRecommendation = (r: RecommendationRow): AccountabilityProps => ({
  id: r.id,
  serial: r.serial,
  escalationId: r.escalation_id,
  stepIndex: r.step_index,
  countyCode: r.county_code,
  countyName: r.county_name,
  cityName: r.city_name,
  front: r.front,
  breachType: r.breach_type,
  addressedTo: r.addressed_to,
  recipients: r.recipients,
  issues: r.issues,
  history: r.history,
  generatedAt: r.generated_at.toISOString(),
});

@Injectable()
export class InterviewRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async nextSerial(
    em: EntityManager,
    sequence: 'interview_serial' | 'accountability_serial',
  ): Promise<number> {
    const [row]: { n: string }[] = await em.query(`SELECT nextval('${sequence}') AS n`);
    return Number(row.n);
  }

  /** Inserts a new interview; false when this escalation step already has one. */
  async insert(em: EntityManager, i: Interview): Promise<boolean> {
    const s = i.state;
    const rows: unknown[] = await em.query(
      `INSERT INTO interview (id, serial, escalation_id, step_index, county_code, county_name, city_name, front,
         breach_type, status, interviewees, interviewer, subject, issues, recurrence, urgent, scheduled_at, place,
         noticed_at, follow_up_reminder_working_days)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (escalation_id, step_index) DO NOTHING RETURNING id`,
      [
        s.id,
        s.serial,
        s.escalationId,
        s.stepIndex,
        s.countyCode,
        s.countyName,
        s.cityName,
        s.front,
        s.breachType,
        s.status,
        JSON.stringify(s.interviewees),
        JSON.stringify(s.interviewer),
        s.subject,
        JSON.stringify(s.issues),
        s.recurrence,
        s.urgent,
        s.scheduledAt,
        s.place,
        s.noticedAt,
        s.followUpReminderWorkingDays,
      ],
    );
    return rows.length > 0;
  }

  async save(em: EntityManager, i: Interview): Promise<void> {
    const s = i.state;
    await em.query(
      `UPDATE interview SET status = $2, interviewer = $3, scheduled_at = $4, place = $5, held_at = $6,
         attendees = $7, minutes = $8, minutes_recorded_at = $9, minutes_recorded_by = $10,
         follow_up_due_on = $11, follow_up_due_at = $12, follow_up_remind_on = $13, follow_up_reminded_at = $14
       WHERE id = $1`,
      [
        s.id,
        s.status,
        JSON.stringify(s.interviewer),
        s.scheduledAt,
        s.place,
        s.heldAt,
        s.attendees,
        s.minutes ? JSON.stringify(s.minutes) : null,
        s.minutesRecordedAt,
        s.minutesRecordedBy,
        s.followUpDueOn,
        s.followUpDueAt,
        s.followUpRemindOn,
        s.followUpRemindedAt,
      ],
    );
  }

  async findById(
    id: string,
    em: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<Interview | null> {
    const rows: InterviewRow[] = await em.query(
      `SELECT ${COLUMNS} FROM interview WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toInterview(rows[0]) : null;
  }

  async ofEscalation(em: EntityManager, escalationId: string): Promise<Interview[]> {
    const rows: InterviewRow[] = await em.query(
      `SELECT ${COLUMNS} FROM interview WHERE escalation_id = $1 ORDER BY step_index`,
      [escalationId],
    );
    return rows.map(toInterview);
  }

  async list(filter: {
    county?: string;
    status?: string;
    escalationId?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: Interview[]; total: number }> {
    const where = `($1::char(6) IS NULL OR county_code = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::uuid IS NULL OR escalation_id = $3)`;
    const params = [filter.county ?? null, filter.status ?? null, filter.escalationId ?? null];
    const rows: InterviewRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM interview WHERE ${where}
       ORDER BY noticed_at DESC, serial DESC, id DESC LIMIT $4 OFFSET $5`,
      [...params, filter.limit, filter.offset],
    );
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM interview WHERE ${where}`,
      params,
    );
    return { items: rows.map(toInterview), total };
  }

  /** Interviews whose follow-up falls due by `today`, locked so that replicas take different ones. */
  async claimFollowUpsDue(em: EntityManager, today: string, limit: number): Promise<Interview[]> {
    const rows: InterviewRow[] = await em.query(
      `SELECT ${COLUMNS} FROM interview WHERE status = 'minutes_recorded' AND follow_up_due_on <= $1
       ORDER BY follow_up_due_on LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [today, limit],
    );
    return rows.map(toInterview);
  }

  /**
   * Interviews whose follow-up reminder is due by `today` and whose follow-up is still ahead,
   * locked so that replicas take different ones.
   */
  async claimRemindersDue(em: EntityManager, today: string, limit: number): Promise<Interview[]> {
    const rows: InterviewRow[] = await em.query(
      `SELECT ${COLUMNS} FROM interview
       WHERE status = 'minutes_recorded' AND follow_up_reminded_at IS NULL AND follow_up_remind_on <= $1
         AND follow_up_due_on > $1
       ORDER BY follow_up_remind_on LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [today, limit],
    );
    return rows.map(toInterview);
  }

  /** Records the notices requested; one already there for the interview, kind and official is kept. */
  async insertNotices(em: EntityManager, notices: InterviewNoticeRecord[]): Promise<void> {
    for (const n of notices) {
      await em.query(
        `INSERT INTO interview_notice (id, interview_id, kind, official_id, official_name, role, channels,
           attachments, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (interview_id, kind, official_id) DO NOTHING`,
        [
          n.id,
          n.interviewId,
          n.kind,
          n.officialId,
          n.officialName,
          n.role,
          n.channels,
          n.attachments,
          n.requestedAt,
        ],
      );
    }
  }

  async notices(interviewId: string): Promise<InterviewNoticeView[]> {
    const rows: {
      id: string;
      interview_id: string;
      kind: InterviewNoticeRecord['kind'];
      official_id: string;
      official_name: string;
      role: string;
      channels: string[];
      attachments: string[];
      requested_at: Date;
      delivered_at: Date | null;
      failed_at: Date | null;
      failed_channel: string | null;
    }[] = await this.dataSource.query(
      'SELECT * FROM interview_notice WHERE interview_id = $1 ORDER BY requested_at, kind, official_id',
      [interviewId],
    );
    return rows.map((r) => ({
      id: r.id,
      interviewId: r.interview_id,
      kind: r.kind,
      officialId: r.official_id,
      officialName: r.official_name,
      role: r.role,
      channels: r.channels,
      attachments: r.attachments,
      requestedAt: r.requested_at.toISOString(),
      deliveredAt: iso(r.delivered_at),
      failedAt: iso(r.failed_at),
      failedChannel: r.failed_channel,
    }));
  }

  /** Records what became of a notice requested for an interview; false when the request is not one. */
  async markNotice(
    em: EntityManager,
    requestId: string,
    outcome: { deliveredAt: string } | { failedAt: string; channel: string },
  ): Promise<boolean> {
    const rows: unknown[] =
      'deliveredAt' in outcome
        ? await em.query(
            `WITH n AS (UPDATE interview_notice SET delivered_at = COALESCE(delivered_at, $2) WHERE id = $1 RETURNING id)
             SELECT id FROM n`,
            [requestId, outcome.deliveredAt],
          )
        : await em.query(
            `WITH n AS (
               UPDATE interview_notice SET failed_at = COALESCE(failed_at, $2),
                 failed_channel = COALESCE(failed_channel, $3)
               WHERE id = $1 RETURNING id
             ) SELECT id FROM n`,
            [requestId, outcome.failedAt, outcome.channel],
          );
    return rows.length > 0;
  }

  async insertRecommendation(em: EntityManager, r: AccountabilityProps): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO accountability_recommendation (id, serial, escalation_id, step_index, county_code, county_name,
         city_name, front, breach_type, addressed_to, recipients, issues, history, generated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (escalation_id) DO NOTHING RETURNING id`,
      [
        r.id,
        r.serial,
        r.escalationId,
        r.stepIndex,
        r.countyCode,
        r.countyName,
        r.cityName,
        r.front,
        r.breachType,
        r.addressedTo,
        JSON.stringify(r.recipients),
        JSON.stringify(r.issues),
        JSON.stringify(r.history),
        r.generatedAt,
      ],
    );
    return rows.length > 0;
  }

  async recommendation(id: string): Promise<AccountabilityProps | null> {
    const rows: RecommendationRow[] = await this.dataSource.query(
      'SELECT * FROM accountability_recommendation WHERE id = $1',
      [id],
    );
    return rows[0] ? toRecommendation(rows[0]) : null;
  }

  async recommendations(filter: {
    county?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: AccountabilityProps[]; total: number }> {
    const rows: RecommendationRow[] = await this.dataSource.query(
      `SELECT * FROM accountability_recommendation WHERE ($1::char(6) IS NULL OR county_code = $1)
       ORDER BY generated_at DESC, serial DESC, id DESC LIMIT $2 OFFSET $3`,
      [filter.county ?? null, filter.limit, filter.offset],
    );
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM accountability_recommendation WHERE ($1::char(6) IS NULL OR county_code = $1)`,
      [filter.county ?? null],
    );
    return { items: rows.map(toRecommendation), total };
  }
}
