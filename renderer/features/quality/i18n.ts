/** Strings of the quality screens (merged under 'qual' in renderer/i18n/index.ts). */
export const qualZh = {
  title: '',
};
export const qualEn: typeof qualZh = {
  title: '',
};
