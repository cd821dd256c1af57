/** The recipe schema lives in the contract (shared/api/recipe.ts): the engine and the calls validate with the same one. */
export * from '../../../shared/api/recipe';
