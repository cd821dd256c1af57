import { z } from 'zod';
import { datasetId } from './datasets';

export const textSchemas = {
  'text/analyze': z
    .object({ datasetId, column: z.string().min(1), groupBy: z.string().min(1).optional(), topK: z.number().int().min(5).max(200).default(30), userDict: z.array(z.string().min(1).max(50)).max(5000).default([]) })
    .strict(),
  'text/classify': z.object({ datasetId, textColumn: z.string().min(1), labelColumn: z.string().min(1), folds: z.number().int().min(2).max(10).default(5), seed: z.number().int().min(0).default(0) }).strict(),
};

export interface TextAnalysis {
  docs: number;
  tokens: number;
  topTerms: { term: string; count: number }[];
  bigrams: { term: string; count: number }[];
  keywordsByGroup: { group: string; size: number; terms: { term: string; score: number }[] }[] | null;
}

export interface ClassifyReport {
  docs: number;
  accuracy: number;
  macroF1: number;
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
  confusion: { labels: string[]; matrix: number[][] };
  folds: number;
}

export type TextResults = {
  'text/analyze': TextAnalysis;
  'text/classify': { jobId: string };
};
