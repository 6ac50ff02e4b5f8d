import { z } from 'zod';
import { defineTool } from '../../core/tool.js';
import { answerChart } from './answer.js';

export const chart = defineTool({
  name: 'chart',
  description: 'Draw a chart from a table, a CSV/TSV/JSON file, pairs like "apples 3, pears 5", or a description',
  input: z.object({
    data: z
      .string()
      .trim()
      .optional()
      .describe('The data (a Markdown or CSV table, JSON, or pairs like "apples 3, pears 5"), a description of a chart, or a change to the last chart'),
    type: z.enum(['bar', 'line', 'area', 'point', 'scatter', 'pie', 'arc']).optional().describe('Chart type; by default chosen from the data'),
    title: z.string().trim().min(1).max(200).optional().describe('Title of the chart'),
    x: z.string().trim().min(1).max(200).optional().describe('Column for the x axis (categories or time)'),
    y: z.string().trim().min(1).max(200).optional().describe('Column of the values'),
    aggregate: z.enum(['sum', 'mean', 'count']).optional().describe('How rows with the same x are combined'),
    sort: z.enum(['ascending', 'descending']).optional().describe('Order of the categories, by value'),
    scale: z.enum(['linear', 'log']).optional().describe('Scale of the value axis'),
  }),
  textField: 'data',
  accepts: ['table'],
  keywords: [
    'chart',
    'charts',
    'plot',
    'graph',
    'visualize',
    'visualise',
    'log scale',
    'logarithmic',
    'sort descending',
    'sort ascending',
    'as a pie',
    'title it',
    '图表',
    '画图',
    '作图',
    '绘图',
    '饼图',
    '柱状图',
    '折线图',
    '对数坐标',
  ],
  // Free text is read whole: the words around the keyword are the request ("make it a line chart",
  // "title it Sales"), and the data may come before it ("apples 3, pears 5 as a pie chart").
  fromText: () => ({}),
  run: answerChart,
});
