import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@edu/auth';
import {
  ImportRunner,
  type ImportKind,
  type ImportSummary,
  type RowProblem,
  type Upload,
} from '@edu/imports';
import { RunCrosscheckHandler } from '../../crosscheck/application/run-crosscheck.handler.js';
import type { CrosscheckSummary } from '../../crosscheck/persistence/crosscheck.repository.js';
import { DROPOUT_CONTROL_CONFIG, type DropoutControlConfig } from '../../dropout-control.config.js';
import { povertyRegistryImport } from '../persistence/poverty-registry.import-kind.js';
import { studentRegistryImport } from '../persistence/student-registry.import-kind.js';

export type Registry = 'students' | 'poverty';

/** Rejected rows listed in the response; all of them are at GET /api/imports/{id}?errorsOffset=… */
const REJECTED_IN_RESPONSE = 10_000;

export interface RegistryImportResult extends ImportSummary {
  /** Rejected rows by line, field and reason (for a duplicate file: those of the import it repeats). */
  rejected: RowProblem[];
  /** The cross-check run after the import; null when the file changed nothing (a duplicate). */
  crosscheck: CrosscheckSummary | null;
}

/**
 * Imports a registry file (streamed, every row checked, loaded set-wise), then runs the
 * cross-check so new dropouts get their cases at once.
 */
@Injectable()
export class ImportRegistryHandler {
  constructor(
    private readonly runner: ImportRunner,
    private readonly crosscheck: RunCrosscheckHandler,
    @Inject(DROPOUT_CONTROL_CONFIG) private readonly config: DropoutControlConfig,
  ) {}

  async execute(
    registry: Registry,
    upload: Upload,
    by: Principal,
    importId?: string,
  ): Promise<RegistryImportResult> {
    // A kind per import: it screens the file for repeated ID numbers as it streams.
    const kind = (
      registry === 'students'
        ? studentRegistryImport(this.config.cityCode)
        : povertyRegistryImport(this.config.cityCode)
    ) as ImportKind<unknown>;
    const summary = await this.runner.run(kind, upload, by, {
      importId,
      maxRows: this.config.importMaxRows,
    });
    const rejected = await this.runner.rejectedRows(
      summary.duplicateOf ?? summary.id,
      REJECTED_IN_RESPONSE,
      0,
    );
    if (summary.status !== 'completed') return { ...summary, rejected, crosscheck: null };
    const crosscheck = await this.crosscheck.execute({ trigger: 'import', importId: summary.id }, by);
    return { ...summary, rejected, crosscheck };
  }
}
