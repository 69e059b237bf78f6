import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { countyScope, type Principal } from '@edu/auth';
import {
  DomainError,
  studentKeyOf,
  type DomainEvent,
  type EventEnvelope,
  type EventKey,
  type EventMap,
} from '@edu/contracts';
import { Outbox, type OutboxMeta } from '@edu/messaging';
import { histogram } from '@edu/observability';
import { Clock } from '@edu/service';
import { CaseMoments } from '../../dropout-case/application/case-moment.js';
import { DropoutCase, type CaseMoment } from '../../dropout-case/domain/dropout-case.js';
import { moreSevere } from '../../dropout-case/domain/placement.js';
import {
  DropoutCaseRepository,
  openingOf,
  type CaseOpening,
} from '../../dropout-case/persistence/dropout-case.repository.js';
import { DROPOUT_CONTROL_CONFIG, type DropoutControlConfig } from '../../dropout-control.config.js';
import { crosscheckError, cutoffOf, schoolYearOn, type CrosscheckAction } from '../domain/school-age.js';
import {
  CrosscheckRepository,
  type CrosscheckSummary,
  type OpenCandidate,
  type RunRow,
} from '../persistence/crosscheck.repository.js';
import { newRunId } from '../persistence/run-id.js';

export interface RunCrosscheckCommand {
  schoolYear?: number;
  trigger: 'request' | 'import';
  importId?: string;
}

/** Cases opened or reopened per transaction batch: each batch through the aggregate, saved set-wise. */
const BATCH = 5000;
/** Child-level ledgers kept (the counts of every run are kept). */
const KEEP_RUNS = 5;

/** A batch of new cases, built ahead of writing them. */
interface OpenBatch {
  opened: { dropoutCase: DropoutCase; events: DomainEvent[] }[];
  statement: CaseOpening | null;
  /** The opened cases' events, built with the batch (written for the cases the statement inserted). */
  envelopes: EventEnvelope[];
}

const phaseSeconds = histogram(
  'dropout_crosscheck_phase_seconds',
  'Duration of each phase of a cross-check run',
  ['phase'],
  [0.05, 0.1, 0.5, 1, 5, 15, 60],
);

/** Times one phase of a run. */
async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const end = phaseSeconds.startTimer({ phase: name });
  try {
    return await work();
  } finally {
    end();
  }
}

const runSeconds = histogram(
  'dropout_crosscheck_seconds',
  'Duration of cross-check runs',
  ['outcome'],
  [0.1, 0.5, 1, 5, 15, 60, 300],
);

/**
 * A cross-check run (数据比对): builds the ledgers of school-age children, suspected and
 * confirmed dropouts in set-based SQL, opens a case for each new confirmed dropout and
 * reopens the case of a child seen out of school again — both through the DropoutCase
 * aggregate, in batches — then counts per county and emits each relocation site's demand.
 * The whole run is one transaction: its cases, counts and events commit together or not at all.
 */
@Injectable()
export class RunCrosscheckHandler {
  private readonly logger = new Logger(RunCrosscheckHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: CrosscheckRepository,
    private readonly cases: DropoutCaseRepository,
    private readonly outbox: Outbox,
    private readonly moments: CaseMoments,
    private readonly clock: Clock,
    @Inject(DROPOUT_CONTROL_CONFIG) private readonly config: DropoutControlConfig,
  ) {}

  /**
   * Runs the cross-check. A run requested directly throws when it fails; a run after an
   * import reports its failure in the summary, since the import itself has committed.
   */
  async execute(cmd: RunCrosscheckCommand, by: Principal): Promise<CrosscheckSummary> {
    const schoolYear = cmd.schoolYear ?? schoolYearOn(this.clock.today());
    const run: RunRow = {
      id: newRunId(),
      trigger: cmd.trigger,
      importId: cmd.importId ?? null,
      schoolYear,
      cutoff: cutoffOf(schoolYear),
      scope: countyScope(by) ?? null,
      startedBy: by.sub,
    };
    const started = process.hrtime.bigint();
    await this.runs.start(run);
    try {
      await this.dataSource.transaction((em) => this.work(em, run, by));
      runSeconds.observe({ outcome: 'completed' }, Number(process.hrtime.bigint() - started) / 1e9);
      await this.prune();
    } catch (e) {
      runSeconds.observe({ outcome: 'failed' }, Number(process.hrtime.bigint() - started) / 1e9);
      const message = e instanceof DomainError ? e.message : 'cross-check failed';
      if (!(e instanceof DomainError))
        this.logger.error(`cross-check ${run.id} failed: ${(e as Error).message}`);
      await this.runs.fail(run.id, message);
      if (cmd.trigger === 'request') throw e;
    }
    return (await this.runs.summary(run.id)) as CrosscheckSummary;
  }

  private async work(em: EntityManager, run: RunRow, by: Principal): Promise<void> {
    await this.runs.lock(em);
    const policy = await this.runs.policyOn(em, run.cutoff);
    if (!policy) throw crosscheckError.noPolicy(run.cutoff);
    await phase('ledger', () => this.runs.buildLedger(em, run, policy));
    const at = this.moments.at(by);
    await phase('open', () => this.openCases(em, run, at));
    await phase('reopen', () => this.reopenCases(em, run, at));
    await phase('count', () => this.runs.countPerCounty(em, run.id));
    const sites = await phase('demand', () => this.runs.relocationDemand(em, run, policy));
    const measuredAt = at.now.toISOString();
    await this.addEvents(
      em,
      sites.map((s) => ({
        key: 'dropout.relocation-demand.v1' as const,
        data: {
          crosscheckId: run.id,
          siteCode: s.siteCode,
          countyCode: s.countyCode,
          schoolYear: String(run.schoolYear),
          preschool: s.preschool,
          primary: s.primary,
          junior: s.junior,
          measuredAt,
        },
        meta: { subject: s.siteCode, county: s.countyCode },
      })),
    );
    await this.runs.complete(em, run.id, policy, sites.length);
  }

