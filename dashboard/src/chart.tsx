/**
 * One ECharts chart as a Preact component: created on mount, given the whole option on every
 * change (not merged, so removed series disappear), resized with its box, disposed on unmount.
 * Only the chart types the views use are registered, which keeps the bundle small. The SVG
 * renderer keeps text crisp at any zoom. Each chart is an image with a text label for screen
 * readers; the figures it shows are also in the KPI tiles or tables next to it.
 */
import { useEffect, useRef } from 'preact/hooks';
import * as echarts from 'echarts/core';
import { BarChart, GaugeChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { useTheme } from './theme.js';

echarts.use([BarChart, GaugeChart, HeatmapChart, LineChart, PieChart, AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ChartOption = Record<string, any>;

export function Chart(props: { title: string; option: ChartOption; height?: number; id?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const theme = useTheme();

  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, theme === 'dark' ? 'dark' : undefined, { renderer: 'svg' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [theme]);

  useEffect(() => {
    chart.current?.setOption({ backgroundColor: 'transparent', aria: { enabled: true }, animation: false, ...props.option }, true);
  }, [props.option, theme]);

  return (
    <figure class="card chart-card" id={props.id}>
      <figcaption>{props.title}</figcaption>
      <div class="chart" ref={box} role="img" aria-label={props.title} style={{ height: `${props.height ?? 260}px` }} />
    </figure>
  );
}

/** Category x axis + value y axis, the shape most charts here share. */
export function axes(categories: string[], yName = ''): ChartOption {
  return {
    grid: { left: 56, right: 16, top: 36, bottom: 28, containLabel: false },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value', name: yName },
  };
}

export const STATUS_COLORS = { HIT: '#2e9d5b', MISS: '#e08a1e', BYPASS: '#8a94a6' } as const;
