import { Body, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@edu/auth';
import { AcceptSmsReportsHandler } from '../application/accept-sms-reports.handler.js';

/**
 * Where Aliyun (SmsReport) and Tencent Cloud (status callback) push delivery receipts:
 * `POST /api/sms-receipts/<provider>?token=<SMS_RECEIPT_TOKEN>`. The providers cannot send
 * our bearer tokens, so the shared secret in the URL is the authentication.
 */
@ApiExcludeController()
@Controller('api')
export class SmsReceiptController {
  constructor(private readonly reports: AcceptSmsReportsHandler) {}

  @Post('sms-receipts/:provider')
  @Public()
  @HttpCode(200)
  push(
    @Param('provider') provider: string,
    @Query('token') token: string | undefined,
    @Body() body: unknown,
  ) {
    return this.reports.execute(provider, token, body);
  }
}
