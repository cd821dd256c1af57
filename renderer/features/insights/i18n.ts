/** Strings of the insights screens (merged under 'ins' in renderer/i18n/index.ts). */
export const insZh = {
  title: '',
};
export const insEn: typeof insZh = {
  title: '',
};
