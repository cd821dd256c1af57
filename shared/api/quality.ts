/**
 * Contract of the quality domain: the data-quality profile (a job, stored per dataset), the rows
 * behind a problem count, and cleaning recipes (saved, previewed step by step, applied as a job
 * that writes a derived dataset and a dataset of removed rows; replayed on other datasets).
 * Recipes and steps are validated by the recipe schema (shared/api/recipe.ts) in the
 * service, so a bad step gets a message that names the step and the field.
 */
import { z } from 'zod';
import { datasetId } from './datasets';
import type { ColumnProfile } from './quality-model';
import type { Issue } from './quality-model';
import type { StepPreview } from './quality-model';
import type { Recipe } from './recipe';
import type { Role } from '../types';
import { jobKind } from './jobs';
import { Recipe as RecipeSchema } from './recipe';

/** A recipe step or a whole recipe as JSON (checked by the recipe schema in the service). */
const json = z.record(z.string(), z.unknown());
const recipeId = z.number().int().min(1);
const recipeName = z.string().trim().min(1).max(200);

export const PROBLEMS = ['invalid', 'outlier_iqr', 'outlier_mad', 'null', 'pattern'] as const;
export type Problem = (typeof PROBLEMS)[number];

export const qualitySchemas = {
  /** Start the profile job; the result is stored as the dataset's latest profile. */
  'quality/profile': z.object({ datasetId }).strict(),
  /** The latest stored profile of a dataset (null when it was never profiled). */
  'quality/profile/get': z.object({ datasetId }).strict(),
  /** Rows behind a problem of a column (all columns, paged). */
  'quality/rows': z
    .object({
      datasetId,
      column: z.string().min(1).max(200),
      problem: z.enum(PROBLEMS),
      pattern: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(500).default(50),
      offset: z.number().int().min(0).default(0),
    })
    .strict()
    .refine((a) => a.problem !== 'pattern' || a.pattern !== undefined, { message: 'problem "pattern" needs the pattern' }),
  'quality/recipe/save': z.object({ id: recipeId.optional(), name: recipeName, datasetId: datasetId.optional(), recipe: json }).strict(),
  'quality/recipe/list': z.object({}).strict(),
  'quality/recipe/get': z.object({ id: recipeId }).strict(),
  'quality/recipe/delete': z.object({ id: recipeId }).strict(),
  /** The recipe as a JSON file's text (what `segmint recipe apply R.json` reads). */
  'quality/recipe/export': z.object({ id: recipeId }).strict(),
  'quality/recipe/import': z.object({ json: z.string().min(2).max(5_000_000), name: recipeName.optional() }).strict(),
  /** One step on the dataset after the earlier steps, on the first `maxRows` rows. */
  'quality/preview': z
    .object({ datasetId, steps: z.array(json).max(500).default([]), step: json, sampleSize: z.number().int().min(1).max(200).default(20), maxRows: z.number().int().min(10).max(50_000).default(5000) })
    .strict(),
  /** Apply (or replay) a recipe as a job: a cleaned derived dataset, removed rows kept, flags, misfits. */
  'quality/apply': z
    .object({ datasetId, recipeId: recipeId.optional(), recipe: json.optional(), name: recipeName.optional() })
    .strict()
    .refine((a) => (a.recipeId === undefined) !== (a.recipe === undefined), { message: 'give either recipeId or recipe' }),
};

export type ProfiledColumn = ColumnProfile & { name: string; role: Role | null; weight: number };

export interface QualityProfile {
  datasetId: string;
  datasetName: string;
  rows: number;
  /** Dataset score 0–100: weighted mean of the column scores (weight 2 with a role, else 1). */
  score: number;
  duplicateRows: number;
  /** Row numbers (`_row`) in invalid/outlier lists; the lists are capped (see `rowCap`). */
  rowCap: number;
  columns: ProfiledColumn[];
  profiledAt: string;
  seconds: number;
}

export interface ProblemRows {
  column: string;
  problem: Problem;
  /** `_row` first, then every column of the dataset. The problem column shows the value as profiled (raw text where the import could not read it). */
  columns: string[];
  rows: unknown[][];
  total: number;
  offset: number;
}

export interface RecipeInfo {
  id: number;
  name: string;
  datasetId: string | null;
  steps: number;
  createdAt: string;
  updatedAt: string;
}

export interface RecipeFull extends RecipeInfo {
  recipe: Recipe;
}

export interface PreviewResult extends StepPreview {
  /** Rows of the dataset the preview ran on (the first `maxRows`), and the dataset's total. */
  rowsRead: number;
  totalRows: number;
  capped: boolean;
  /** Problems of the earlier steps on this dataset (replay misfits). */
  earlierMisfits: Issue[];
}

export interface AppliedStep {
  index: number;
  op: string;
  label?: string;
  cellsChanged: number;
  rowsChanged: number;
  rowsRemoved: number;
  rowsFlagged: number;
  skipped: boolean;
  issues: Issue[];
}

export interface ApplyResult {
  sourceDatasetId: string;
  datasetId: string;
  datasetName: string;
  /** Dataset of the rows filters removed (null when none were removed). */
  removedDatasetId: string | null;
  rowsIn: number;
  rowsOut: number;
  rowsRemoved: number;
  /** Rows with at least one flag (column `_flags`). */
  rowsFlagged: number;
  flagsByRule: { rule: string; count: number }[];
  steps: AppliedStep[];
  misfits: Issue[];
  fits: boolean;
  /** Columns of this dataset the recipe's source did not have. */
  newColumns: string[];
  recipeId: number | null;
  seconds: number;
}

export type QualityResults = {
  'quality/profile': { jobId: string };
  'quality/profile/get': QualityProfile | null;
  'quality/rows': ProblemRows;
  'quality/recipe/save': RecipeInfo;
  'quality/recipe/list': RecipeInfo[];
  'quality/recipe/get': RecipeFull;
  'quality/recipe/delete': { deleted: number };
  'quality/recipe/export': { name: string; fileName: string; json: string };
  'quality/recipe/import': RecipeInfo;
  'quality/preview': PreviewResult;
  'quality/apply': { jobId: string };
};

export const qualityJobs = {
  'quality/profile': jobKind(z.object({ datasetId }).strict()).returns<QualityProfile>(),
  /** The recipe is resolved (a saved one by id) and checked by the call; the job gets it whole. */
  'quality/apply': jobKind(z.object({ datasetId, recipe: RecipeSchema, recipeId: z.number().int().optional(), recipeName: z.string().optional(), name: z.string().optional() }).strict()).returns<ApplyResult>(),
};
