import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * An HTTP stub of Aliyun's and Tencent Cloud's SMS `SendSms` APIs on 127.0.0.1, for tests.
 * It checks every request's signature with its own implementation of the documented schemes
 * (written apart from the service's, so a mistake in one is not mirrored in the other),
 * answers in the provider's shapes, and keeps what it was asked to send.
 */

export type StubProvider = 'aliyun' | 'tencent';

export interface StubSms {
  provider: StubProvider;
  /** As sent: Aliyun without +86, Tencent E.164. */
  phone: string;
  signName: string;
  templateCode: string;
  /** Aliyun: the TemplateParam object; Tencent: the TemplateParamSet array. */
  params: Record<string, string> | string[];
  /** Aliyun OutId / Tencent SessionContext. */
  reference: string;
  /** The id the stub answered (BizId / SerialNo), or '' when it refused. */
  messageId: string;
  code: string;
}

export interface SmsApiStubOptions {
  provider: StubProvider;
  accessKeyId: string;
  accessKeySecret: string;
  /** Tencent: the SmsSdkAppId the account has. */
  appId?: string;
  /** The error code to answer for a message (undefined: accept it). */
  respond?: (sms: Omit<StubSms, 'messageId' | 'code'>) => string | undefined;
  /** Answer with this HTTP status and a non-JSON body instead (a broken gateway). */
  brokenStatus?: () => number | undefined;
}

/** The documented rule: only A-Z a-z 0-9 - _ . ~ stay as they are, every other byte is %XX. */
function strictEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function aliyunExpectedSignature(secret: string, params: Map<string, string>): string {
  const canonical = [...params.entries()]
    .filter(([k]) => k !== 'Signature')
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map(([k, v]) => `${strictEncode(k)}=${strictEncode(v)}`)
    .join('&');
  const stringToSign = `POST&${strictEncode('/')}&${strictEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

function tencentExpectedSignature(
  secret: string,
  req: IncomingMessage,
  body: string,
  auth: { date: string; service: string; signedHeaders: string[] },
  timestamp: string,
): string {
  const hex = (s: string) => createHash('sha256').update(s).digest('hex');
  const canonicalHeaders = auth.signedHeaders
    .map(
      (h) =>
        `${h}:${String(req.headers[h] ?? '')
          .trim()
          .toLowerCase()}\n`,
    )
    .join('');
  const canonicalRequest = `POST\n/\n\n${canonicalHeaders}\n${auth.signedHeaders.join(';')}\n${hex(body)}`;
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${auth.date}/${auth.service}/tc3_request\n${hex(canonicalRequest)}`;
  const kDate = createHmac('sha256', `TC3${secret}`).update(auth.date).digest();
  const kService = createHmac('sha256', kDate).update(auth.service).digest();
  const kSigning = createHmac('sha256', kService).update('tc3_request').digest();
  return createHmac('sha256', kSigning).update(stringToSign).digest('hex');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SmsApiStub {
  readonly sent: StubSms[] = [];
  /** Requests refused for their signature (or credentials). */
  readonly badSignatures: string[] = [];
  private readonly nonces = new Set<string>();
  private next = 1;
  private readonly server: Server;

  private constructor(private readonly options: SmsApiStubOptions) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          this.handle(req, body, res);
        } catch (e) {
          res.writeHead(500).end(String(e));
        }
      });
    });
  }

  static async start(options: SmsApiStubOptions): Promise<SmsApiStub> {
    const stub = new SmsApiStub(options);
    await new Promise<void>((resolve) => stub.server.listen(0, '127.0.0.1', resolve));
    return stub;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' }).end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const broken = this.options.brokenStatus?.();
    if (broken) {
      res.writeHead(broken, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
      return;
    }
    if (req.method !== 'POST') return this.json(res, 405, { error: 'POST only' });
    if (this.options.provider === 'aliyun') this.aliyun(req, body, res);
    else this.tencent(req, body, res);
  }

  private aliyun(req: IncomingMessage, body: string, res: ServerResponse): void {
    const requestId = `REQ-${this.next}`;
    const form = new URLSearchParams(body);
    const params = new Map([...form.entries()]);
    const wrong = (Code: string, Message: string, status = 400) => {
      this.json(res, status, { RequestId: requestId, Code, Message });
    };
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      return wrong('InvalidParameter', 'form body expected');
    }
    for (const required of [
      'AccessKeyId',
      'Action',
      'Format',
      'SignatureMethod',
      'SignatureNonce',
      'SignatureVersion',
      'Timestamp',
      'Version',
      'Signature',
      'PhoneNumbers',
      'SignName',
      'TemplateCode',
    ]) {
      if (!params.get(required)) return wrong(`MissingParameter`, `${required} is mandatory`);
    }
    if (params.get('Action') !== 'SendSms' || params.get('Version') !== '2017-05-25') {
      return wrong('InvalidAction.NotFound', 'Specified api is not found');
    }
    if (params.get('SignatureMethod') !== 'HMAC-SHA1' || params.get('SignatureVersion') !== '1.0') {
      return wrong('InvalidParameter', 'signature method');
    }
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(params.get('Timestamp') ?? '')) {
      return wrong('InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
    }
    if (params.get('AccessKeyId') !== this.options.accessKeyId) {
      this.badSignatures.push('unknown AccessKeyId');
      return wrong('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404);
    }
    const expected = aliyunExpectedSignature(this.options.accessKeySecret, params);
    if (!same(expected, params.get('Signature') ?? '')) {
      this.badSignatures.push('signature');
      return wrong('SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    }
    const nonce = params.get('SignatureNonce') ?? '';
    if (this.nonces.has(nonce))
      return wrong('SignatureNonceUsed', 'Specified signature nonce was used already.');
    this.nonces.add(nonce);
    const sms = {
      provider: 'aliyun' as const,
      phone: params.get('PhoneNumbers') ?? '',
      signName: params.get('SignName') ?? '',
      templateCode: params.get('TemplateCode') ?? '',
      params: JSON.parse(params.get('TemplateParam') ?? '{}') as Record<string, string>,
      reference: params.get('OutId') ?? '',
    };
    const code = this.options.respond?.(sms);
    if (code) {
      this.sent.push({ ...sms, messageId: '', code });
      return this.json(res, 200, { RequestId: requestId, Code: code, Message: `refused: ${code}` });
    }
    // 18 digits and a caret, like Aliyun's own.
    const bizId = `9006197469364${String(this.next++).padStart(5, '0')}^0`;
    this.sent.push({ ...sms, messageId: bizId, code: 'OK' });
    this.json(res, 200, { RequestId: requestId, Code: 'OK', Message: 'OK', BizId: bizId });
  }

  private tencent(req: IncomingMessage, body: string, res: ServerResponse): void {
    const requestId = `req-${this.next}`;
    const error = (Code: string, Message: string) =>
      this.json(res, 200, { Response: { Error: { Code, Message }, RequestId: requestId } });
    if (req.headers['x-tc-action'] !== 'SendSms' || req.headers['x-tc-version'] !== '2021-01-11') {
      return error('InvalidAction', 'action or version');
    }
    const timestamp = String(req.headers['x-tc-timestamp'] ?? '');
    const m =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d\d-\d\d)\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        String(req.headers.authorization ?? ''),
      );
    if (!m) return error('AuthFailure.InvalidAuthorization', 'Authorization is malformed');
    const [, secretId, date, service, signedHeaders, signature] = m;
    const headers = signedHeaders.split(';');
    if (!headers.includes('content-type') || !headers.includes('host') || service !== 'sms') {
      return error('AuthFailure.InvalidAuthorization', 'content-type and host must be signed');
    }
    if (new Date(Number(timestamp) * 1000).toISOString().slice(0, 10) !== date) {
      return error('AuthFailure.InvalidAuthorization', 'credential date does not match the timestamp');
    }
    if (secretId !== this.options.accessKeyId) {
      this.badSignatures.push('unknown SecretId');
      return error('AuthFailure.SecretIdNotFound', 'The SecretId is not found');
    }
    const expected = tencentExpectedSignature(
      this.options.accessKeySecret,
      req,
      body,
      { date, service, signedHeaders: headers },
      timestamp,
    );
    if (!same(expected, signature)) {
      this.badSignatures.push('signature');
      return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    }
    const payload = JSON.parse(body) as {
      PhoneNumberSet?: string[];
      SmsSdkAppId?: string;
      SignName?: string;
      TemplateId?: string;
      TemplateParamSet?: string[];
      SessionContext?: string;
    };
    if (payload.SmsSdkAppId !== this.options.appId) {
      return error('UnauthorizedOperation.SmsSdkAppIdVerifyFail', 'SmsSdkAppId verify fail');
    }
    const set = (payload.PhoneNumberSet ?? []).map((phone) => {
      const sms = {
        provider: 'tencent' as const,
        phone,
        signName: payload.SignName ?? '',
        templateCode: payload.TemplateId ?? '',
        params: payload.TemplateParamSet ?? [],
        reference: payload.SessionContext ?? '',
      };
      const code = this.options.respond?.(sms);
      const serialNo = code ? '' : `2640:${1000000 + this.next++}`;
      this.sent.push({ ...sms, messageId: serialNo, code: code ?? 'Ok' });
      return {
        SerialNo: serialNo,
        PhoneNumber: phone,
        Fee: code ? 0 : 1,
        SessionContext: sms.reference,
        Code: code ?? 'Ok',
        Message: code ? `refused: ${code}` : 'send success',
        IsoCode: 'CN',
      };
    });
    this.json(res, 200, { Response: { SendStatusSet: set, RequestId: requestId } });
  }
}
