// PGlite's contrib extensions are reachable only through its package `exports`, which the
// `moduleResolution: node` of this project does not read for types; Node resolves them at run time.
declare module '@electric-sql/pglite/contrib/pg_trgm' {
  import type { Extension } from '@electric-sql/pglite';
  export const pg_trgm: Extension;
}
