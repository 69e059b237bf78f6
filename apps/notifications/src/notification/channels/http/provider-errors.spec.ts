import { aliyunFailure, aliyunPhone, AliyunSmsGateway } from './aliyun-sms-gateway.js';
import { tencentFailure, tencentPhone, TencentSmsGateway } from './tencent-sms-gateway.js';

const options = { url: 'http://127.0.0.1:1', accessKeyId: 'id', accessKeySecret: 'secret', region: 'r' };

describe('Aliyun SendSms error codes', () => {
  it.each([
    ['isv.BUSINESS_LIMIT_CONTROL', false],
    ['isv.DAY_LIMIT_CONTROL', false],
    ['isv.AMOUNT_NOT_ENOUGH', false],
    ['isp.SYSTEM_ERROR', false],
    ['Throttling.User', false],
    ['ServiceUnavailable', false],
    ['isv.MOBILE_NUMBER_ILLEGAL', true],
    ['isv.SMS_TEMPLATE_ILLEGAL', true],
    ['isv.SMS_SIGNATURE_ILLEGAL', true],
    ['isv.TEMPLATE_MISSING_PARAMETERS', true],
    ['isv.BLACK_KEY_CONTROL_LIMIT', true],
    ['isp.RAM_PERMISSION_DENY', true],
    ['SignatureDoesNotMatch', true],
    ['InvalidAccessKeyId.NotFound', true],
    ['SomethingNew', false],
  ])('%s is permanent: %s', (code, permanent) => {
    expect(aliyunFailure(code, 'x').permanent).toBe(permanent);
  });

  it('keeps numbers out of the reason', () => {
    expect(aliyunFailure('isv.MOBILE_NUMBER_ILLEGAL', '13800000001 is illegal').message).toBe(
      'aliyun isv.MOBILE_NUMBER_ILLEGAL: [number] is illegal',
    );
  });

  it('sends domestic numbers without +86, others with their country code', () => {
    expect(aliyunPhone('13800000001')).toBe('13800000001');
    expect(aliyunPhone('+8613800000001')).toBe('13800000001');
    expect(aliyunPhone('+85291234567')).toBe('85291234567');
  });

  it('reads an SmsReport push', () => {
    const gateway = new AliyunSmsGateway(options);
    expect(
      gateway.parseReports([
        { biz_id: '900619746936498440^0', success: true, err_code: 'DELIVERED', phone_number: '13800000001' },
        { biz_id: '900619746936498441^0', success: false, err_code: 'MK:0001' },
      ]),
    ).toEqual([
      { messageId: '900619746936498440^0', delivered: true, state: 'DELIVERED' },
      { messageId: '900619746936498441^0', delivered: false, state: 'MK:0001' },
    ]);
    expect(() => gateway.parseReports([{ success: true }])).toThrow(/biz_id/);
    expect(gateway.reportAnswer()).toEqual({ code: 0, msg: '成功' });
  });
});

describe('Tencent SendSms error codes', () => {
  it.each([
    ['LimitExceeded.PhoneNumberThirtySecondLimit', false],
    ['LimitExceeded.PhoneNumberDailyLimit', false],
    ['RequestLimitExceeded', false],
    ['InternalError.Timeout', false],
    ['FailedOperation.InsufficientBalanceInSmsPackage', false],
    ['FailedOperation.PhoneNumberInBlacklist', true],
    ['FailedOperation.TemplateIncorrectOrUnapproved', true],
    ['FailedOperation.SignatureIncorrectOrUnapproved', true],
    ['InvalidParameterValue.IncorrectPhoneNumber', true],
    ['InvalidParameterValue.TemplateParameterFormatError', true],
    ['AuthFailure.SignatureFailure', true],
    ['AuthFailure.SignatureExpire', false],
    ['UnauthorizedOperation.SmsSdkAppIdVerifyFail', true],
  ])('%s is permanent: %s', (code, permanent) => {
    expect(tencentFailure(code, 'x').permanent).toBe(permanent);
  });

  it('sends E.164 numbers', () => {
    expect(tencentPhone('13800000001')).toBe('+8613800000001');
    expect(tencentPhone('8613800000001')).toBe('+8613800000001');
    expect(tencentPhone('+85291234567')).toBe('+85291234567');
  });

  it('reads a status report callback', () => {
    const gateway = new TencentSmsGateway({ ...options, appId: '1400000000' });
    expect(
      gateway.parseReports([
        { sid: 'sid-1', report_status: 'SUCCESS', errmsg: 'DELIVRD', mobile: '13800000001' },
        { sid: 'sid-2', report_status: 'FAIL', errmsg: 'MI:0013' },
      ]),
    ).toEqual([
      { messageId: 'sid-1', delivered: true, state: 'DELIVRD' },
      { messageId: 'sid-2', delivered: false, state: 'MI:0013' },
    ]);
    expect(() => gateway.parseReports('nonsense')).toThrow(/array/);
    expect(gateway.reportAnswer()).toEqual({ result: 0, errmsg: 'OK' });
  });

  it('refuses to send a message without a registered template, for good', async () => {
    const gateway = new TencentSmsGateway({ ...options, appId: '1400000000' });
    await expect(gateway.send('13800000001', '约谈')).rejects.toMatchObject({ permanent: true });
  });
});
