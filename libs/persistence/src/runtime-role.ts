import { identifier } from './database.js';

/** The database role a service runs as, when it is not the owner that runs the migrations. */
export interface RuntimeRole {
  name: string;
  /** Set on the role when the migration creates it (or may alter it): for password authentication. */
  password?: string;
}

/**
 * Tables the runtime role may only read and append to, whoever else owns what: it gets SELECT and
 * INSERT on them and the use of their sequences, never UPDATE, DELETE, TRUNCATE or ownership.
 */
export const APPEND_ONLY_TABLES: readonly string[] = ['audit_log'];

/** Kept by the owner, no rights for the runtime role: the record of which migrations ran. */
const OWNER_ONLY_TABLES: readonly string[] = ['migrations'];

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The role named by a connection URL's user part, with its password if it has one. */
export function runtimeRoleOf(runtimeUrl: string | undefined): RuntimeRole | undefined {
  if (!runtimeUrl) return undefined;
  const u = new URL(runtimeUrl);
  const name = decodeURIComponent(u.username);
  if (!name) return undefined;
  return { name, ...(u.password ? { password: decodeURIComponent(u.password) } : {}) };
}

async function rows<T>(q: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await q.query(sql, params)) as T[];
}

const codeOf = (e: unknown) => (e as { code?: string }).code;

/**
 * Run by the owner after the migrations, under their lock: makes `role` able to run the service
 * and unable to rewrite the audit trail. The role is created (LOGIN, no other attribute) if it
 * does not exist and the owner may create roles. It becomes the owner of the service's tables,
 * views and sequences (the services alter and analyse their own tables: a registry's first load
 * drops and rebuilds its key), while the schema, the database, the migrations table and the
 * append-only tables stay the owner's; on those it gets SELECT and INSERT only. It is then no
 * owner and no member of an owner of the audit log, so it can neither change its rows nor
 * disable or drop its triggers. The owner joins the role, so later migrations may still alter
 * the tables it owns. Returns false, doing nothing, when the role is the owner itself.
 */
export async function grantRuntimeRole(
  q: Queryable,
  schema: string | undefined,
  role: RuntimeRole,
): Promise<boolean> {
  const name = identifier(role.name, 'runtime role');
  const ns = identifier(schema ?? 'public', 'schema');
  const [me] = await rows<{ me: string; su: boolean; db: string }>(
    q,
    `SELECT current_user AS me, rolsuper AS su, current_database() AS db FROM pg_roles WHERE rolname = current_user`,
  );
  if (me.me === name) return false;
  await ensureRole(q, name, role.password);
  const [r] = await rows<{
    su: boolean;
    bypass: boolean;
    owner_member: boolean;
    owns_db: boolean;
    owns_ns: boolean;
  }>(
    q,
    `SELECT rolsuper AS su, rolbypassrls AS bypass,
            pg_has_role($1, current_user, 'MEMBER') AS owner_member,
            pg_has_role($1, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER') AS owns_db,
            pg_has_role($1, (SELECT nspowner FROM pg_namespace WHERE nspname = $2), 'MEMBER') AS owns_ns
       FROM pg_roles WHERE rolname = $1`,
    [name, ns],
  );
  const problem = r.su
    ? 'is a superuser'
    : r.owner_member
      ? `is a member of the owner ${me.me}`
      : r.owns_db
        ? `owns (or is a member of the owner of) database ${me.db}`
        : r.owns_ns
          ? `owns (or is a member of the owner of) schema ${ns}`
          : undefined;
  if (problem) throw new Error(`runtime role ${name} ${problem}: it could rewrite the audit log`);
  if (!me.su) {
    const [joined] = await rows<{ m: boolean }>(q, `SELECT pg_has_role(current_user, $1, 'MEMBER') AS m`, [
      name,
    ]);
    if (!joined.m) await q.query(`GRANT "${name}" TO CURRENT_USER`);
  }
  // CREATE too: a registry's first load rebuilds its primary key, and an index is created in the
  // schema. It does not let the role alter or drop what it does not own (the audit log).
  await q.query(`GRANT USAGE, CREATE ON SCHEMA "${ns}" TO "${name}"`);

  const kept = [...APPEND_ONLY_TABLES, ...OWNER_ONLY_TABLES];
  // Sequences owned by a column move with their table; only free-standing ones are listed.
  const objects = await rows<{ relname: string; relkind: string }>(
    q,
    `SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
        AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = $2)
        AND NOT (c.relname = ANY($3::text[]))
        AND NOT (c.relkind = 'S' AND EXISTS (
          SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
             AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
      ORDER BY c.relname`,
    [ns, name, kept],
  );
  const kind: Record<string, string> = {
    r: 'TABLE',
    p: 'TABLE',
    v: 'VIEW',
    m: 'MATERIALIZED VIEW',
    f: 'FOREIGN TABLE',
    S: 'SEQUENCE',
  };
  for (const o of objects) {
    await q.query(`ALTER ${kind[o.relkind]} "${ns}"."${o.relname}" OWNER TO "${name}"`);
  }

  for (const table of APPEND_ONLY_TABLES) {
    const found = await rows<{ owner: string }>(
      q,
      `SELECT pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
      [ns, table],
    );
    if (found.length === 0) continue;
    if (found[0].owner === name) await q.query(`ALTER TABLE "${ns}"."${table}" OWNER TO CURRENT_USER`);
    await q.query(`REVOKE ALL ON "${ns}"."${table}" FROM "${name}"`);
    await q.query(`GRANT SELECT, INSERT ON "${ns}"."${table}" TO "${name}"`);
    const sequences = await rows<{ seq: string }>(
      q,
      `SELECT s.relname AS seq FROM pg_class s
         JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
         JOIN pg_class t ON t.oid = d.refobjid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE s.relkind = 'S' AND n.nspname = $1 AND t.relname = $2`,
      [ns, table],
    );
    for (const { seq } of sequences) {
      await q.query(`REVOKE ALL ON SEQUENCE "${ns}"."${seq}" FROM "${name}"`);
      await q.query(`GRANT USAGE ON SEQUENCE "${ns}"."${seq}" TO "${name}"`);
    }
  }
  return true;
}

/** Creates the role if missing (a concurrent creator is fine); sets the password given if allowed. */
async function ensureRole(q: Queryable, name: string, password: string | undefined): Promise<void> {
  const literal = async (value: string) =>
    (await rows<{ l: string }>(q, 'SELECT quote_literal($1::text) AS l', [value]))[0].l;
  const pw = password === undefined ? '' : ` PASSWORD ${await literal(password)}`;
  const exists = await rows(q, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  if (exists.length === 0) {
    try {
      await q.query(`CREATE ROLE "${name}" LOGIN${pw}`);
      return;
    } catch (e) {
      // Another service's migration created it meanwhile (roles belong to the whole server).
      if (codeOf(e) !== '42710' && codeOf(e) !== '23505') {
        throw new Error(
          `runtime role ${name} does not exist and could not be created (${(e as Error).message}); create it, or set DATABASE_RUNTIME_URL`,
        );
      }
    }
  }
  if (password !== undefined) {
    try {
      await q.query(`ALTER ROLE "${name}" LOGIN${pw}`);
    } catch (e) {
      // A role managed elsewhere (the cluster operator): its password is not ours to set.
      if (codeOf(e) !== '42501') throw e;
    }
  }
}
