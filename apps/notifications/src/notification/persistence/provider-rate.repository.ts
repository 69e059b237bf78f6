import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RateWindow } from '../domain/rate-window.js';
import { ProviderRateWindowEntity } from './notification.entity.js';

/** The current one-second window of each provider, shared by every dispatcher through a row lock. */
@Injectable()
export class ProviderRateRepository {
  /** The provider's window, locked until the transaction ends (created on first use). */
  async lock(em: EntityManager, provider: string): Promise<RateWindow> {
    const repo = em.getRepository(ProviderRateWindowEntity);
    await repo
      .createQueryBuilder()
      .insert()
      .values({ provider, windowStart: new Date(0), used: 0 })
      .orIgnore()
      .execute();
    const row = await repo
      .createQueryBuilder('w')
      .where('w.provider = :provider', { provider })
      .setLock('pessimistic_write')
      .getOneOrFail();
    return { windowStart: row.windowStart, used: row.used };
  }

  async save(em: EntityManager, provider: string, window: RateWindow): Promise<void> {
    await em.getRepository(ProviderRateWindowEntity).update({ provider }, { ...window });
  }
}
