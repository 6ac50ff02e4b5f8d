import type { ChartOptions } from './options.js';
import type { Column, Table } from './table.js';

const BY = /^(.+?)\s+(?:by|per|over|against|vs\.?|versus|按)\s+(.+)$/i;

/**
 * The columns a request names in words: "revenue by region" measures revenue along region; a
 * single numeric column named is the values, a single other column the x axis.
 */
export function columnsNamed(words: string, table: Table): Pick<ChartOptions, 'x' | 'y'> {
  const by = BY.exec(words.trim());
  if (by) {
    const y = mentioned(by[1] ?? '', table.columns);
    const x = mentioned(by[2] ?? '', table.columns);
    if (x.length === 1 && y.length === 1 && x[0] !== y[0]) return { x: x[0]?.name, y: y[0]?.name };
  }
  const named = mentioned(words, table.columns);
  const numeric = named.filter((column) => column.type === 'quantitative');
  const other = named.filter((column) => column.type !== 'quantitative');
  return { ...(numeric.length === 1 ? { y: numeric[0]?.name } : {}), ...(other.length === 1 ? { x: other[0]?.name } : {}) };
}

function mentioned(words: string, columns: Column[]): Column[] {
  const text = ` ${words.toLowerCase().replace(/[^\p{L}\p{N}%$€£¥]+/gu, ' ')} `;
  return columns.filter((column) => {
    const name = column.name
      .toLowerCase()
      .replace(/[^\p{L}\p{N}%$€£¥]+/gu, ' ')
      .trim();
    return name.length > 0 && text.includes(` ${name} `);
  });
}
