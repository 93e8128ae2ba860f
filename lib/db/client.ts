import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { type PgDatabase, PgDialect, type PgQueryResultHKT, type PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { Readable } from "node:stream";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import * as schema from "@/drizzle/schema";
import { acquireDataDirLock } from "./data-dir-lock";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A database handle or an open transaction: what domain functions accept. */
export type Executor = Db | Tx;

export type DatabaseKind = "pglite" | "postgres";

/** The longest a COPY export may run (a stalled download is cut off then). */
const COPY_TIMEOUT_MINUTES = 15;

export interface CopyOut {
  stream: Readable;
  /** Release the connection: after the stream ended, or `aborted` to cut the query off. */
  close(aborted: boolean): Promise<void>;
}

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** Run `fn` with the one connection held for its whole duration (advisory locks, migrations). */
  withConnection<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL server only: run `COPY (query) TO STDOUT` on a connection of its own and stream its
   * bytes. `close(true)` aborts: the connection is destroyed, so the server stops the query at once.
   */
  copyOut?(copySql: string): Promise<CopyOut>;
  /**
   * PostgreSQL server only: a small second pool for reads that must come in an index's order
   * (the audit explorer's pages). Its sessions plan with Sort disabled, so a statement whose order
   * an index provides is always served by that index, and keep generic plans of prepared
   * statements (planning a query over every monthly partition costs more than running it). Only
   * statements written for it belong here. Connects on first use.
   */
  orderedReads?: Db;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL of a server. When absent, embedded PGlite is used. */
  url?: string;
  /** PGlite data folder, or "memory" for an in-memory database. */
  dataDir?: string;
  poolMax?: number;
  acquireTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** Log errors of idle pooled connections (default true; tests that drop their database turn it off). */
  logIdleErrors?: boolean;
}

// Callbacks to run once the outermost transaction of a session commits (lost on rollback). Keyed by
// drizzle's session object, which a transaction and its nested savepoints share. On globalThis:
// Next.js may load this module in several bundles, and a transaction begun through one bundle's
// wrapper may register its callbacks through another's afterCommit.
const HOOKS = Symbol.for("gatehouse.db.commit-hooks");
const commitHooks: WeakMap<object, (() => void)[]> = ((globalThis as { [HOOKS]?: WeakMap<object, (() => void)[]> })[HOOKS] ??= new WeakMap());

/**
 * Run `fn` after the transaction `tx` belongs to commits (not at all if it rolls back): e.g. to
 * wake a background job for what the transaction wrote. `fn` must not throw; it runs synchronously
 * right after COMMIT returned, so it should only schedule work.
 */
export function afterCommit(tx: Tx, fn: () => void): void {
  const session = tx._.session as object;
  const list = commitHooks.get(session);
  if (list) list.push(fn);
  else commitHooks.set(session, [fn]);
}

/** Make `db.transaction` run the afterCommit callbacks of a committed transaction. */
function withCommitHooks(db: Db): Db {
  const begin = db.transaction.bind(db);
  db.transaction = (async (fn: (tx: Tx) => Promise<unknown>, config?: Parameters<Db["transaction"]>[1]) => {
    let session: object | undefined;
    let result: unknown;
    try {
      result = await begin((tx) => {
        session = tx._.session as object;
        return fn(tx);
      }, config);
    } catch (err) {
      if (session) commitHooks.delete(session);
      throw err;
    }
    const hooks = session ? commitHooks.get(session) : undefined;
    if (session) commitHooks.delete(session);
    for (const hook of hooks ?? []) {
      try {
        hook();
      } catch (err) {
        console.error("[db] after-commit hook failed", (err as Error).message);
      }
    }
    return result;
  }) as Db["transaction"];
  return db;
}

/**
 * Open a database: a pooled connection to a PostgreSQL server, or embedded PGlite. Synchronous:
 * PGlite queues queries until it is ready, and the pool connects on first use.
 */
