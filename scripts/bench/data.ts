/**
 * The seeded benchmark table: mixed types and Chinese text, ~120 bytes a row, so 1,000,000
 * rows make a ~120 MB CSV. The same rows feed the SQLite ceiling and the import benchmark.
 */
import { createRng, randInt } from '../../main/kernel/random';

const CITIES = ['北京市', '上海市', '广州市', '深圳市', '杭州市', '成都市', '武汉市', '西安市', '南京市', '苏州市'];
const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄强', '周杰', '吴婷'];
const NOTES = ['老客户，偏好线上购买', '新注册，领取了优惠券', '投诉过一次物流，已解决', '会员日活跃', '', '短信回复：好的，谢谢', '门店自提'];

export const BENCH_HEADER = ['订单号', '客户编号', '姓名', '手机号码', '城市', '下单时间', '实付金额', '数量', '是否会员', '备注'];

export function* benchRows(n: number, seed = 7): Generator<string[]> {
  const rng = createRng(seed);
  for (let i = 0; i < n; i++) {
    const d = 1 + randInt(rng, 28);
    const h = randInt(rng, 24);
    yield [
      `SO${String(10_000_000 + i)}`,
      `C${100000 + randInt(rng, 200000)}`,
      NAMES[randInt(rng, NAMES.length)]!,
      `1${30 + randInt(rng, 60)}${String(randInt(rng, 1e8)).padStart(8, '0')}`,
      CITIES[randInt(rng, CITIES.length)]!,
      `2024-${String(1 + randInt(rng, 12)).padStart(2, '0')}-${String(d).padStart(2, '0')} ${String(h).padStart(2, '0')}:${String(randInt(rng, 60)).padStart(2, '0')}:00`,
      (randInt(rng, 200000) / 100).toFixed(2),
      String(1 + randInt(rng, 5)),
      rng() < 0.4 ? '是' : '否',
      NOTES[randInt(rng, NOTES.length)]!,
    ];
  }
}
