/**
 * A tile-grid layout of the 34 province-level divisions: one equal square per division, placed on
 * an 8-row × 8-column grid so that neighbours stay roughly neighbours (row 0 = north, column 0 =
 * west). A fallback for the choropleth when no map geometry is available, and a fairer picture
 * when area would otherwise dominate (Xinjiang and Tibet are as large as Shanghai here).
 * Drawn from approximate centroids and hand-adjusted so no two tiles collide; each of the 34
 * occupies one cell.
 *
 *      0   1   2   3   4   5   6   7
 *  0                               黑
 *  1   新          蒙  京  津  辽  吉
 *  2       青  甘  宁  晋  冀  鲁
 *  3   藏      川  陕  豫  苏  沪
 *  4           渝  鄂  皖  浙
 *  5       云  贵  湘  赣  闽  台
 *  6           桂  粤  港
 *  7           琼  澳
 */
import { provinceByCode, type ProvinceInfo } from './provinces';

export interface Tile {
  code: string;
  row: number;
  col: number;
}

export const TILE_GRID_ROWS = 8;
export const TILE_GRID_COLS = 8;

export const PROVINCE_TILES: readonly Tile[] = [
  { code: '23', row: 0, col: 7 },
  { code: '65', row: 1, col: 0 },
  { code: '15', row: 1, col: 3 },
  { code: '11', row: 1, col: 4 },
  { code: '12', row: 1, col: 5 },
  { code: '21', row: 1, col: 6 },
  { code: '22', row: 1, col: 7 },
  { code: '63', row: 2, col: 1 },
  { code: '62', row: 2, col: 2 },
  { code: '64', row: 2, col: 3 },
  { code: '14', row: 2, col: 4 },
  { code: '13', row: 2, col: 5 },
  { code: '37', row: 2, col: 6 },
  { code: '54', row: 3, col: 0 },
  { code: '51', row: 3, col: 2 },
  { code: '61', row: 3, col: 3 },
  { code: '41', row: 3, col: 4 },
  { code: '32', row: 3, col: 5 },
  { code: '31', row: 3, col: 6 },
  { code: '50', row: 4, col: 2 },
  { code: '42', row: 4, col: 3 },
  { code: '34', row: 4, col: 4 },
  { code: '33', row: 4, col: 5 },
  { code: '53', row: 5, col: 1 },
  { code: '52', row: 5, col: 2 },
  { code: '43', row: 5, col: 3 },
  { code: '36', row: 5, col: 4 },
  { code: '35', row: 5, col: 5 },
  { code: '71', row: 5, col: 6 },
  { code: '45', row: 6, col: 2 },
  { code: '44', row: 6, col: 3 },
  { code: '81', row: 6, col: 4 },
  { code: '46', row: 7, col: 2 },
  { code: '82', row: 7, col: 3 },
];

/** The tiles with their province records. */
export function provinceTiles(): (Tile & { province: ProvinceInfo })[] {
  return PROVINCE_TILES.map((t) => ({ ...t, province: provinceByCode(t.code)! }));
}
