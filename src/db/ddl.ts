// Shared pieces of the modules' DDL.

/** An ISO 8601 UTC timestamp with milliseconds, as a column default. */
export const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

/**
 * The triggers that give `family`'s nonce in search_state a new value at every insert, delete and
 * change of a searched column of `table`, whoever writes (db/search-counts.ts). `create` also
 * draws a new nonce; bulk seeds run `drop`, then `create` once done.
 */
export function searchTriggers<F extends string> (family: F, table: string, columns: readonly string[]): { create: string, drop: string, names: readonly [`${F}_search_insert`, `${F}_search_delete`, `${F}_search_update`] } {
  const renew = `UPDATE search_state SET nonce = random() WHERE family = '${family}';`
  const names = [`${family}_search_insert`, `${family}_search_delete`, `${family}_search_update`] as const
  return {
    create: `
  CREATE TRIGGER IF NOT EXISTS ${names[0]} AFTER INSERT ON ${table} BEGIN
    ${renew}
  END;
  CREATE TRIGGER IF NOT EXISTS ${names[1]} AFTER DELETE ON ${table} BEGIN
    ${renew}
  END;
  CREATE TRIGGER IF NOT EXISTS ${names[2]} AFTER UPDATE OF ${columns.join(', ')} ON ${table} BEGIN
    ${renew}
  END;
  ${renew}
  `,
    drop: `
  DROP TRIGGER IF EXISTS ${names[0]};
  DROP TRIGGER IF EXISTS ${names[1]};
  DROP TRIGGER IF EXISTS ${names[2]};
  `,
    names,
  }
}
