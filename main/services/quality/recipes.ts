/**
 * Saved cleaning recipes (table `recipes`), their JSON files, and the step preview.
 *
 * A recipe is stored as the JSON of shared/api/recipe.ts `Recipe` with defaults filled;
 * when it is saved from a dataset and carries no `source`, the dataset's columns and types are
 * recorded, so a later replay can tell a column of another type from a missing one. The export
 * is exactly that JSON (what `segmint recipe apply R.json` reads); an import checks it with the
 * same schema and says which step and field are wrong.
 *
 * Preview: the dataset's first `maxRows` rows (5,000 by default — interactive, and the result
 * says so), the earlier steps replayed on them (their misfits reported, never thrown), then
 * `previewStep` for the new step: its counts on those rows and a before/after sample.
 */
import { ZodError } from 'zod';
import type { PreviewResult, RecipeFull, RecipeInfo } from '../../../shared/api/quality';
import { AppError } from '../../../shared/errors';
import type { DB } from '../../db/open';
import { Recipe as RecipeSchema, RecipeStep as StepSchema, type Recipe, type RecipeStep } from '../../../shared/api/recipe';
import { previewStep, replayRecipe } from '../../analysis/clean/recipe';
import { getDataset } from '../datasets';
import { readTable } from './read';
import { audit } from '../audit/index';

function zodText(e: ZodError): string {
  return e.issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.map((p, k) => (k === 1 && i.path[0] === 'steps' && typeof p === 'number' ? `step ${p + 1}` : String(p))).filter((p) => p !== 'steps');
      return `${path.length ? path.join('.') + ': ' : ''}${i.message}`;
    })
    .join('; ');
}

/** Parse a recipe (JSON value) with the recipe schema; a clear AppError when it does not fit. */
export function toRecipe(v: unknown): Recipe {
  try {
    return RecipeSchema.parse(v);
  } catch (e) {
    if (e instanceof ZodError) throw new AppError('bad_recipe', `The recipe is not valid: ${zodText(e)}.`, `配方无效：${zodText(e)}。`, { issues: e.issues });
    throw e;
  }
}

export function toStep(v: unknown, position?: number): RecipeStep {
  try {
    return StepSchema.parse(v);
  } catch (e) {
    const where = position !== undefined ? `step ${position + 1}` : 'the step';
    const whereZh = position !== undefined ? `第 ${position + 1} 步` : '该步骤';
    if (e instanceof ZodError) throw new AppError('bad_step', `${where} is not valid: ${zodText(e)}.`, `${whereZh}无效：${zodText(e)}。`, { issues: e.issues });
    throw e;
  }
}

interface Row {
  id: number;
  name: string;
  dataset_id: string | null;
  recipe: string;
  created_at: string;
  updated_at: string;
}

function info(r: Row): RecipeInfo {
  return { id: r.id, name: r.name, datasetId: r.dataset_id, steps: (JSON.parse(r.recipe) as Recipe).steps.length, createdAt: r.created_at, updatedAt: r.updated_at };
}

function row(db: DB, id: number): Row {
  const r = db.prepare('SELECT * FROM recipes WHERE id = ?').get(id) as Row | undefined;
  if (!r) throw new AppError('recipe_not_found', `No recipe with id ${id}.`, `找不到 ID 为 ${id} 的配方。`);
  return r;
}

function nameTaken(db: DB, name: string, exceptId?: number): boolean {
  return !!db.prepare('SELECT 1 FROM recipes WHERE name = ? AND id IS NOT ?').get(name, exceptId ?? null);
}

/** Record the dataset's columns as the recipe's source when it has none. */
function withSource(db: DB, recipe: Recipe, datasetId: string | undefined): Recipe {
  if (recipe.source || !datasetId) return recipe;
  const ds = getDataset(db, datasetId);
  return { ...recipe, source: { columns: ds.columns.map((c) => ({ name: c.name, type: c.type })) } };
}

export function saveRecipe(db: DB, a: { id?: number; name: string; datasetId?: string; recipe: unknown }): RecipeInfo {
  const recipe = withSource(db, toRecipe(a.recipe), a.datasetId);
  const now = new Date().toISOString();
  if (nameTaken(db, a.name, a.id)) throw new AppError('recipe_name_taken', `A recipe named "${a.name}" already exists; choose another name.`, `已有名为“${a.name}”的配方，请换一个名称。`);
  if (a.id !== undefined) {
    const old = row(db, a.id);
    db.prepare('UPDATE recipes SET name = ?, dataset_id = ?, recipe = ?, updated_at = ? WHERE id = ?').run(a.name, a.datasetId ?? old.dataset_id, JSON.stringify(recipe), now, a.id);
    return info(row(db, a.id));
  }
  const r = db.prepare('INSERT INTO recipes (name, dataset_id, recipe, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(a.name, a.datasetId ?? null, JSON.stringify(recipe), now, now);
  audit(db, 'quality.recipe_saved', { objectType: 'recipe', objectId: String(r.lastInsertRowid), details: { name: a.name, steps: recipe.steps.length, datasetId: a.datasetId ?? null } });
  return info(row(db, Number(r.lastInsertRowid)));
}

export function listRecipes(db: DB): RecipeInfo[] {
  return (db.prepare('SELECT * FROM recipes ORDER BY updated_at DESC, id DESC').all() as Row[]).map(info);
}

export function getRecipe(db: DB, id: number): RecipeFull {
  const r = row(db, id);
  return { ...info(r), recipe: JSON.parse(r.recipe) as Recipe };
}

export function deleteRecipe(db: DB, id: number): { deleted: number } {
  const r = row(db, id);
  db.prepare('DELETE FROM recipes WHERE id = ?').run(id);
  audit(db, 'quality.recipe_deleted', { objectType: 'recipe', objectId: String(id), details: { name: r.name } });
  return { deleted: id };
}

export function exportRecipe(db: DB, id: number): { name: string; fileName: string; json: string } {
  const r = getRecipe(db, id);
  const safe = r.name.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80) || 'recipe';
  return { name: r.name, fileName: `${safe}.recipe.json`, json: JSON.stringify(r.recipe, null, 2) + '\n' };
}

export function importRecipe(db: DB, a: { json: string; name?: string }): RecipeInfo {
  let value: unknown;
  try {
    value = JSON.parse(a.json.replace(/^\ufeff/, ''));
  } catch (e) {
    throw new AppError('bad_json', `The file is not JSON: ${(e as Error).message}`, `文件不是 JSON：${(e as Error).message}`);
  }
  const recipe = toRecipe(value);
  let name = a.name ?? 'imported recipe';
  for (let k = 2; nameTaken(db, name); k++) name = `${a.name ?? 'imported recipe'} (${k})`;
  return saveRecipe(db, { name, recipe });
}

export async function preview(db: DB, a: { datasetId: string; steps: unknown[]; step: unknown; sampleSize: number; maxRows: number }): Promise<PreviewResult> {
  const ds = getDataset(db, a.datasetId);
  const steps = a.steps.map((s, i) => toStep(s, i));
  const step = toStep(a.step, steps.length);
  const table = await readTable(db, ds, a.maxRows);
  const before = steps.length ? replayRecipe(table, { version: 1, steps }) : null;
  const p = previewStep(before ? before.table : table, step, a.sampleSize);
  return { ...p, rowsRead: table.rows.length, totalRows: ds.rowCount, capped: table.rows.length < ds.rowCount, earlierMisfits: before?.misfits ?? [] };
}
