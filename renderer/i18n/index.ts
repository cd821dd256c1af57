/** i18next set-up: zh-CN and en, switchable at runtime, remembered in the app settings. */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { zhCN } from './zh-CN';
import { en } from './en';
import { segZh, segEn, dashZh, dashEn } from '../features/segments/i18n';
import { valZh, valEn } from '../features/value/i18n';
import { smsZh, smsEn } from '../features/campaigns/i18n';
import { txtZh, txtEn } from '../features/text/i18n';
import { qualZh, qualEn } from '../features/quality/i18n';
import { custZh, custEn } from '../features/customers/i18n';
import { privZh, privEn } from '../features/reports/i18n';
import { insZh, insEn } from '../features/insights/i18n';
import { codesZh, codesEn } from './codes';

export type UiLang = 'zh-CN' | 'en';

export function systemLang(): UiLang {
  return (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

void i18n.use(initReactI18next).init({
  // Feature screens keep their strings beside them; they are merged here under their own keys.
  resources: { 'zh-CN': { translation: { ...zhCN, seg: segZh, dash: dashZh, val: valZh, sms: smsZh, txt: txtZh, qual: qualZh, cust: custZh, priv: privZh, ins: insZh, codes: codesZh } }, en: { translation: { ...en, seg: segEn, dash: dashEn, val: valEn, sms: smsEn, txt: txtEn, qual: qualEn, cust: custEn, priv: privEn, ins: insEn, codes: codesEn } } },
  lng: systemLang(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
