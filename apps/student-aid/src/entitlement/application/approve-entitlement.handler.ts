import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import type { Entitlement } from '../domain/entitlement.js';
import { entitlementError } from '../domain/entitlement.errors.js';
import { EntitlementRepository } from '../persistence/entitlement.repository.js';

/** Maker-checker for a single grant prepared by a county operator. */
@Injectable()
export class ApproveEntitlementHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly entitlements: EntitlementRepository,
    private readonly clock: Clock,
  ) {}

  execute(id: string, by: Principal): Promise<Entitlement> {
    return this.dataSource.transaction(async (em) => {
      const e = await this.entitlements.byIdForUpdate(em, id);
      if (!e) throw entitlementError.notFound();
      e.approve(by, this.clock.now());
      await this.entitlements.save(em, e);
      return e;
    });
  }
}