  /**
   * Drops the child-level ledgers of runs past the latest KEEP_RUNS, once the run has
   * committed. A failure is logged and left for the next run's prune.
   */
  private async prune(): Promise<void> {
    try {
      await phase('prune', () => this.runs.pruneLedgers(KEEP_RUNS));
    } catch (e) {
      this.logger.warn(`pruning old ledgers failed, left for the next run: ${(e as Error).message}`);
    }
  }

  /**
   * New confirmed dropouts: a case each, opened by the aggregate, `dropout.case.opened` once
   * per case. The next batch's candidates are read before a batch's cases are written, so
   * that Node builds the next batch's cases while Postgres writes this one's (one statement
   * at a time on the run's connection, as always).
   */
  private async openCases(em: EntityManager, run: RunRow, at: CaseMoment): Promise<void> {
    const candidates = this.runs.openCandidates(em, run.id, BATCH);
    const first = await candidates.next();
    let batch = first.done ? null : this.openBatch(first.value, run, at);
    while (batch !== null) {
      const following = await candidates.next();
      const writing = this.cases.insertOpening(em, batch.statement);
      let next: OpenBatch | null = null;
      try {
        // Builds the next batch once the statement is on its way (sent when the pending
        // promise callbacks have run, before the next turn of the event loop).
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!following.done) next = this.openBatch(following.value, run, at);
      } catch (e) {
        await writing.catch(() => undefined);
        throw e;
      }
      const inserted = await writing;
      await this.outbox.addEnvelopes(
        em,
        batch.envelopes.filter((e) => inserted.has(e.subject)),
      );
      await this.runs.linkTracked(
        em,
        run.id,
        batch.opened
          .filter((o) => !inserted.has(o.dropoutCase.state.id))
          .map((o) => o.dropoutCase.state.studentIdNumber),
      );
      batch = next;
    }
  }

  /** A batch of candidates opened by the aggregate, and the statement that writes them. */
  private openBatch(children: OpenCandidate[], run: RunRow, at: CaseMoment): OpenBatch {
    const opened = children.map((child) => this.open(child, run, at));
    // Envelopes too, while the previous batch's statement runs: about 80 ms of Node a batch.
    const envelopes = this.outbox.envelopes(
      opened.flatMap((o) =>
        o.events.map((e) => ({
          key: e.key,
          data: e.data,
          meta: { subject: o.dropoutCase.state.id, county: o.dropoutCase.state.countyCode },
        })),
      ),
    );
    return { opened, statement: openingOf(opened.map((o) => o.dropoutCase)), envelopes };
  }

  private open(child: OpenCandidate, run: RunRow, at: CaseMoment) {
    return DropoutCase.open(
      {
        id: child.caseId,
        studentKey: studentKeyOf(child.idNumber, this.config.studentKeySecret),
        studentIdNumber: child.idNumber,
        name: child.name,
        countyCode: child.countyCode,
        schoolCode: child.schoolCode ?? '',
        registeredPoor: child.povertyStatus === 'registered_poor',
        householdId: child.householdId,
        township: child.township,
        village: child.village,
        disabilityLevel: moreSevere(child.povertyDisability, child.studentDisability ?? 'none'),
        source: 'crosscheck',
        finding: child.finding,
        crosscheckId: run.id,
      },
      at,
    );
  }

  /** Children back in school seen out of school again: the aggregate reopens their case. */
  private async reopenCases(em: EntityManager, run: RunRow, at: CaseMoment): Promise<void> {
    let after = '';
    for (;;) {
      const batch = await this.runs.reopenCandidates(em, run.id, after, BATCH);
      if (batch.length === 0) return;
      after = batch[batch.length - 1].idNumber;
      const locked = new Map(
        (
          await this.cases.findManyForUpdate(
            em,
            batch.map((b) => b.caseId),
          )
        ).map((c) => [c.state.id, c]),
      );
      const actions: { idNumber: string; action: CrosscheckAction }[] = [];
      for (const child of batch) {
        const c = locked.get(child.caseId);
        if (!c) continue;
        let events;
        try {
          events = c.reopen(child.finding, at, run.id);
        } catch (e) {
          // Changed since the ledger was read (resolved otherwise, or already open again).
          if (!(e instanceof DomainError)) throw e;
          const open = ['opened', 'verified', 'plan'].includes(c.state.state);
          actions.push({ idNumber: child.idNumber, action: open ? 'tracked' : 'explained' });
          continue;
        }
        await this.cases.save(em, c);
        await this.outbox.addEvents(em, events, { subject: c.state.id, county: c.state.countyCode });
      }
      await this.runs.setActions(em, run.id, actions);
      if (batch.length < BATCH) return;
    }
  }

  private async addEvents(
    em: EntityManager,
    events: { key: EventKey; data: EventMap[EventKey]; meta: OutboxMeta }[],
  ): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH) await this.outbox.addMany(em, events.slice(i, i + BATCH));
  }
}
