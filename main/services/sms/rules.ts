/** The workspace's unsubscribe rules (editable in the Campaigns screen), kept in workspace_meta. */
import { AppError } from '../../../shared/errors';
import type { DB } from '../../db/open';
import { DEFAULT_UNSUBSCRIBE_RULES, type UnsubscribeRule } from '../../analysis/sms/unsubscribe';
import { audit } from '../audit/index';
import { meta, setMeta } from '../workspace';

const KEY = 'sms.unsubscribe_rules';

export function unsubscribeRules(db: DB): { rules: UnsubscribeRule[]; isDefault: boolean } {
  const raw = meta(db, KEY);
  return raw ? { rules: JSON.parse(raw) as UnsubscribeRule[], isDefault: false } : { rules: DEFAULT_UNSUBSCRIBE_RULES, isDefault: true };
}

/** Saves the rules (null = back to the defaults). Regexes are compiled first so a bad one is refused, not stored. */
export function setUnsubscribeRules(db: DB, rules: UnsubscribeRule[] | null): { rules: UnsubscribeRule[]; isDefault: boolean } {
  if (rules === null) {
    db.prepare('DELETE FROM workspace_meta WHERE key = ?').run(KEY);
  } else {
    for (const r of rules) {
      if (r.kind !== 'regex') continue;
      try {
        new RegExp(r.pattern, 'iu');
      } catch (e) {
        throw new AppError('bad_regex', `"${r.pattern}" is not a valid regular expression: ${(e as Error).message}`, `“${r.pattern}”不是有效的正则表达式：${(e as Error).message}`);
      }
    }
    setMeta(db, KEY, JSON.stringify(rules));
  }
  audit(db, 'sms.rules_changed', { details: { rules: rules ?? 'default' } });
  return unsubscribeRules(db);
}
