import { CONCAT_PART_UNITS, splitForUcs2, ucs2, ucs2Payloads } from './sms-segments.js';

const zh = (n: number) => '督办约谈五原县学生资助'.repeat(30).slice(0, n);

describe('SMS splitting for UCS-2', () => {
  it('sends up to 70 characters as one part without a header', () => {
    const text = zh(70);
    expect(splitForUcs2(text)).toEqual([text]);
    const [payload] = ucs2Payloads(text, 7);
    expect(payload.length).toBe(140);
    expect(payload.subarray(0, 2)).toEqual(Buffer.from([0x77, 0x63])); // 督 U+7763, big-endian
  });

  it('splits 71 characters and more into 67-character parts', () => {
    expect(splitForUcs2(zh(71)).map((p) => p.length)).toEqual([67, 4]);
    expect(splitForUcs2(zh(100)).map((p) => p.length)).toEqual([67, 33]);
    expect(splitForUcs2(zh(134)).map((p) => p.length)).toEqual([67, 67]);
    expect(splitForUcs2(zh(135)).join('')).toBe(zh(135));
  });

  it('prefixes each part with a concatenation UDH: reference, total, sequence', () => {
    const text = zh(100);
    const payloads = ucs2Payloads(text, 0x1a2);
    expect(payloads).toHaveLength(2);
    expect([...payloads[0].subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 0xa2, 2, 1]);
    expect([...payloads[1].subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 0xa2, 2, 2]);
    expect(payloads[0].length).toBe(6 + CONCAT_PART_UNITS * 2);
    expect(payloads[0].length).toBeLessThanOrEqual(140);
    const back = payloads.map((p) => Buffer.from(p.subarray(6)).swap16().toString('utf16le')).join('');
    expect(back).toBe(text);
  });

  it('never splits a surrogate pair', () => {
    const text = `${'字'.repeat(66)}😀${'字'.repeat(10)}`;
    const parts = splitForUcs2(text);
    expect(parts[0]).toHaveLength(66);
    expect(parts[1].startsWith('😀')).toBe(true);
    expect(parts.join('')).toBe(text);
  });

  it('encodes as UTF-16 big-endian', () => {
    expect(ucs2('约A')).toEqual(Buffer.from([0x7e, 0xa6, 0x00, 0x41]));
  });
});
