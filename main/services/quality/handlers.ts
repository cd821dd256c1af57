/** Handlers of the quality domain: thin calls into the services beside this file. */
import type { DomainHandlers } from '../../rpc/dispatch';
import type { qualitySchemas } from '../../../shared/api/quality';
import { startJob } from '../start-job';
import { getDataset } from '../datasets';
import { getProfile, problemRows } from './profile';
import { deleteRecipe, exportRecipe, getRecipe, importRecipe, listRecipes, preview, saveRecipe, toRecipe } from './recipes';
import type { ApplyArgs } from './apply';

export const qualityHandlers: DomainHandlers<typeof qualitySchemas> = {
  'quality/profile': (a, ctx) => {
    const ds = getDataset(ctx.requireSession().db, a.datasetId); // unknown dataset → clear error before the job starts
    return { jobId: startJob(ctx, 'quality/profile', { datasetId: ds.id }, `profile ${ds.name}`).id };
  },
  'quality/profile/get': (a, ctx) => getProfile(ctx.requireSession().db, a.datasetId),
  'quality/rows': (a, ctx) => problemRows(ctx.requireSession().db, a),
  'quality/recipe/save': (a, ctx) => saveRecipe(ctx.requireSession().db, a),
  'quality/recipe/list': (_a, ctx) => listRecipes(ctx.requireSession().db),
  'quality/recipe/get': (a, ctx) => getRecipe(ctx.requireSession().db, a.id),
  'quality/recipe/delete': (a, ctx) => deleteRecipe(ctx.requireSession().db, a.id),
  'quality/recipe/export': (a, ctx) => exportRecipe(ctx.requireSession().db, a.id),
  'quality/recipe/import': (a, ctx) => importRecipe(ctx.requireSession().db, a),
  'quality/preview': (a, ctx) => preview(ctx.requireSession().db, a),
  'quality/apply': (a, ctx) => {
    const db = ctx.requireSession().db;
    const ds = getDataset(db, a.datasetId);
    // The recipe is checked here, so a bad recipe fails the call rather than the job.
    const saved = a.recipeId !== undefined ? getRecipe(db, a.recipeId) : null;
    const recipe = toRecipe(saved ? saved.recipe : a.recipe);
    const args: ApplyArgs = { datasetId: ds.id, recipe, ...(saved ? { recipeId: saved.id, recipeName: saved.name } : {}), ...(a.name ? { name: a.name } : {}) };
    return { jobId: startJob(ctx, 'quality/apply', args, `recipe ${saved?.name ?? ''} → ${ds.name}`.replace('  ', ' ')).id };
  },
};
