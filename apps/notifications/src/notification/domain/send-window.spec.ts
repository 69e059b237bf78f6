import { isUrgentNotice, SendWindow } from './send-window.js';

const shanghai = (local: string) => new Date(`${local}+08:00`);

describe('SendWindow', () => {
  const office = SendWindow.parse('08:30-17:30', 'Asia/Shanghai');

  it('is open from 08:30 to 17:30 Shanghai time, whatever the server zone', () => {
    expect(office?.isOpen(shanghai('2020-06-01T08:29:59'))).toBe(false);
    expect(office?.isOpen(shanghai('2020-06-01T08:30:00'))).toBe(true);
    expect(office?.isOpen(shanghai('2020-06-01T17:29:00'))).toBe(true);
    expect(office?.isOpen(shanghai('2020-06-01T17:30:00'))).toBe(false);
    expect(office?.isOpen(new Date('2020-06-01T02:00:00Z'))).toBe(true); // 10:00 in Shanghai
  });

  it('says when it next opens: later today, or tomorrow morning', () => {
    expect(office?.earliest(shanghai('2020-06-01T06:10:30'))).toEqual(shanghai('2020-06-01T08:30:00'));
    expect(office?.earliest(shanghai('2020-06-01T20:00:00'))).toEqual(shanghai('2020-06-02T08:30:00'));
    const open = shanghai('2020-06-01T09:00:00');
    expect(office?.earliest(open)).toBe(open);
  });

  it('may wrap midnight, or have no quiet hours at all', () => {
    const night = SendWindow.parse('22:00-06:00', 'Asia/Shanghai');
    expect(night?.isOpen(shanghai('2020-06-01T23:00:00'))).toBe(true);
    expect(night?.isOpen(shanghai('2020-06-01T05:59:00'))).toBe(true);
    expect(night?.isOpen(shanghai('2020-06-01T12:00:00'))).toBe(false);
    const always = SendWindow.parse('always', 'Asia/Shanghai');
    expect(always?.isAlways).toBe(true);
    expect(always?.isOpen(shanghai('2020-06-01T03:00:00'))).toBe(true);
  });

  it('refuses malformed windows', () => {
    for (const bad of ['8-17', '08:30-08:30', '24:00-08:00', '08:60-09:00', 'office hours']) {
      expect(SendWindow.parse(bad, 'Asia/Shanghai')).toBeUndefined();
    }
    expect(SendWindow.knowsZone('Asia/Shanghai')).toBe(true);
    expect(SendWindow.knowsZone('Mars/Olympus')).toBe(false);
  });
});

describe('isUrgentNotice', () => {
  it('lets only an interview notice marked urgent through quiet hours', () => {
    expect(isUrgentNotice('interview_notice', { urgent: true })).toBe(true);
    expect(isUrgentNotice('interview_notice', { urgent: 'true' })).toBe(true);
    expect(isUrgentNotice('interview_notice', { urgent: 1 })).toBe(true);
    expect(isUrgentNotice('interview_notice', { urgent: 'false' })).toBe(false);
    expect(isUrgentNotice('interview_notice', {})).toBe(false);
    expect(isUrgentNotice('supervision_notice', { urgent: true })).toBe(false);
  });
});
