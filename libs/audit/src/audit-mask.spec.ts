import { auditJson, isSecretKey, maskForAudit, maskSecretsInText, SECRET_MASK } from './audit-mask.js';

describe('the audit log keeps no credentials', () => {
  it('knows secret-like keys, and leaves ordinary ones', () => {
    for (const key of [
      'token',
      'access_token',
      'X-Api-Key',
      'apiKey',
      'AccessKeyId',
      'client_secret',
      'password',
      'pwd',
      'Signature',
      'sig',
      'authorization',
      'Cookie',
      'key',
    ]) {
      expect([key, isSecretKey(key)]).toEqual([key, true]);
    }
    for (const key of ['studentKey', 'county', 'provider', 'name', 'status', 'keyword', 'signName', 'id']) {
      expect([key, isSecretKey(key)]).toEqual([key, false]);
    }
  });

  it('masks a receipt push: the token query parameter, repeated or not, and headers', () => {
    const stored = auditJson({
      params: { provider: 'aliyun' },
      query: { token: 'receipt-token-0123456789', other: ['a'], again: { token: ['x', 'y'] } },
      headers: { authorization: 'Bearer eyJhbGciOi.abc.def', 'x-api-key': 'k-123' },
      body: [{ phone_number: '13900000001', biz_id: '123^0', success: true }],
    });
    expect(stored).toEqual({
      params: { provider: 'aliyun' },
      query: { token: SECRET_MASK, other: ['a'], again: { token: SECRET_MASK } },
      headers: { authorization: SECRET_MASK, 'x-api-key': SECRET_MASK },
      body: [{ phone_number: '13900000001', biz_id: '123^0', success: true }],
    });
    expect(JSON.stringify(stored)).not.toContain('receipt-token');
  });

  it('masks credentials written into text: query strings, name: value pairs, bearer tokens', () => {
    expect(maskSecretsInText('/api/sms-receipts/aliyun?token=abc123&x=1')).toBe(
      `/api/sms-receipts/aliyun?token=${SECRET_MASK}&x=1`,
    );
    expect(maskSecretsInText('https://h/cb?AccessKeyId=LTAI5&Signature=zz%3D&SignName=edu')).toBe(
      `https://h/cb?AccessKeyId=${SECRET_MASK}&Signature=${SECRET_MASK}&SignName=edu`,
    );
    expect(maskSecretsInText('login password: hunter2, user: a')).toBe(
      `login password: ${SECRET_MASK}, user: a`,
    );
    expect(maskSecretsInText('Authorization: Bearer eyJ.a.b')).toBe(`Authorization: Bearer ${SECRET_MASK}`);
    expect(maskSecretsInText('studentKey=ab12 county=150821 monkey=3')).toBe(
      'studentKey=ab12 county=150821 monkey=3',
    );
  });

  it('still masks ID numbers and names beside the secrets', () => {
    const masked = maskForAudit({
      name: '张三丰',
      token: 'zzzzzzzzzzzzzzzz',
      note: '150802201103041234 ok',
    }) as Record<string, unknown>;
    expect({ ...masked }).toEqual({ name: '张**', token: SECRET_MASK, note: '150802********1234 ok' });
  });
});
