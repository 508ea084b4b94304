import { useEffect, useRef, useState } from "react";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  type XAxisTickContentProps,
  YAxis,
} from "recharts";
import { formatDateTime, formatScore } from "../../ui/format.ts";
import { GradeBadge } from "../../ui/stage-chip.tsx";
import { timeAxis } from "../../ui/time-axis.ts";
import { causeText, type ScoreSeriesPoint } from "./score-series.ts";

// Recharts draws SVG attributes, not CSS: these mirror theme.css (--brand, --hot, --muted).
const FIT = "#4f46e5";
const ENGAGEMENT = "#ea580c";
const AXIS_TEXT = { fill: "#6b7280", fontSize: 12 };
const GRID = "#eceef4";

// The chart's geometry in pixels: these place the threshold label, the edge ticks and the tooltip.
const HEIGHT = 280;
const MARGIN = { top: 4, right: 20, bottom: 4, left: 0 };
const Y_AXIS_WIDTH = 36;
const LEGEND_HEIGHT = 30;
const X_AXIS_HEIGHT = 30;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom - LEGEND_HEIGHT - X_AXIS_HEIGHT;
/** About how wide a character of 11–12 px axis or label text is. */
const CHAR_WIDTH = 6.6;

type LabelPlace = {
  position: "insideBottomRight" | "insideTopRight" | "insideBottomLeft" | "insideTopLeft";
  /** Pixels from the plot's left edge to the label's start (left-aligned places). */
  dx: number;
};

/**
 * Where the MQL threshold's label goes: where neither score line passes through it. Tried in
 * turn: right-aligned just above its line, just below it, then the same at the left end and
 * at three places in between. Each line is sampled (straight between its points) over the
 * stretch of time the label covers; a place is crossed when a sample falls in the label's band
 * or the line jumps across it between samples. When every place is crossed, the label takes
 * the one crossed least; its background, drawn over the lines, keeps it readable there too.
 */
function thresholdLabelPlace(
  series: ScoreSeriesPoint[],
  threshold: number,
  yRange: number,
  plotWidth: number,
  labelWidth: number,
): LabelPlace {
  const from = series[0]?.t ?? 0;
  const to = series[series.length - 1]?.t ?? 0;
  const span = Math.max(to - from, 1);
  const width = Math.min(labelWidth, plotWidth);
  // The label's height with its background and its offset from the line, in score points; a
  // line within a few pixels of the threshold runs beside the label, not through it.
  const band = (24 / PLOT_HEIGHT) * yRange;
  const gap = (3 / PLOT_HEIGHT) * yRange;
  const valueAt = (key: "fit" | "engagement", t: number): number => {
    let i = 0;
    while (i < series.length - 2 && (series[i + 1] as ScoreSeriesPoint).t < t) i++;
    const a = series[i] as ScoreSeriesPoint;
    const b = series[i + 1] ?? a;
    if (b.t === a.t || t <= a.t) return a[key];
    if (t >= b.t) return b[key];
    return a[key] + ((b[key] - a[key]) * (t - a.t)) / (b.t - a.t);
  };
  const crossings = (x0: number, lo: number, hi: number): number => {
    const samples = 32;
    let count = 0;
    for (const key of ["fit", "engagement"] as const) {
      let previous: number | null = null;
      for (let i = 0; i <= samples; i++) {
        const t = from + ((x0 + (width * i) / samples) / Math.max(plotWidth, 1)) * span;
        const v = valueAt(key, t);
        if (v >= lo && v <= hi) count++;
        else if (previous !== null && previous < lo !== v < lo) count++;
        previous = v;
      }
    }
    return count;
  };
  let best: { place: LabelPlace; count: number } | null = null;
  for (const f of [1, 0, 0.5, 0.75, 0.25]) {
    const x0 = f * (plotWidth - width);
    for (const above of [true, false]) {
      const count = crossings(
        x0,
        above ? threshold + gap : threshold - band,
        above ? threshold + band : threshold - gap,
      );
      const place: LabelPlace =
        f === 1
          ? { position: above ? "insideBottomRight" : "insideTopRight", dx: 0 }
          : { position: above ? "insideBottomLeft" : "insideTopLeft", dx: Math.round(x0) };
      if (count === 0) return place;
      if (!best || count < best.count) best = { place, count };
    }
  }
  return best?.place ?? { position: "insideBottomRight", dx: 0 };
}

