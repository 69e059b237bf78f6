import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { BattleMapController } from './api/battle-map.controller.js';
import { BattleMapRules } from './application/battle-map-rules.js';
import { BattleMapQuery } from './application/battle-map.query.js';
import { BattleMapRepository } from './persistence/battle-map.repository.js';

@Module({
  imports: [DirectoryModule],
  controllers: [BattleMapController],
  providers: [BattleMapRepository, BattleMapQuery, BattleMapRules],
})
export class BattleMapModule {}
