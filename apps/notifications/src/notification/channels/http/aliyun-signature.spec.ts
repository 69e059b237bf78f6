import {
  aliyunCanonicalQuery,
  aliyunPercentEncode,
  aliyunSignature,
  aliyunStringToSign,
  aliyunTimestamp,
} from './aliyun-signature.js';

// The worked example of Aliyun's RPC signature documentation (ECS DescribeRegions, secret "testsecret").
const documented: Record<string, string> = {
  AccessKeyId: 'testid',
  Action: 'DescribeRegions',
  Format: 'XML',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
  SignatureVersion: '1.0',
  Timestamp: '2016-02-23T12:46:24Z',
  Version: '2014-05-26',
};

describe('Aliyun RPC signature (HMAC-SHA1)', () => {
  it('reproduces the documented string to sign and signature', () => {
    expect(aliyunStringToSign('GET', documented)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML' +
        '%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf' +
        '%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
    expect(aliyunSignature('testsecret', 'GET', documented)).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('encodes everything but A-Z a-z 0-9 - _ . ~, Chinese as UTF-8, and sorts by name', () => {
    expect(aliyunPercentEncode("a b*c~d!'()")).toBe('a%20b%2Ac~d%21%27%28%29');
    expect(aliyunPercentEncode('教育局')).toBe('%E6%95%99%E8%82%B2%E5%B1%80');
    expect(aliyunCanonicalQuery({ b: '2', A: '1', a: '3' })).toBe('A=1&a=3&b=2');
  });

  it('stamps whole seconds in UTC', () => {
    expect(aliyunTimestamp(new Date('2020-06-01T08:30:00.123+08:00'))).toBe('2020-06-01T00:30:00Z');
  });
});
