import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'preact/hooks';

// Only what the page draws, so the bundle stays small.
use([BarChart, LineChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

interface ChartProps {
  /** Names the chart for screen readers (its figure caption is the visible title). */
  label: string;
  option: EChartsCoreOption;
  height?: number;
  /** Called with the data item's `value`'s name when a data item is clicked. */
  onSelect?: (name: string) => void;
  testId?: string;
}

/** One ECharts chart, redrawn when its option changes and resized with its box. */
export function Chart({ label, option, height = 280, onSelect, testId }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  useEffect(() => {
    chart.current = init(box.current!, undefined, { renderer: 'canvas' });
    const resize = new ResizeObserver(() => chart.current?.resize());
    resize.observe(box.current!);
    return () => {
      resize.disconnect();
      chart.current?.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, animation: false, ...option }, true);
    box.current?.setAttribute('data-rendered', 'true');
  }, [option]);
  useEffect(() => {
    if (!onSelect) return;
    const handler = (event: { name?: string }) => {
      if (event.name) onSelect(event.name);
    };
    chart.current?.on('click', handler);
    return () => chart.current?.off('click', handler);
  }, [onSelect]);
  return <div ref={box} class="chart" role="img" aria-label={label} data-testid={testId} style={{ height: `${height}px` }} />;
}