export function openDatabase(opts: OpenOptions): Database {
  if (opts.url) {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolMax ?? 10,
      // Bounds both connecting and waiting for a free connection in the pool.
      connectionTimeoutMillis: opts.acquireTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
      statement_timeout: opts.statementTimeoutMs ?? 30_000,
      application_name: "gatehouse",
    });
    pool.on("error", (err) => {
      if (opts.logIdleErrors !== false) console.error("[db] idle client error", err.message);
    });
    // A checked-out client whose server goes away (restart, failover) emits "error" between
    // queries; without a listener that is an uncaughtException that ends the process. The query in
    // flight fails on its own and the pool discards the broken client.
    pool.on("connect", (client) => {
      client.on("error", (err) => {
        if (opts.logIdleErrors !== false) console.error("[db] connection error", err.message);
      });
    });
    const db = withCommitHooks(drizzlePg(pool, { schema }) as unknown as Db);
    let orderedPool: pg.Pool | null = null;
    const ordered = () =>
      (orderedPool ??= new pg.Pool({
        connectionString: opts.url,
        max: Math.max(1, Math.min(4, opts.poolMax ?? 10)),
        connectionTimeoutMillis: opts.acquireTimeoutMs ?? 5000,
        idleTimeoutMillis: 30_000,
        statement_timeout: opts.statementTimeoutMs ?? 30_000,
        application_name: "gatehouse-ordered-reads",
        options: "-c enable_sort=off -c plan_cache_mode=force_generic_plan",
      })
        .on("error", (err) => {
          if (opts.logIdleErrors !== false) console.error("[db] idle client error (ordered reads)", err.message);
        })
        .on("connect", (client) => {
          client.on("error", (err) => {
            if (opts.logIdleErrors !== false) console.error("[db] connection error (ordered reads)", err.message);
          });
        }));
    let orderedDb: Db | null = null;
    return {
      db,
      kind: "postgres",
      get orderedReads() {
        return (orderedDb ??= drizzlePg(ordered(), { schema }) as unknown as Db);
      },
      async withConnection(fn) {
        const client = await pool.connect();
        try {
          return await fn(withCommitHooks(drizzlePg(client, { schema }) as unknown as Db));
        } finally {
          client.release();
        }
      },
      async copyOut(copySql) {
        const client = await pool.connect();
        let released = false;
        const close = async (aborted: boolean) => {
          if (released) return;
          released = true;
          if (aborted) {
            // An error destroys the connection instead of pooling it: the server ends the COPY.
            client.release(new Error("COPY aborted"));
            return;
          }
          try {
            await client.query("commit");
            client.release();
          } catch (err) {
            client.release(err as Error);
          }
        };
        try {
          // One long statement: a bound of its own instead of the pool's statement timeout.
          await client.query("begin read only");
          await client.query(`set local statement_timeout = '${COPY_TIMEOUT_MINUTES}min'`);
          // COPY takes no bind parameters, so values come inline: backslashes must stay literal.
          await client.query("set local standard_conforming_strings = on");
          await client.query("set local datestyle = 'ISO, YMD'");
          const stream = client.query(copyTo(copySql));
          stream.on("error", () => void close(true));
          return { stream, close };
        } catch (err) {
          await close(true);
          throw err;
        }
      },
      close: async () => {
        await Promise.all([pool.end(), orderedPool?.end()]);
      },
    };
  }

  const dataDir = opts.dataDir ?? ".data";
  let release = () => {};
  let client: PGlite;
  if (dataDir === "memory") {
    client = new PGlite();
  } else {
    const dir = path.resolve(dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
    release = acquireDataDirLock(dir);
    client = new PGlite(dir);
  }
  const db = withCommitHooks(drizzlePglite(client, { schema }) as unknown as Db);
  return {
    db,
    kind: "pglite",
    // PGlite is a single connection already.
    withConnection: (fn) => fn(db),
    async close() {
      await client.close();
      release();
    },
  };
}

/** Run raw SQL and return its rows, whichever driver is underneath (both answer `{ rows }`). */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

const dialect = new PgDialect();

/**
 * Run a hot-path statement as a named prepared statement: on a server it is parsed once per
 * connection and Postgres may keep its plan; PGlite runs it as a plain query. `name` must belong to
 * one statement text (so no variable-length lists: pass arrays as one JSON parameter), and the
 * statement must name its result columns (no `*`): a kept plan cannot change its columns.
 */
export async function preparedRows<T>(db: Executor, name: string, query: SQL): Promise<T[]> {
  const result = await db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false).execute();
  return (result as { rows: T[] }).rows;
}

/**
 * A built query (`.toSQL()`) as a named prepared statement whose rows come back as arrays, in the
 * order of its select list, without drizzle's per-field mapping of each row (its entity checks cost
 * more than the statement on a page of fifty events). The caller maps the columns it selected.
 */
export async function preparedArrays(db: Executor, name: string, query: { sql: string; params: unknown[] }): Promise<unknown[][]> {
  return (await db._.session.prepareQuery(query, undefined, name, true, (rows) => rows).execute()) as unknown[][];
}

/**
 * A drizzle prepared statement (`.prepare(name)` on a query built with placeholders) made once per
 * database handle and kept in `cache`: no query building per call, and the server keeps the plan of each
 * connection's parsed statement.
 */
export function preparedOnce<T>(cache: WeakMap<Executor, T>, db: Executor, prepare: (db: Executor) => T): T {
  let statement = cache.get(db);
  if (!statement) cache.set(db, (statement = prepare(db)));
  return statement;
}

/** A Postgres text[] literal (null for none), for a parameter the statement casts. */
export function textArrayLiteral(values: readonly string[] | null): string | null {
  if (!values) return null;
  return `{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
}
