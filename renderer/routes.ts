/**
 * The screens' addresses: `#/<area>?<params>`. Screens link to each other through here (not through
 * the Shell, which imports every screen: that made an import circle through Shell.tsx).
 */
export const AREA_KEYS = ['workspace', 'import', 'data', 'dashboard', 'quality', 'customers', 'segments', 'campaigns', 'text', 'value', 'insights', 'reports', 'settings'] as const;
export type Area = (typeof AREA_KEYS)[number];

export function areaFromHash(): Area {
  const a = location.hash.replace(/^#\/?/, '').split(/[?&]/)[0];
  return (AREA_KEYS as readonly string[]).includes(a ?? '') ? (a as Area) : 'workspace';
}

/** The `?…` part of the address (a screen's dataset, tab, customer…). */
export function hashParams(): URLSearchParams {
  return new URLSearchParams(location.hash.split('?')[1] ?? '');
}

export function navigate(area: Area, query = ''): void {
  location.hash = `#/${area}${query ? '?' + query : ''}`;
}
