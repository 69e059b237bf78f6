/** A Postgres unique violation (23505) of the named constraint or index, however TypeORM wrapped it. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const pg = e.driverError ?? e;
  return pg.code === '23505' && pg.constraint === constraint;
}
