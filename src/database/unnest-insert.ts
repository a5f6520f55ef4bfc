/**
 * `INSERT INTO <table> (<columns>, <extra>) SELECT *, <extra values> FROM unnest($1::<type>[], …)`:
 * one array parameter per column, so the statement's text is the same for any number of rows
 * (PostgreSQL parses a handful of parameters, not a handful per row, and the text can be
 * prepared once). `extra`: columns computed per row in SQL, e.g. `clock_timestamp()`, evaluated
 * row by row in array order.
 */
export function unnestInsertSql(
  table: string,
  columns: readonly string[],
  types: readonly string[],
  extra: Readonly<Record<string, string>> = {},
): string {
  const names = [...columns, ...Object.keys(extra)].join(', ');
  const values = ['*', ...Object.values(extra)].join(', ');
  const arrays = types.map((type, column) => `$${column + 1}::${type}[]`).join(', ');
  return `INSERT INTO ${table} (${names}) SELECT ${values} FROM unnest(${arrays})`;
}

/** The parameters of unnestInsertSql for these rows (each in column order): one array per column. */
export function columnArrays(rows: readonly (readonly unknown[])[], width: number): unknown[][] {
  return Array.from({ length: width }, (_, column) => rows.map((row) => row[column]));
}
