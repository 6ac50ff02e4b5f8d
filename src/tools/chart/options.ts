/** What a request may ask of a chart, from command options, a model's arguments or plain words. */
export type ChartType = 'bar' | 'line' | 'area' | 'point' | 'pie';
export type Aggregate = 'sum' | 'mean' | 'count';

export interface ChartOptions {
  type?: ChartType;
  title?: string;
  x?: string;
  y?: string;
  aggregate?: Aggregate;
  sort?: 'ascending' | 'descending';
  scale?: 'linear' | 'log';
}

/** The option names people and models use for each type. */
export const TYPE_NAMES: Record<string, ChartType> = {
  bar: 'bar',
  bars: 'bar',
  column: 'bar',
  columns: 'bar',
  histogram: 'bar',
  line: 'line',
  lines: 'line',
  area: 'area',
  point: 'point',
  points: 'point',
  dot: 'point',
  dots: 'point',
  scatter: 'point',
  scatterplot: 'point',
  pie: 'pie',
  donut: 'pie',
  doughnut: 'pie',
  arc: 'pie',
  柱状图: 'bar',
  条形图: 'bar',
  柱形图: 'bar',
  直方图: 'bar',
  折线图: 'line',
  曲线图: 'line',
  面积图: 'area',
  散点图: 'point',
  饼图: 'pie',
  饼状图: 'pie',
};

const TYPE_WORD = 'bars?|columns?|histogram|lines?|area|points?|dots?|scatter(?:\\s?plot)?|pie|donut|doughnut';
const CHART_WORD = '(?:chart|graph|plot|diagram)s?';

interface Rule {
  pattern: RegExp;
  apply: (match: RegExpExecArray, options: ChartOptions) => void;
}

const typeOf = (word: string | undefined): ChartType | undefined => TYPE_NAMES[(word ?? '').toLowerCase().replace(/\s/g, '')];

/** Applied in order, each removing what it read, so that a title read last keeps only its own words. */
const RULES: Rule[] = [
  {
    pattern: new RegExp(
      `\\b(${TYPE_WORD})\\s*${CHART_WORD}\\b|\\b(?:as|into|to|use|using|make it|try)\\s+(?:an?\\s+)?(${TYPE_WORD})\\b|\\b(${TYPE_WORD})\\s+instead\\b`,
      'i',
    ),
    apply: (m, options) => (options.type = typeOf(m[1] ?? m[2] ?? m[3])),
  },
  { pattern: /(柱状图|条形图|柱形图|直方图|折线图|曲线图|面积图|散点图|饼状图|饼图)/, apply: (m, options) => (options.type = typeOf(m[1])) },
  { pattern: /\blog(?:arithmic)?(?:[\s-]*(?:scale|axis|y))?\b|对数(?:坐标|刻度)?/i, apply: (_, options) => (options.scale = 'log') },
  { pattern: /\blinear(?:[\s-]*(?:scale|axis|y))\b|线性(?:坐标|刻度)/i, apply: (_, options) => (options.scale = 'linear') },
  {
    pattern:
      /\b(?:sort(?:ed)?(?:\s+(?:it|them|the\s+\w+|by\s+(?:value|size)))?\s+)?(?:in\s+)?(desc(?:ending)?|asc(?:ending)?|largest first|biggest first|highest first|smallest first|lowest first|high(?:est)? to low(?:est)?|low(?:est)? to high(?:est)?)(?:\s+order)?\b|(降序|从大到小|升序|从小到大)/i,
    apply: (m, options) => (options.sort = /^(?:asc|small|low)|升序|从小到大/i.test(m[1] ?? m[2] ?? '') ? 'ascending' : 'descending'),
  },
  {
    pattern: /\b(sum|total|average|mean|avg|count)(?:\s+of)?\b|\b(number)\s+of\b|(总和|合计|求和|平均|计数)/i,
    apply: (m, options) => (options.aggregate = aggregateOf(m[1] ?? m[2] ?? m[3] ?? '')),
  },
  {
    pattern:
      /\b(?:titled|(?:set\s+the\s+)?title(?:\s+(?:it|to|as))?|call\s+it|name\s+it|caption(?:ed)?)\s*[:：]?\s*(?:["“'‘]([^"”'’]+)["”'’]|([^\n]+))|标题(?:为|是|改为|改成)?\s*[:：]?\s*([^\n]+)/i,
    apply: (m, options) => (options.title = (m[1] ?? m[2] ?? m[3] ?? '').replace(/[\s.。!！:：,，;；]+$/, '').trim()),
  },
];

function aggregateOf(word: string): Aggregate {
  if (/^(?:sum|total)$|总和|合计|求和/i.test(word)) return 'sum';
  return /^(?:average|mean|avg)$|平均/i.test(word) ? 'mean' : 'count';
}

/** Words that ask for a change without saying anything of their own. */
const FILLER = new Set(
  (
    'a an the it its this that chart graph plot diagram please pls can could would you me make use using switch change turn into to as ' +
    'instead now and with show draw redraw redo render try scale axis order sort sorted by value values y x of in on for set be one ' +
    'them instead same again but from also then just'
  ).split(' '),
);
const CHINESE_FILLER = /请|把|它|改成|换成|变成|改为|用|一下|画|图表|图|成|吧|的|再/g;

/**
 * Reads the chart options written in plain words ("as a pie", "log scale", "sort descending",
 * "titled Fruit sales") and returns them with the words that are left.
 */
export function readOptions(words: string): { options: ChartOptions; rest: string } {
  const options: ChartOptions = {};
  let rest = words;
  for (const rule of RULES) {
    const match = rule.pattern.exec(rest);
    if (!match) continue;
    rule.apply(match, options);
    rest = `${rest.slice(0, match.index)} ${rest.slice(match.index + match[0].length)}`;
  }
  if (options.title === '') delete options.title;
  return { options, rest: rest.replace(/\s+/g, ' ').trim() };
}

/** True when the words left after reading options ask for nothing more ("make it", "please"). */
export function onlyFiller(rest: string): boolean {
  const words = rest
    .replace(CHINESE_FILLER, ' ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return words.every((word) => FILLER.has(word));
}
