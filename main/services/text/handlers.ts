/** Handlers of the text domain: word analysis, the user dictionary, classification. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { textSchemas } from '../../../shared/api/text';
import { startJob } from '../start-job';
import { analyzeText, setUserDictionary, userDictionary } from './index';

export const textHandlers: DomainHandlers<typeof textSchemas> = {
  'text/dictionary/get': (_a, ctx) => ({ words: userDictionary(ctx.requireSession().db) }),
  'text/dictionary/set': (a, ctx) => setUserDictionary(ctx.requireSession().db, a.words),
  'text/analyze': (a, ctx) => analyzeText(ctx.requireSession().db, a),
  'text/classify': (a, ctx) => ({ jobId: startJob(ctx, 'text/classify', a, `classify ${a.labelColumn}`).id }),
};
