/** Report building blocks: server-side SVG charts and the atomic file writer. */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { svgChart, writeAtomic, findChromium } from '../../../main/services/reports/index';
import { tempDir } from '../../helpers/app';

describe('svgChart (ECharts SSR)', () => {
  it('renders a bar chart to inline SVG with its labels and no URL', () => {
    const svg = svgChart({ xAxis: { type: 'category', data: ['华东', '华南', 'West'] }, yAxis: { type: 'value' }, series: [{ type: 'bar', data: [120, 80, 45], label: { show: true } }] }, 400, 200);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('width="400"');
    for (const s of ['华东', '华南', 'West', '120', '45']) expect(svg).toContain(s);
    expect(svg).not.toMatch(/https?:\/\//);
    expect((svg.match(/<path/g) ?? []).length).toBeGreaterThanOrEqual(3); // three bars at least
  });
  it('a different series gives a different picture', () => {
    const a = svgChart({ xAxis: { type: 'category', data: ['a', 'b'] }, yAxis: {}, series: [{ type: 'bar', data: [1, 2] }] });
    const b = svgChart({ xAxis: { type: 'category', data: ['a', 'b'] }, yAxis: {}, series: [{ type: 'bar', data: [2, 1] }] });
    expect(a).not.toBe(b);
  });
});

describe('writeAtomic', () => {
  it('writes the bytes with their hash, and leaves nothing on failure', () => {
    const t = tempDir();
    try {
      const f = path.join(t.dir, 'r.html');
      const r = writeAtomic(f, '<p>你好</p>');
      expect(readFileSync(f, 'utf8')).toBe('<p>你好</p>');
      expect(r.sha256).toBe(createHash('sha256').update('<p>你好</p>').digest('hex'));
      expect(r.bytes).toBe(Buffer.byteLength('<p>你好</p>'));
      expect(() => writeAtomic(path.join(t.dir, 'missing', 'x.html'), 'x')).toThrow(/does not exist/);
      expect(() => writeAtomic(t.dir, 'x')).toThrow();
      expect(readdirSync(t.dir)).toEqual(['r.html']);
    } finally {
      t.cleanup();
    }
  });
  it('finds this machine\'s Chromium and honours SEGMINT_CHROMIUM', () => {
    expect(findChromium()).not.toBeNull();
    process.env.SEGMINT_CHROMIUM = '/nonexistent/chrome';
    try {
      expect(findChromium()).toBeNull();
    } finally {
      delete process.env.SEGMINT_CHROMIUM;
    }
    expect(existsSync(findChromium()!)).toBe(true);
  });
});
