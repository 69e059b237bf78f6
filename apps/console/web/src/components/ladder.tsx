import { label, t } from '../i18n/index.js';

const LEVELS = ['notice', 'interview', 'accountability'] as const;

/** Where an escalation stands on the ladder: 督办提醒 → 约谈 → 追责问责建议. */
export function Ladder(props: { level: string | null; next: string | null; nextAt?: string | null }) {
  const reached = props.level ? LEVELS.indexOf(props.level as (typeof LEVELS)[number]) : -1;
  return (
    <span className="ladder" aria-label={t('esc.ladder')}>
      {LEVELS.map((l, i) => (
        <span key={l} className={i <= reached ? 'rung reached' : l === props.next ? 'rung next' : 'rung'}>
          {label('level', l)}
        </span>
      ))}
    </span>
  );
}

export { LEVELS };