/** The width of the element, followed as it resizes (a phone turned, a window narrowed). */
function useWidth<T extends HTMLElement>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth || fallback);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth || fallback));
    observer.observe(el);
    return () => observer.disconnect();
  }, [fallback]);
  return [ref, width] as const;
}

/** Fit and engagement over time. Loaded on its own (recharts is large) by the lead page. */
export function ScoreChart({
  series,
  engagementThreshold,
}: {
  series: ScoreSeriesPoint[];
  engagementThreshold: number | null;
}) {
  const from = series[0]?.t ?? 0;
  const to = series[series.length - 1]?.t ?? 0;
  const axis = timeAxis(from, to);
  const highest = Math.max(
    ...series.map((p) => Math.max(p.fit, p.engagement)),
    engagementThreshold ?? 0,
  );
  const yMax = Math.max(100, Math.ceil(highest / 25) * 25);
  const yTicks = Array.from({ length: yMax / 25 + 1 }, (_, i) => i * 25);
  // Dots mark what happened (events, edits, now); the fade after the last event is a line only.
  const dots = series.filter((p) => !p.fading && !p.held).length <= 40;
  const dot = (fill: string) =>
    dots
      ? (props: { cx?: number; cy?: number; index?: number; payload?: ScoreSeriesPoint }) =>
          props.payload?.fading ||
          props.payload?.held ||
          props.cx === undefined ||
          props.cy === undefined ? (
            <g key={`dot-${props.index}`} />
          ) : (
            <circle key={`dot-${props.index}`} cx={props.cx} cy={props.cy} r={3} fill={fill} />
          )
      : false;

  const [ref, width] = useWidth<HTMLDivElement>(640);
  const plotWidth = width - MARGIN.left - MARGIN.right - Y_AXIS_WIDTH;
  // A phone's chart is narrow: the short label leaves the lines more room to pass it by.
  const thresholdText =
    engagementThreshold === null
      ? ""
      : plotWidth < 420
        ? `MQL at ${engagementThreshold}`
        : `MQL at engagement ${engagementThreshold}`;
  const labelPlace =
    engagementThreshold === null
      ? { position: "insideBottomRight" as const, dx: 0 }
      : thresholdLabelPlace(
          series,
          engagementThreshold,
          yMax * 1.025,
          plotWidth,
          thresholdText.length * CHAR_WIDTH + 16,
        );
  // Recharts keeps the tooltip's left edge inside the plot, not its right one: on a narrow
  // chart the tooltip is made to fit between the plot's left edge and the chart's right edge.
  const tooltipWidth = Math.max(160, width - MARGIN.left - Y_AXIS_WIDTH - 4);

  return (
    <div
      ref={ref}
      className="score-chart"
      data-testid="score-chart"
      role="img"
      aria-label={`Score over time, ${series.filter((p) => !p.held).length} points: fit from ${formatScore(series[0]?.fit ?? 0)} to ${formatScore(series[series.length - 1]?.fit ?? 0)}, engagement from ${formatScore(series[0]?.engagement ?? 0)} to ${formatScore(series[series.length - 1]?.engagement ?? 0)}.`}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={series} margin={MARGIN}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[from, to]}
            ticks={axis.ticks}
            tickFormatter={axis.format}
            height={X_AXIS_HEIGHT}
            // A label at either end of the axis is anchored to stay inside the chart.
            tick={(props: XAxisTickContentProps) => (
              <EdgeTick
                x={Number(props.x)}
                y={Number(props.y)}
                label={axis.format(Number(props.payload.value))}
                width={width}
              />
            )}
            tickLine={false}
            axisLine={{ stroke: "#d4d7e2" }}
            tickMargin={8}
            minTickGap={16}
          />
          <YAxis
            // A little room below 0, so a score of 0 is a line above the axis, not on it.
            domain={[-yMax / 40, yMax]}
            ticks={yTicks}
            tick={AXIS_TEXT}
            tickLine={false}
            axisLine={false}
            width={Y_AXIS_WIDTH}
            allowDecimals={false}
          />
          <Tooltip
            content={(props) => <ScoreTooltip {...props} maxWidth={tooltipWidth} />}
            cursor={{ stroke: "#c7cbe0", strokeDasharray: "3 3" }}
          />
          <Legend
            verticalAlign="top"
            align="right"
            height={LEGEND_HEIGHT}
            iconType="circle"
            iconSize={8}
            itemSorter={null}
            wrapperStyle={{ fontSize: 13 }}
            formatter={(value) => <span className="chart-legend-label">{value}</span>}
          />
          {engagementThreshold !== null ? (
            <ReferenceLine
              y={engagementThreshold}
              stroke={ENGAGEMENT}
              strokeOpacity={0.55}
              strokeDasharray="5 5"
              label={{
                value: thresholdText,
                position: labelPlace.position,
                dx: labelPlace.dx,
                fill: "#b45309",
                fontSize: 11,
                fontWeight: 500,
                // Drawn over the lines: readable even where a line passes right by it.
                background: {
                  fill: "#ffffff",
                  fillOpacity: 0.92,
                  stroke: "#fcd9b6",
                  rx: 4,
                  padding: { x: 6, y: 2 },
                },
              }}
            />
          ) : null}
          <Line
            type="monotone"
            dataKey="fit"
            name="Fit"
            stroke={FIT}
            strokeWidth={2.5}
            dot={dot(FIT)}
            activeDot={{ r: 5 }}
            isAnimationActive={false}
          />
          <Line
            type="monotone"
            dataKey="engagement"
            name="Engagement"
            stroke={ENGAGEMENT}
            strokeWidth={2.5}
            dot={dot(ENGAGEMENT)}
            activeDot={{ r: 5 }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** An x-axis label, anchored at its end (or start) where centring it would cut it off. */
function EdgeTick({ x, y, label, width }: { x: number; y: number; label: string; width: number }) {
  const half = (label.length * CHAR_WIDTH) / 2;
  const anchor = x + half > width - 2 ? "end" : x - half < 2 ? "start" : "middle";
  return (
    <text x={x} y={y} dy="0.71em" textAnchor={anchor} {...AXIS_TEXT}>
      {label}
    </text>
  );
}

function ScoreTooltip({ active, payload, maxWidth }: TooltipContentProps & { maxWidth: number }) {
  const point = payload?.[0]?.payload as ScoreSeriesPoint | undefined;
  if (!active || !point) return null;
  return (
    <div className="chart-tooltip" style={{ maxWidth, minWidth: Math.min(190, maxWidth) }}>
      <div className="chart-tooltip-title">
        {formatDateTime(new Date(point.t).toISOString())}
        {point.cause === null ? <span className="pill pill-small pill-brand">Now</span> : null}
      </div>
      <div className="chart-tooltip-row">
        <span className="swatch" style={{ background: FIT }} />
        Fit
        <strong>{formatScore(point.fit)}</strong>
        <GradeBadge grade={point.grade} />
      </div>
      <div className="chart-tooltip-row">
        <span className="swatch" style={{ background: ENGAGEMENT }} />
        Engagement
        <strong>{formatScore(point.engagement)}</strong>
      </div>
      <div className="chart-tooltip-cause">
        {point.cause === null
          ? "Valued now, after decay"
          : point.fading
            ? "No events since the last point: valued from the lead's signals"
            : point.held
              ? `Just before: ${causeText(point.cause)} (less the decay since the last point)`
              : `After: ${causeText(point.cause)}`}
      </div>
      {point.rebuilt ? (
        <div className="chart-tooltip-cause" data-testid="rebuilt-point">
          Rebuilt from events received later (an import)
        </div>
      ) : null}
    </div>
  );
}
