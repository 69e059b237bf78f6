import { createHash } from 'node:crypto';
import { tc3CanonicalRequest, tc3Signature } from './tencent-signature.js';

// The worked example of Tencent Cloud's TC3-HMAC-SHA256 documentation (CVM DescribeInstances).
const payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
const headers = { 'Content-Type': 'application/json; charset=utf-8', Host: 'cvm.tencentcloudapi.com' };

describe('Tencent Cloud TC3-HMAC-SHA256', () => {
  it('reproduces the documented canonical request, string to sign and signature', () => {
    const { canonical, signedHeaders } = tc3CanonicalRequest(headers, payload);
    expect(signedHeaders).toBe('content-type;host');
    expect(canonical).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n' +
        'content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(createHash('sha256').update(canonical).digest('hex')).toBe(
      '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    const signed = tc3Signature({
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
      service: 'cvm',
      headers,
      payload,
      timestamp: 1551113065,
    });
    expect(signed.stringToSign).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n' +
        '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(signed.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(signed.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('dates the scope in UTC, not local time', () => {
    // 00:44 on 26 February in Beijing is still the 25th in UTC.
    const { stringToSign } = tc3Signature({
      secretId: 'id',
      secretKey: 'key',
      service: 'sms',
      headers,
      payload: '{}',
      timestamp: Date.parse('2019-02-26T00:44:25+08:00') / 1000,
    });
    expect(stringToSign.split('\n')[2]).toBe('2019-02-25/sms/tc3_request');
  });
});
