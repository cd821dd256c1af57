/** Strings of the privacy screens (merged under 'priv' in renderer/i18n/index.ts). */
export const privZh = {
  title: '',
};
export const privEn: typeof privZh = {
  title: '',
};
