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
  const dots = series.length <= 40;

  return (
    <div
      className="score-chart"
      data-testid="score-chart"
      role="img"
      aria-label={`Score over time, ${series.length} points: fit from ${formatScore(series[0]?.fit ?? 0)} to ${formatScore(series[series.length - 1]?.fit ?? 0)}, engagement from ${formatScore(series[0]?.engagement ?? 0)} to ${formatScore(series[series.length - 1]?.engagement ?? 0)}.`}
    >
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={series} margin={{ top: 4, right: 20, bottom: 4, left: 0 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[from, to]}
            ticks={axis.ticks}
            tickFormatter={axis.format}
            tick={AXIS_TEXT}
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
            width={36}
            allowDecimals={false}
          />
          <Tooltip
            content={(props) => <ScoreTooltip {...props} />}
            cursor={{ stroke: "#c7cbe0", strokeDasharray: "3 3" }}
          />
          <Legend
            verticalAlign="top"
            align="right"
            height={30}
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
                value: `MQL at engagement ${engagementThreshold}`,
                position: "insideBottomLeft",
                fill: "#b45309",
                fontSize: 11,
              }}
            />
          ) : null}
          <Line
            type="monotone"
            dataKey="fit"
            name="Fit"
            stroke={FIT}
            strokeWidth={2.5}
            dot={dots ? { r: 3, fill: FIT, strokeWidth: 0 } : false}
            activeDot={{ r: 5 }}
            isAnimationActive={false}
          />
          <Line
            type="monotone"
            dataKey="engagement"
            name="Engagement"
            stroke={ENGAGEMENT}
            strokeWidth={2.5}
            dot={dots ? { r: 3, fill: ENGAGEMENT, strokeWidth: 0 } : false}
            activeDot={{ r: 5 }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

function ScoreTooltip({ active, payload }: TooltipContentProps) {
  const point = payload?.[0]?.payload as ScoreSeriesPoint | undefined;
  if (!active || !point) return null;
  return (
    <div className="chart-tooltip">
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
        {point.cause === null ? "Valued now, after decay" : `After: ${causeText(point.cause)}`}
      </div>
      {point.rebuilt ? (
        <div className="chart-tooltip-cause" data-testid="rebuilt-point">
          Rebuilt from events received later (an import)
        </div>
      ) : null}
    </div>
  );
}
