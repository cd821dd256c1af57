/** Strings of the customers screens (merged under 'cust' in renderer/i18n/index.ts). */
export const custZh = {
  title: '',
};
export const custEn: typeof custZh = {
  title: '',
};
