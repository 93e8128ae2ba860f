/**
 * One CSV cell, by the rules Postgres' CSV writer uses (so exports read the same from COPY and
 * from SQL): null is empty; the empty string, and text holding a quote, comma, LF or CR, is quoted
 * with quotes doubled. Text a spreadsheet would run as a formula — starting with = + - @, a tab or
 * a carriage return — first gets a leading apostrophe, so opening an export never executes it.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return s === "" || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line, LF-terminated (as COPY writes them). */
export function csvRow(values: unknown[]): string {
  return `${values.map(csvCell).join(",")}\n`;
}
