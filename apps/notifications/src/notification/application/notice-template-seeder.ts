import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { NOTICE_KINDS } from '@edu/contracts';
import { Clock } from '@edu/service';
import { NOTIFICATIONS_CONFIG, type NotificationsSettings } from '../../notifications.config.js';
import { effectiveTemplate, seedTemplates } from '../domain/notice-template.js';
import { NOTICE_TEMPLATES } from '../domain/notice-templates.js';
import { NoticeTemplateRepository } from '../persistence/notice-template.repository.js';

/**
 * Puts version 1 of every notice template (notice-templates.ts, SMS signed with
 * SMS_SIGN_NAME) into the table on first start. Later versions are the operations team's;
 * a version 1 already there is left as it is, so this is safe on every start and replica.
 */
@Injectable()
export class NoticeTemplateSeeder implements OnModuleInit {
  private readonly logger = new Logger(NoticeTemplateSeeder.name);
  private seeding?: Promise<void>;

  constructor(
    private readonly templates: NoticeTemplateRepository,
    private readonly clock: Clock,
    @Inject(NOTIFICATIONS_CONFIG) private readonly settings: NotificationsSettings,
  ) {}

  async onModuleInit() {
    // Not fatal here (the schema may still be migrating): a request waits for ready() anyway.
    await this.ready().catch((e: unknown) =>
      this.logger.warn(`notice templates not seeded yet: ${(e as Error).message}`),
    );
  }

  /** Resolves once the seed is in; requests wait for it rather than find no template. */
  ready(): Promise<void> {
    this.seeding ??= this.seed().catch((e: unknown) => {
      this.seeding = undefined;
      throw e;
    });
    return this.seeding;
  }

  private async seed(): Promise<void> {
    const added = await this.templates.insertMissing(seedTemplates(this.settings.smsSignName, randomUUID));
    if (added > 0) this.logger.log(`seeded ${added} notice templates (version 1)`);
    if (this.settings.smsProvider !== 'smpp') await this.warnOfPlaceholderCodes();
  }

  /** An HTTP provider refuses the seeded placeholder codes: say so at start, not per message. */
  private async warnOfPlaceholderCodes(): Promise<void> {
    const templates = await this.templates.list({ channel: 'sms' });
    const now = this.clock.now();
    for (const kind of NOTICE_KINDS) {
      const t = effectiveTemplate(templates, kind, 'sms', now);
      if (t && t.providerTemplateCode === NOTICE_TEMPLATES[kind].sms.providerTemplateCode) {
        this.logger.warn(
          `SMS template ${kind} in effect has the placeholder code ${t.providerTemplateCode}; ` +
            `${this.settings.smsProvider} will refuse it (and email stands in) until a version with ` +
            'the approved template code is added (POST /api/notice-templates)',
        );
      }
    }
  }
}
