import { z } from 'zod';
import { datasetId } from './datasets';
import { jobKind } from './jobs';

const dictWord = z.string().trim().min(1).max(50);

export const textSchemas = {
  /** The workspace's user dictionary for Chinese word segmentation (brand and product names, 请帮我退订 …). */
  'text/dictionary/get': z.object({}).strict(),
  'text/dictionary/set': z.object({ words: z.array(dictWord).max(5000) }).strict(),
  'text/analyze': z
    .object({ datasetId, column: z.string().min(1), groupBy: z.string().min(1).optional(), topK: z.number().int().min(5).max(200).default(30), userDict: z.array(z.string().min(1).max(50)).max(5000).default([]) })
    .strict(),
  'text/classify': z
    .object({
      datasetId,
      textColumn: z.string().min(1),
      labelColumn: z.string().min(1),
      /** 'logreg' = softmax logistic regression on TF-IDF; 'nb' = multinomial naive Bayes. */
      method: z.enum(['logreg', 'nb']).default('logreg'),
      folds: z.number().int().min(2).max(10).default(5),
      seed: z.number().int().min(0).default(0),
      /** After cross-validation, train on every labelled row and label the unlabelled ones here (and in this other dataset). */
      apply: z.boolean().default(true),
      applyTo: z.object({ datasetId, textColumn: z.string().min(1) }).strict().optional(),
    })
    .strict(),
};

export interface TextAnalysis {
  docs: number;
  tokens: number;
  topTerms: { term: string; count: number }[];
  bigrams: { term: string; count: number }[];
  keywordsByGroup: { group: string; size: number; terms: { term: string; score: number }[] }[] | null;
  /** Lexicon-and-rules sentiment (docs/methods/text.md): counts, per group, and the strongest examples with the words that decided. */
  sentiment: {
    positive: number;
    neutral: number;
    negative: number;
    mean: number;
    byGroup: { group: string; positive: number; neutral: number; negative: number; mean: number }[] | null;
    examples: { text: string; score: number; label: 'positive' | 'neutral' | 'negative'; terms: string[] }[];
  };
}

export interface ClassifyReport {
  docs: number;
  accuracy: number;
  macroF1: number;
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
  confusion: { labels: string[]; matrix: number[][] };
  folds: number;
  method: 'logreg' | 'nb';
  /** Predictions for the unlabelled texts (derived dataset: source row, text, label, probability). */
  predictions: { datasetId: string; rows: number; byLabel: { label: string; count: number }[] } | null;
}

export type TextResults = {
  'text/dictionary/get': { words: string[] };
  'text/dictionary/set': { words: string[] };
  'text/analyze': TextAnalysis;
  'text/classify': { jobId: string };
};

export const textJobs = {
  'text/classify': jobKind(textSchemas['text/classify']).returns<ClassifyReport>(),
};
