import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '@edu/service';
import { defineTemplate, type NoticeTemplate, type TemplateDraft } from '../domain/notice-template.js';
import { NoticeTemplateRepository } from '../persistence/notice-template.repository.js';

/** Adds a version of a notice template (the operations team's wording change, or the provider's code). */
@Injectable()
export class DefineNoticeTemplateHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly templates: NoticeTemplateRepository,
    private readonly clock: Clock,
  ) {}

  execute(
    draft: Omit<TemplateDraft, 'effectiveFrom'> & { effectiveFrom?: Date },
    by: string,
  ): Promise<NoticeTemplate> {
    return this.dataSource.transaction(async (em) => {
      const now = this.clock.now();
      const latest = await this.templates.latestVersion(em, draft.kind, draft.channel);
      const template = defineTemplate({ ...draft, effectiveFrom: draft.effectiveFrom ?? now }, latest, {
        id: randomUUID(),
        createdBy: by,
        now,
      });
      await this.templates.insert(em, template);
      return template;
    });
  }
}
