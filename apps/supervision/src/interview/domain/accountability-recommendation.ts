import type { SupervisedFront } from '../../directory/domain/front.js';
import type { BreachType } from '../../escalation/domain/breach-type.js';
import { LEVEL_NAMES, type Level } from '../../escalation/domain/escalation-policy.js';
import type { InterviewProps, IssueLine, Person } from './interview.js';

/** One line of the history a recommendation recounts. */
export interface HistoryEntry {
  at: string;
  stage: string;
  detail: string;
}

/** 追责问责建议: to the county party committee, when the policy's last step is reached. */
export interface AccountabilityProps {
  id: string;
  serial: number;
  escalationId: string;
  stepIndex: number;
  countyCode: string;
  countyName: string;
  cityName: string;
  front: SupervisedFront;
  breachType: BreachType;
  /** 中共××县委员会 */
  addressedTo: string;
  recipients: Person[];
  issues: IssueLine[];
  history: HistoryEntry[];
  generatedAt: string;
}

export interface StepRecord {
  index: number;
  level: Level;
  outcome: 'taken' | 'skipped';
  reasonCode: string | null;
  at: string;
  openItemCount: number;
  newItemCount: number;
}

export interface NoticeRecordView {
  stepIndex: number;
  level: Level;
  officialName: string;
  fallback: boolean;
  requestedAt: string;
  failedAt: string | null;
}

const SKIPPED: Record<string, string> = {
  recurrence: '同类问题反复出现，直接进入约谈',
  settled: '前次督办所列问题已整改，本环节未启动',
  few_items: '问题数量未达启动条件，本环节未启动',
};

/** The party committee of a county: 中共五原县委员会, 中共乌拉特前旗委员会. */
export function partyCommitteeOf(countyName: string): string {
  return `中共${countyName}委员会`;
}

/** What happened so far, in order: the ladder's steps and their notices, and the interviews. */
export function accountabilityHistory(
  steps: StepRecord[],
  notices: NoticeRecordView[],
  interviews: Pick<
    InterviewProps,
    | 'noticedAt'
    | 'heldAt'
    | 'minutesRecordedAt'
    | 'minutes'
    | 'status'
    | 'interviewees'
    | 'followUpDueOn'
    | 'followUpDueAt'
    | 'followUpRemindedAt'
  >[],
): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const s of steps) {
    if (s.outcome === 'skipped') {
      entries.push({
        at: s.at,
        stage: LEVEL_NAMES[s.level],
        detail: SKIPPED[s.reasonCode ?? ''] ?? '本环节未启动',
      });
      continue;
    }
    const told = notices.filter((n) => n.stepIndex === s.index);
    const names =
      told.map((n) => `${n.officialName}${n.fallback ? '（市级代收）' : ''}`).join('、') || '无人可通知';
    const fresh =
      s.newItemCount > 0 && s.newItemCount !== s.openItemCount ? `，其中新增${s.newItemCount}项` : '';
    entries.push({
      at: s.at,
      stage: LEVEL_NAMES[s.level],
      detail: `通知${names}；未整改问题${s.openItemCount}项${fresh}`,
    });
    for (const n of told.filter((x) => x.failedAt)) {
      entries.push({
        at: n.failedAt as string,
        stage: '通知送达',
        detail: `${n.officialName}的通知未能送达，已报市级`,
      });
    }
  }
  for (const i of interviews) {
    const who = i.interviewees.map((p) => p.name).join('、');
    if (i.heldAt) entries.push({ at: i.heldAt, stage: '约谈', detail: `约谈${who}` });
    if (i.minutes && i.minutesRecordedAt)
      entries.push({
        at: i.minutesRecordedAt,
        stage: '约谈纪要',
        detail: `整改承诺${i.minutes.commitments.length}项，限${i.followUpDueOn ?? ''}前报送整改情况`,
      });
    if (i.followUpRemindedAt)
      entries.push({
        at: i.followUpRemindedAt,
        stage: '跟踪督办',
        detail: `已提醒${i.followUpDueOn ?? ''}前报送整改落实情况`,
      });
    if (i.followUpDueAt)
      entries.push({ at: i.followUpDueAt, stage: '跟踪督办', detail: '整改情况报送期限已到' });
    if (!i.heldAt) entries.push({ at: i.noticedAt, stage: '约谈', detail: `已通知约谈${who}，尚未举行` });
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}
