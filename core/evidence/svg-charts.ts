/*
 * Inline SVG charts for report.html: plain elements and attributes, no script, no external font or
 * stylesheet, so the report renders the same offline in any browser and prints.
 */

/** Escapes text for HTML and SVG content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** The colour a bar or segment says something with. */
export type Tone = "good" | "bad" | "neutral" | "info";

export const TONE_COLOURS: Record<Tone, string> = {
  good: "#2e7d32",
  bad: "#c62828",
  neutral: "#78909c",
  info: "#1565c0",
};

export interface Bar {
  label: string;
  value: number;
  tone: Tone;
}

const FONT = `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"`;

function frame(title: string, width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" width="100%" ${FONT} font-size="12"><title>${escapeHtml(title)}</title>${body}</svg>`;
}

/** A vertical bar chart with the value above each bar and the label below it. */
export function barChartSvg(bars: readonly Bar[], title: string): string {
  const width = 760;
  const height = 240;
  const top = 24;
  const bottom = 40;
  const plot = height - top - bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = width / Math.max(1, bars.length);
  const barWidth = Math.min(64, Math.max(4, slot * 0.7));
  const body = bars
    .map((bar, i) => {
      const h = (bar.value / max) * plot;
      const x = i * slot + (slot - barWidth) / 2;
      const y = top + plot - h;
      const cx = x + barWidth / 2;
      return [
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${TONE_COLOURS[bar.tone]}" rx="2"><title>${escapeHtml(`${bar.label}: ${bar.value}`)}</title></rect>`,
        `<text x="${cx.toFixed(1)}" y="${(y - 6).toFixed(1)}" text-anchor="middle" fill="#263238">${bar.value}</text>`,
        `<text x="${cx.toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" fill="#455a64">${escapeHtml(bar.label)}</text>`,
      ].join("");
    })
    .join("");
  const axis = `<line x1="0" y1="${top + plot}" x2="${width}" y2="${top + plot}" stroke="#b0bec5"/>`;
  return frame(title, width, height, axis + body);
}

/** A horizontal bar split into parts proportional to their values, with a legend below. */
export function proportionSvg(parts: readonly Bar[], title: string): string {
  const width = 760;
  const total = parts.reduce((sum, p) => sum + p.value, 0);
  let x = 0;
  const segments =
    total === 0
      ? `<rect x="0" y="0" width="${width}" height="28" fill="#eceff1" rx="4"/><text x="${width / 2}" y="19" text-anchor="middle" fill="#546e7a">no leaver in the period</text>`
      : parts
          .filter((p) => p.value > 0)
          .map((p) => {
            const w = (p.value / total) * width;
            const rect = `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="28" fill="${TONE_COLOURS[p.tone]}"><title>${escapeHtml(`${p.label}: ${p.value}`)}</title></rect>`;
            x += w;
            return rect;
          })
          .join("");
  const legend = parts
    .map(
      (p, i) =>
        `<rect x="${i * 250}" y="40" width="12" height="12" fill="${TONE_COLOURS[p.tone]}"/><text x="${i * 250 + 18}" y="51" fill="#263238">${escapeHtml(`${p.label}: ${p.value}`)}</text>`,
    )
    .join("");
  return frame(title, width, 60, segments + legend);
}

/** One day of the drift chart. */
export interface DailyCounts {
  date: string;
  findings: number;
  actions: number;
}

/** Findings and actions per day, stacked, with a few date labels so a year stays readable. */
export function dailyStackedSvg(days: readonly DailyCounts[], title: string): string {
  const width = 760;
  const height = 220;
  const top = 16;
  const bottom = 44;
  const plot = height - top - bottom;
  const max = Math.max(1, ...days.map((d) => d.findings + d.actions));
  const slot = width / Math.max(1, days.length);
  const barWidth = Math.min(48, Math.max(1, slot * 0.8));
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  const body = days
    .map((day, i) => {
      const x = i * slot + (slot - barWidth) / 2;
      const hf = (day.findings / max) * plot;
      const ha = (day.actions / max) * plot;
      const base = top + plot;
      const tip = escapeHtml(`${day.date}: ${day.findings} finding(s), ${day.actions} action(s)`);
      const label =
        i % labelEvery === 0 || i === days.length - 1
          ? `<text x="${(x + barWidth / 2).toFixed(1)}" y="${base + 16}" text-anchor="middle" fill="#455a64">${escapeHtml(day.date.slice(5))}</text>`
          : "";
      return `<g><title>${tip}</title><rect x="${x.toFixed(1)}" y="${(base - hf).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${hf.toFixed(1)}" fill="${TONE_COLOURS.bad}"/><rect x="${x.toFixed(1)}" y="${(base - hf - ha).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${ha.toFixed(1)}" fill="${TONE_COLOURS.info}"/></g>${label}`;
    })
    .join("");
  const empty = days.every((d) => d.findings + d.actions === 0)
    ? `<text x="${width / 2}" y="${top + plot / 2}" text-anchor="middle" fill="#546e7a">no drift recorded in the period</text>`
    : "";
  const legend = `<rect x="0" y="${height - 14}" width="12" height="12" fill="${TONE_COLOURS.bad}"/><text x="18" y="${height - 4}" fill="#263238">findings</text><rect x="110" y="${height - 14}" width="12" height="12" fill="${TONE_COLOURS.info}"/><text x="128" y="${height - 4}" fill="#263238">changes made</text><text x="${width}" y="${top - 4}" text-anchor="end" fill="#546e7a">max ${max} per day</text>`;
  const axis = `<line x1="0" y1="${top + plot}" x2="${width}" y2="${top + plot}" stroke="#b0bec5"/>`;
  return frame(title, width, height, axis + body + empty + legend);
}
