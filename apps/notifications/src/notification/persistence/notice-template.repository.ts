import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Channel } from '@edu/contracts';
import type { NoticeTemplate } from '../domain/notice-template.js';
import { NoticeTemplateEntity } from './notification.entity.js';

function toDomain(row: NoticeTemplateEntity): NoticeTemplate {
  return { ...row };
}

@Injectable()
export class NoticeTemplateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every version of a kind and channel (all kinds and channels when not given), oldest first. */
  async list(
    filter: { kind?: string; channel?: Channel } = {},
    em: EntityManager = this.dataSource.manager,
  ): Promise<NoticeTemplate[]> {
    const rows = await em.getRepository(NoticeTemplateEntity).find({
      where: {
        ...(filter.kind ? { kind: filter.kind as never } : {}),
        ...(filter.channel ? { channel: filter.channel } : {}),
      },
      order: { kind: 'ASC', channel: 'ASC', version: 'ASC' },
    });
    return rows.map(toDomain);
  }

  /** The highest version number of a kind and channel (0: none), the row locked against a concurrent add. */
  async latestVersion(em: EntityManager, kind: string, channel: Channel): Promise<number> {
    // Serialises adds of one kind and channel; the unique key would refuse a duplicate anyway.
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`notice_template:${kind}:${channel}`]);
    const rows: { max: number | null }[] = await em.query(
      'SELECT max(version) AS max FROM notice_template WHERE kind = $1 AND channel = $2',
      [kind, channel],
    );
    return rows[0]?.max ?? 0;
  }

  async insert(em: EntityManager, t: NoticeTemplate): Promise<void> {
    await em.getRepository(NoticeTemplateEntity).insert({ ...t });
  }

  /** Inserts the versions not present yet (by kind, channel and version); returns how many. */
  async insertMissing(templates: NoticeTemplate[]): Promise<number> {
    if (templates.length === 0) return 0;
    const result = await this.dataSource
      .getRepository(NoticeTemplateEntity)
      .createQueryBuilder()
      .insert()
      .values(templates.map((t) => ({ ...t })))
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length;
  }
}
