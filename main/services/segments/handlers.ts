import type { DomainHandlers } from '../../rpc/dispatch';
import type { segmentsSchemas } from '../../../shared/api/segments';
import type { AppContext } from '../context';
import { startJob as startSharedJob } from '../start-job';
import { compare, explore, ruleCount, saveRuleWhereTheDataIs, saveTiers } from './explore';
import { deleteSegmentation, getSegmentation, listSegmentations, renameSegment } from './store';
import type { RuleNode } from '../../../shared/api/segments';
import type { JobInput, JobKind } from '../../../shared/api';

function startJob<K extends JobKind>(ctx: AppContext, kind: K, args: JobInput<K>, label: string) {
  return { jobId: startSharedJob(ctx, kind, args, label).id };
}

export const segmentsHandlers: DomainHandlers<typeof segmentsSchemas> = {
  'segments/rfm': (a, ctx) => startJob(ctx, 'segments/rfm', a, `RFM ${a.datasetId}`),
  'segments/kmeans': (a, ctx) => startJob(ctx, 'segments/kmeans', a, a.k ? `k-means k=${a.k}` : `k-means k=${a.kRange![0]}..${a.kRange![1]}`),
  'segments/migration': (a, ctx) => startJob(ctx, 'segments/migration', a, `migration ${a.from} → ${a.to}`),
  'segments/list': (a, ctx) => listSegmentations(ctx.requireSession().db, a.datasetId),
  'segments/explore': (a, ctx) => explore(ctx.requireSession().db, a.segmentationId),
  'segments/compare': (a, ctx) => compare(ctx.requireSession().db, a.segmentationId, a.a, a.b),
  'segments/rule-count': (a, ctx) => ruleCount(ctx.requireSession().db, a.datasetId, a.rule),
  'segments/rule-save': (a, ctx) => saveRuleWhereTheDataIs(ctx.requireSession().db, a.datasetId, a.name, a.rule),
  'segments/tiers': (a, ctx) => saveTiers(ctx.requireSession().db, a.datasetId, a.measure, a.name),
  'segments/rename': (a, ctx) => renameSegment(ctx.requireSession().db, a.segmentationId, a.key, a.name, a.color),
  'segments/delete': (a, ctx) => deleteSegmentation(ctx.requireSession().db, a.segmentationId),
  'segments/recompute': async (a, ctx) => {
    const db = ctx.requireSession().db;
    const seg = getSegmentation(db, a.segmentationId);
    const p = seg.params; // stored as the job ran; checked against the kind's schema again when it restarts
    switch (seg.kind) {
      case 'rfm':
        return { ...startJob(ctx, 'segments/rfm', { ...(p as JobInput<'segments/rfm'>), name: undefined }, `RFM ${seg.name}`), segmentation: null };
      case 'kmeans':
        return { ...startJob(ctx, 'segments/kmeans', { ...(p as JobInput<'segments/kmeans'>), name: undefined }, `k-means ${seg.name}`), segmentation: null };
      case 'rule':
        return { jobId: null, segmentation: await saveRuleWhereTheDataIs(db, seg.sourceDataset!, seg.name, p.rule as RuleNode) };
      case 'tier':
        return { jobId: null, segmentation: await saveTiers(db, seg.sourceDataset!, String(p.measure), seg.name) };
    }
  },
};
