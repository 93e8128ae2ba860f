// A small PostgreSQL adapter for panva's oidc-provider (the interface of its memory adapter:
// upsert, find, findByUid, findByUserCode, consume, destroy, revokeByGrantId), used only by the
// peer benchmark. One table; every model's payload as jsonb; one statement per call, like the
// adapters in oidc-provider's own examples.
import pg from "pg";

export const SCHEMA = `
create table if not exists oidc_payloads (
  id text not null,
  type text not null,
  payload jsonb not null,
  grant_id text,
  user_code text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  primary key (id, type)
);
create index if not exists oidc_payloads_grant_id on oidc_payloads (grant_id);
create index if not exists oidc_payloads_user_code on oidc_payloads (user_code);
create index if not exists oidc_payloads_uid on oidc_payloads (uid);`;

export function pgAdapterFactory(pool) {
  return class PgAdapter {
    constructor(name) {
      this.type = name;
    }

    async upsert(id, payload, expiresIn) {
      await pool.query({
        name: "oidc_upsert",
        text: `insert into oidc_payloads (id, type, payload, grant_id, user_code, uid, expires_at)
          values ($1, $2, $3, $4, $5, $6, case when $7::int is null then null else now() + make_interval(secs => $7::int) end)
          on conflict (id, type) do update set payload = excluded.payload, grant_id = excluded.grant_id,
            user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
        values: [id, this.type, payload, payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresIn ?? null],
      });
    }

    async #findBy(column, value) {
      const { rows } = await pool.query({
        name: `oidc_find_${column}`,
        text: `select payload, consumed_at from oidc_payloads
          where ${column} = $1 and type = $2 and (expires_at is null or expires_at > now())`,
        values: [value, this.type],
      });
      const row = rows[0];
      if (!row) return undefined;
      return { ...row.payload, ...(row.consumed_at ? { consumed: true } : {}) };
    }

    find(id) {
      return this.#findBy("id", id);
    }

    findByUid(uid) {
      return this.#findBy("uid", uid);
    }

    findByUserCode(userCode) {
      return this.#findBy("user_code", userCode);
    }

    async consume(id) {
      await pool.query({
        name: "oidc_consume",
        text: "update oidc_payloads set consumed_at = now() where id = $1 and type = $2",
        values: [id, this.type],
      });
    }

    async destroy(id) {
      await pool.query({ name: "oidc_destroy", text: "delete from oidc_payloads where id = $1 and type = $2", values: [id, this.type] });
    }

    async revokeByGrantId(grantId) {
      await pool.query({ name: "oidc_revoke_grant", text: "delete from oidc_payloads where grant_id = $1", values: [grantId] });
    }
  };
}

export function openPool(connectionString, max = 10) {
  return new pg.Pool({ connectionString, max });
}
